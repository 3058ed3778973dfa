using Connector.Host.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Serilog.Events;

namespace Connector.Host.Tests.Hosting;

public class OperationsSettingsTests
{
    private static IConfiguration Configuration(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void Read_Nothing_GivesTheDocumentedDefaults()
    {
        var settings = OperationsSettings.Read(Configuration());

        Assert.True(settings.HttpEnabled);
        Assert.Equal([new Uri("http://127.0.0.1:8480")], settings.HttpListen);
        Assert.Equal(LogFormat.Console, settings.LogFormat);
        Assert.Equal(LogEventLevel.Information, settings.LogLevel);
        Assert.Null(settings.OtlpEndpoint);
        Assert.Null(settings.SharedSecret);
        Assert.Equal(60, settings.OtlpMetricExportIntervalSeconds);
        Assert.True(settings.OtlpLogs);
        Assert.True(settings.OtlpMetrics);
        Assert.False(string.IsNullOrWhiteSpace(settings.WorkerId));
    }

    [Fact]
    public void Read_EveryOption_IsTaken()
    {
        var settings = OperationsSettings.Read(Configuration(
            ("Http:Enabled", "false"),
            ("Http:Listen", "http://127.0.0.1:9000; http://[::1]:9000"),
            ("Logging:Format", "json"),
            ("Logging:Level", "Debug"),
            ("Otlp:Endpoint", "http://127.0.0.1:4318"),
            ("Otlp:Headers", "Authorization=Basic abc, X-Scope-OrgID=tenant1"),
            ("Otlp:MetricExportIntervalSeconds", "15"),
            ("Otlp:Signals", "logs"),
            ("Service:SharedSecret", "0123456789abcdef0123"),
            ("Service:WorkerId", "replica-2")));

        Assert.False(settings.HttpEnabled);
        Assert.Equal([new Uri("http://127.0.0.1:9000"), new Uri("http://[::1]:9000")], settings.HttpListen);
        Assert.Equal(LogFormat.Json, settings.LogFormat);
        Assert.Equal(LogEventLevel.Debug, settings.LogLevel);
        Assert.Equal(new Uri("http://127.0.0.1:4318"), settings.OtlpEndpoint);
        Assert.Equal("Basic abc", settings.OtlpHeaders["Authorization"]);
        Assert.Equal("tenant1", settings.OtlpHeaders["X-Scope-OrgID"]);
        Assert.Equal(15, settings.OtlpMetricExportIntervalSeconds);
        Assert.True(settings.OtlpLogs);
        Assert.False(settings.OtlpMetrics);
        Assert.Equal("0123456789abcdef0123", settings.SharedSecret);
        Assert.Equal("replica-2", settings.WorkerId);
    }

    [Fact]
    public void Read_BadValues_OneLineEachNamingKeyAndValue()
    {
        var exception = Assert.Throws<OptionsValidationException>(() => OperationsSettings.Read(Configuration(
            ("Http:Enabled", "yes"),
            ("Http:Listen", "https://0.0.0.0:8480"),
            ("Logging:Format", "xml"),
            ("Logging:Level", "Loud"),
            ("Otlp:Endpoint", "127.0.0.1:4318"),
            ("Otlp:MetricExportIntervalSeconds", "0"),
            ("Otlp:Signals", "logs,traces"))));

        Assert.Equal(7, exception.Failures.Count());
        Assert.Contains(exception.Failures, f => f.StartsWith("Otlp__Signals: \"traces\"", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.StartsWith("Http__Enabled: \"yes\"", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.StartsWith("Http__Listen: \"https://0.0.0.0:8480\"", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.StartsWith("Logging__Format: \"xml\" is not allowed; use console or json", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.StartsWith("Logging__Level: \"Loud\"", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.StartsWith("Otlp__Endpoint: \"127.0.0.1:4318\"", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.StartsWith("Otlp__MetricExportIntervalSeconds: \"0\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_ShortSecret_IsRefusedWithoutEchoingIt()
    {
        var exception = Assert.Throws<OptionsValidationException>(() => OperationsSettings.Read(Configuration(("Service:SharedSecret", "hunter2"))));

        var failure = Assert.Single(exception.Failures);
        Assert.StartsWith("Service__SharedSecret:", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MalformedOtlpHeader_DoesNotEchoIt()
    {
        var exception = Assert.Throws<OptionsValidationException>(() => OperationsSettings.Read(Configuration(("Otlp:Headers", "Bearer hunter2"))));

        var failure = Assert.Single(exception.Failures);
        Assert.StartsWith("Otlp__Headers:", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateBuilder_BadOption_ThrowsBeforeAnythingStarts()
    {
        var configuration = Configuration(("Logging:Format", "xml"));

        var exception = Assert.Throws<OptionsValidationException>(() => ConnectorHosting.CreateBuilder(configuration, []));

        Assert.Contains("Logging__Format", exception.Message, StringComparison.Ordinal);
    }
}

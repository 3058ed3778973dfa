using System.Text.Json;
using Connector.Host.Hosting;
using Serilog;
using Serilog.Events;

namespace Connector.Host.Tests.Hosting;

public class ConnectorLoggingTests
{
    private static OperationsSettings Settings(LogFormat format = LogFormat.Console, LogEventLevel level = LogEventLevel.Information) =>
        new() { WorkerId = "worker-7", LogFormat = format, LogLevel = level };

    [Fact]
    public void JsonFormat_EachEventIsOneCompactJsonObjectPerLine()
    {
        var output = new LogCapture();
        using (var logger = ConnectorLogging.CreateLogger(Settings(LogFormat.Json), output))
        {
            logger.ForContext<ConnectorLoggingTests>().Information("Synced {UserId}: {Created} created", "alice", 3);
            logger.Warning("A message\nover two lines");
            logger.Error(new InvalidOperationException("boom\nsecond line"), "Sync of {UserId} failed", "bob");
        }

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        var events = lines.Select(line => JsonDocument.Parse(line).RootElement).ToArray();
        Assert.All(events, e => Assert.Equal(JsonValueKind.Object, e.ValueKind));
        Assert.All(events, e => Assert.True(e.TryGetProperty("@t", out _)));
        Assert.Equal("Synced \"alice\": 3 created", events[0].GetProperty("@m").GetString());
        Assert.Equal("alice", events[0].GetProperty("UserId").GetString());
        Assert.Equal("worker-7", events[0].GetProperty("WorkerId").GetString());
        Assert.Equal(typeof(ConnectorLoggingTests).FullName, events[0].GetProperty("SourceContext").GetString());
        Assert.Equal("Warning", events[1].GetProperty("@l").GetString());
        Assert.Contains("boom", events[2].GetProperty("@x").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ConsoleFormat_IsOneHumanLinePerEvent()
    {
        var output = new LogCapture();
        using (var logger = ConnectorLogging.CreateLogger(Settings(), output))
        {
            logger.ForContext<ConnectorLoggingTests>().Information("Synced {UserId}", "alice");
        }

        var line = Assert.Single(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} INF\] Synced alice <Connector\.Host\.Tests\.Hosting\.ConnectorLoggingTests>$", line);
    }

    [Fact]
    public void Level_WarningConfigured_InformationIsDropped()
    {
        var output = new LogCapture();
        using (var logger = ConnectorLogging.CreateLogger(Settings(level: LogEventLevel.Warning), output))
        {
            logger.Information("not shown");
            logger.Warning("shown");
        }

        Assert.DoesNotContain("not shown", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("shown", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void MicrosoftCategories_InformationIsDropped_WarningsShown()
    {
        var output = new LogCapture();
        using (var logger = ConnectorLogging.CreateLogger(Settings(level: LogEventLevel.Debug), output))
        {
            logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "Microsoft.AspNetCore.Routing.EndpointMiddleware").Information("routing chatter");
            logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "Microsoft.AspNetCore.Server.Kestrel").Warning("kestrel warning");
            logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "Microsoft.Hosting.Lifetime").Information("Application started");
            logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "Connector.Worker.Scheduler").Debug("own debug line");
        }

        var text = output.ToString();
        Assert.DoesNotContain("routing chatter", text, StringComparison.Ordinal);
        Assert.Contains("kestrel warning", text, StringComparison.Ordinal);
        Assert.Contains("Application started", text, StringComparison.Ordinal);
        Assert.Contains("own debug line", text, StringComparison.Ordinal);
    }

    [Fact]
    public void SecretProperties_AreMasked_InTextAndJson()
    {
        foreach (var format in new[] { LogFormat.Console, LogFormat.Json })
        {
            var output = new LogCapture();
            using (var logger = ConnectorLogging.CreateLogger(Settings(format), output))
            {
                logger.Information("Login as {UserName} with {Password}", "svc-connector", "hunter2-a");
                logger.Information("Identity {@Identity}", new { Name = "admin1", Username = "svc", ClientSecret = "hunter2-b", Nested = new { AppPassword = "hunter2-c" } });
                logger.Information("Headers {@Headers}", new Dictionary<string, string> { ["Authorization"] = "Bearer hunter2-d", ["Accept"] = "text/calendar" });
                logger.Information("Database {ConnectionString}", "Host=db;Username=connector;Password=hunter2-e;Database=connector");
                logger.Information("Calendar at {Url}", new Uri("https://alice:hunter2-f@cloud.example.org/remote.php/dav/"));
                logger.Information("Secrets {Values}", new[] { "plain", "token=hunter2-g" });
                logger.Information("Shared {service_shared_secret} and {AccessToken}", "hunter2-h", "hunter2-i");
            }

            var text = output.ToString();
            Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
            Assert.Contains(SecretMaskingEnricher.Mask, text, StringComparison.Ordinal);
            // What is not secret stays readable.
            Assert.Contains("svc-connector", text, StringComparison.Ordinal);
            Assert.Contains("admin1", text, StringComparison.Ordinal);
            Assert.Contains("text/calendar", text, StringComparison.Ordinal);
            Assert.Contains("Host=db;Username=connector;Password=***;Database=connector", text, StringComparison.Ordinal);
            Assert.Contains("cloud.example.org", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ExceptionText_WithAConnectionStringPassword_IsMasked()
    {
        foreach (var format in new[] { LogFormat.Console, LogFormat.Json })
        {
            var output = new LogCapture();
            using (var logger = ConnectorLogging.CreateLogger(Settings(format), output))
            {
                var inner = new InvalidOperationException("Host=db;Password=hunter2-x;Database=connector");
                logger.Error(new InvalidOperationException("state store failed", inner), "Sync failed");
                logger.Error(new TimeoutException("plain timeout"), "Other failure");
            }

            var text = output.ToString();
            Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
            Assert.Contains("System.InvalidOperationException: state store failed", text, StringComparison.Ordinal);
            Assert.Contains("Password=***", text, StringComparison.Ordinal);
            Assert.Contains("System.TimeoutException: plain timeout", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("Password", true)]
    [InlineData("ClientSecret", true)]
    [InlineData("client_secret", true)]
    [InlineData("SharedSecret", true)]
    [InlineData("AccessToken", true)]
    [InlineData("refresh-token", true)]
    [InlineData("ApiKey", true)]
    [InlineData("Authorization", true)]
    [InlineData("UserName", false)]
    [InlineData("Mailbox", false)]
    [InlineData("Identity", false)]
    [InlineData("Created", false)]
    public void IsSecretName_KnowsSecretNames(string name, bool expected)
    {
        Assert.Equal(expected, SecretMaskingEnricher.IsSecretName(name));
    }

    [Fact]
    public void ResourceAttributes_NameTheServiceAndTheWorker()
    {
        var attributes = ConnectorLogging.ResourceAttributes(Settings());

        Assert.Equal("exchange-nextcloud-connector", attributes["service.name"]);
        Assert.Equal("worker-7", attributes["service.instance.id"]);
    }

    [Theory]
    [InlineData("http://127.0.0.1:4318", "http://127.0.0.1:4318/v1/logs")]
    [InlineData("http://127.0.0.1:4318/", "http://127.0.0.1:4318/v1/logs")]
    [InlineData("https://otel.example.org/otlp", "https://otel.example.org/otlp/v1/logs")]
    public void SignalUrl_AppendsTheSignalPath(string endpoint, string expected)
    {
        Assert.Equal(new Uri(expected), ConnectorLogging.SignalUrl(new Uri(endpoint), "v1/logs"));
    }
}

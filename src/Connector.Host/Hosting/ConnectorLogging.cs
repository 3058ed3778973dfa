using Serilog;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;
using Serilog.Sinks.OpenTelemetry;

namespace Connector.Host.Hosting;

/// <summary>
/// The daemon's Serilog pipeline: level and overrides, the secret mask (always last), the console
/// in the configured format and, when <c>Otlp__Endpoint</c> is set, OTLP/HTTP export of the same
/// events.
/// </summary>
public static class ConnectorLogging
{
    /// <summary>Human format: date and time, level, message, the logging class; exceptions on the next lines.</summary>
    public const string ConsoleTemplate = "[{Timestamp:yyyy-MM-dd HH:mm:ss} {Level:u3}] {Message:lj} <{SourceContext}>{NewLine}{Exception}";

    /// <summary>The property every event carries so that replicas can be told apart in Loki.</summary>
    public const string WorkerIdProperty = "WorkerId";

    /// <summary>Builds the logger; <paramref name="consoleOverride"/> replaces standard output (tests).</summary>
    /// <param name="settings">Level, format, OTLP endpoint, worker id.</param>
    /// <param name="consoleOverride">Replaces standard output (tests).</param>
    /// <param name="providers">
    /// Microsoft.Extensions.Logging providers that also receive the (masked) events: the Windows
    /// Event Log when running as a Windows service, which has no console.
    /// </param>
    public static Logger CreateLogger(OperationsSettings settings, TextWriter? consoleOverride = null, LoggerProviderCollection? providers = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(settings.LogLevel)
            // Framework chatter (every request, every option bind) is noise next to sync events;
            // its warnings still show. Start/stop lines ("Now listening on", "Application
            // started") follow the connector's own level.
            .MinimumLevel.Override("Microsoft", Max(settings.LogLevel, LogEventLevel.Warning))
            .MinimumLevel.Override("System", Max(settings.LogLevel, LogEventLevel.Warning))
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", settings.LogLevel)
            .Enrich.FromLogContext()
            .Enrich.WithProperty(WorkerIdProperty, settings.WorkerId)
            // Enrichers run in order: the mask must see every property the others added.
            .Enrich.With(new SecretMaskingEnricher());

        // Every sink behind the exception mask (properties are masked by the enricher above).
        configuration.WriteTo.Sink(LoggerSinkConfiguration.Wrap(
            sink => new ExceptionMaskingSink(sink),
            sinks => AddSinks(sinks, settings, consoleOverride, providers)));
        return configuration.CreateLogger();
    }

    /// <summary>The console formatter for a format: a template for humans, rendered compact JSON for machines.</summary>
    public static ITextFormatter CreateConsoleFormatter(LogFormat format) => format switch
    {
        // Rendered (with "@m"), not only the template: Grafana shows the message as is.
        LogFormat.Json => new RenderedCompactJsonFormatter(),
        _ => new MessageTemplateTextFormatter(ConsoleTemplate, System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>OTLP resource attributes shared by logs and metrics.</summary>
    public static Dictionary<string, object> ResourceAttributes(OperationsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new Dictionary<string, object>
        {
            ["service.name"] = OperationsSettings.ServiceName,
            ["service.instance.id"] = settings.WorkerId,
            ["service.version"] = typeof(ConnectorLogging).Assembly.GetName().Version?.ToString() ?? "0.0.0",
        };
    }

    /// <summary><c>http://collector:4318</c> + <c>v1/logs</c> → <c>http://collector:4318/v1/logs</c>, keeping a path prefix.</summary>
    public static Uri SignalUrl(Uri endpoint, string signalPath)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var baseText = endpoint.ToString();
        return new Uri(baseText.EndsWith('/') ? baseText + signalPath : baseText + "/" + signalPath);
    }

    /// <summary>Writes formatted events to a writer, one at a time (tests read the log this way).</summary>
    private sealed class TextWriterSink(ITextFormatter formatter, TextWriter writer) : ILogEventSink
    {
        private readonly Lock writeLock = new();

        public void Emit(LogEvent logEvent)
        {
            lock (writeLock)
            {
                formatter.Format(logEvent, writer);
                writer.Flush();
            }
        }
    }

    private static void AddSinks(LoggerSinkConfiguration sinks, OperationsSettings settings, TextWriter? consoleOverride, LoggerProviderCollection? providers)
    {
        if (providers is not null)
        {
            sinks.Providers(providers);
        }

        var formatter = CreateConsoleFormatter(settings.LogFormat);
        if (consoleOverride is null)
        {
            sinks.Console(formatter);
        }
        else
        {
            sinks.Sink(new TextWriterSink(formatter, consoleOverride));
        }

        if (settings is { OtlpEndpoint: { } endpoint, OtlpLogs: true })
        {
            sinks.OpenTelemetry(
                options =>
                {
                    options.Endpoint = null;
                    options.LogsEndpoint = SignalUrl(endpoint, "v1/logs").ToString();
                    options.Protocol = OtlpProtocol.HttpProtobuf;
                    options.Headers = new Dictionary<string, string>(settings.OtlpHeaders);
                    options.ResourceAttributes = ResourceAttributes(settings);
                    options.IncludedData = IncludedData.MessageTemplateTextAttribute | IncludedData.TraceIdField | IncludedData.SpanIdField
                        | IncludedData.SpecRequiredResourceAttributes;
                },
                // Configuration comes from the connector's own keys only; OTEL_* variables meant
                // for another program in the same environment must not redirect our logs.
                ignoreEnvironment: true);
        }
    }

    private static LogEventLevel Max(LogEventLevel a, LogEventLevel b) => a > b ? a : b;
}

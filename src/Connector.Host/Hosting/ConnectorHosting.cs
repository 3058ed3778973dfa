using System.Net;
using Connector.Host.Hosting.Metrics;
using Connector.Worker.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Hosting.WindowsServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.EventLog;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Serilog;
using Serilog.Extensions.Logging;

namespace Connector.Host.Hosting;

/// <summary>
/// The daemon's host (`connector run`): logging, the HTTP surface (health, metrics, status,
/// webhook) and the systemd / Windows service integration. The worker's services are added by
/// the caller between <see cref="CreateBuilder(IConfiguration, string[])"/> and <c>Build()</c>.
/// </summary>
public static class ConnectorHosting
{
    /// <summary>The Windows service name the README's <c>sc.exe create</c> line uses.</summary>
    public const string WindowsServiceName = "ExchangeNextcloudConnector";

    /// <summary>
    /// A web application builder over an already-built configuration (appsettings &lt; .env &lt;
    /// environment, see Connector.Worker.Configuration). Throws
    /// <see cref="Microsoft.Extensions.Options.OptionsValidationException"/> naming every bad
    /// operations option (Http__*, Logging__*, Otlp__*, Service__SharedSecret).
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(IConfiguration configuration, string[] args) =>
        CreateBuilder(configuration, args, consoleOverride: null);

    /// <summary>As above; <paramref name="consoleOverride"/> replaces standard output for the log (tests).</summary>
    internal static WebApplicationBuilder CreateBuilder(IConfiguration configuration, string[] args, TextWriter? consoleOverride)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = OperationsSettings.Read(configuration);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddConfiguration(configuration);
        builder.Services.AddSingleton(settings);

        builder.Logging.ClearProviders();
        var providers = IsWindowsService() ? new LoggerProviderCollection() : null;
        builder.Services.AddSerilog(ConnectorLogging.CreateLogger(settings, consoleOverride, providers), dispose: true, providers);

        if (settings.HttpEnabled)
        {
            builder.WebHost.UseUrls([.. settings.HttpListen.Select(url => url.GetLeftPart(UriPartial.Authority))]);
        }
        else
        {
            builder.Services.AddSingleton<IServer, NoListenServer>();
        }

        builder.Services.TryAddSingleton<WorkerMetrics>();
        builder.Services.AddSingleton(services =>
        {
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PrometheusMetricsCollector).FullName!);
            return new PrometheusMetricsCollector(services.GetRequiredService<WorkerMetrics>().Meter, exception => HostingLog.GaugeFailed(logger, exception));
        });

        if (settings is { OtlpEndpoint: { } otlpEndpoint, OtlpMetrics: true })
        {
            AddOtlpMetrics(builder.Services, settings, otlpEndpoint);
        }

        AddServiceIntegration(builder.Services);
        return builder;
    }

    /// <summary>Maps /health/live, /health/ready, /metrics, /api/status and the webhook endpoint.</summary>
    public static WebApplication MapConnectorEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var settings = app.Services.GetRequiredService<OperationsSettings>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConnectorHosting).FullName!);

        // Resolved now, before the worker records anything: a MeterListener sees only what
        // happens after it starts listening.
        OperationsEndpoints.Map(app);
        WebhookEndpoint.Map(app, settings.SharedSecret);

        if (settings.SharedSecret is null)
        {
            HostingLog.WebhookDisabled(logger);
        }

        if (settings.HttpEnabled)
        {
            foreach (var url in settings.HttpListen.Where(url => !IsLoopback(url)))
            {
                HostingLog.ListeningBeyondLoopback(logger, url);
            }
        }

        if (settings.OtlpEndpoint is { } endpoint)
        {
            HostingLog.OtlpExport(logger, endpoint);
        }

        return app;
    }

    /// <summary>The listening addresses once the app has started (port 0 resolved), e.g. for tests and the demo.</summary>
    public static IReadOnlyList<Uri> ListeningAddresses(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return [.. app.Urls.Select(url => new Uri(url))];
    }

    private static void AddOtlpMetrics(IServiceCollection services, OperationsSettings settings, Uri endpoint)
    {
        var headers = string.Join(",", settings.OtlpHeaders.Select(h => h.Key + "=" + h.Value));
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(OperationsSettings.ServiceName, serviceVersion: typeof(ConnectorHosting).Assembly.GetName().Version?.ToString(), autoGenerateServiceInstanceId: false, serviceInstanceId: settings.WorkerId))
            .WithMetrics(metrics => metrics
                .AddMeter(WorkerMetrics.MeterName)
                .AddOtlpExporter((exporter, reader) =>
                {
                    // A programmatic endpoint is used as is for HTTP: it must name the signal path.
                    exporter.Endpoint = ConnectorLogging.SignalUrl(endpoint, "v1/metrics");
                    exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
                    exporter.Headers = headers.Length > 0 ? headers : null;
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = settings.OtlpMetricExportIntervalSeconds * 1000;
                }));
    }

    /// <summary>
    /// systemd (Type=notify: READY=1 once started, STOPPING=1 on shutdown, SIGTERM stops
    /// gracefully) and Windows service (SCM start/stop). Both are no-ops when the process runs
    /// in a terminal.
    /// </summary>
    private static void AddServiceIntegration(IServiceCollection services)
    {
        if (SystemdHelpers.IsSystemdService())
        {
            services.AddSystemd();
        }
        else if (!OperatingSystem.IsWindows() && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NOTIFY_SOCKET")))
        {
            // sd_notify(3) needs nothing but NOTIFY_SOCKET. .NET's detection also wants systemd
            // as the parent process, which is not the case under `systemd-run --scope`, an init
            // shim in a container (podman --sdnotify=container, tini) or any other supervisor
            // speaking the protocol; the notification itself is the same.
            services.AddSingleton<ISystemdNotifier, SystemdNotifier>();
            services.AddSingleton<IHostLifetime, SystemdLifetime>();
        }

        services.AddWindowsService(options => options.ServiceName = WindowsServiceName);
        if (OperatingSystem.IsWindows() && IsWindowsService())
        {
            // A service has no console: AddWindowsService registers the Event Log provider, and
            // Serilog forwards to it (see CreateBuilder). Warnings and errors only; the full log
            // belongs in OTLP (Otlp__Endpoint), not in the Event Log.
            services.Configure<EventLogSettings>(WarningsAndErrorsOnly);
        }
    }

    [System.Runtime.Versioning.SupportedOSPlatform("windows")]
    private static void WarningsAndErrorsOnly(EventLogSettings settings) => settings.Filter = (_, level) => level >= LogLevel.Warning;

    private static bool IsWindowsService() => OperatingSystem.IsWindows() && WindowsServiceHelpers.IsWindowsService();

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}

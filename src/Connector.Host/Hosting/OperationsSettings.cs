using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Serilog.Events;

namespace Connector.Host.Hosting;

/// <summary>How the console log is written.</summary>
public enum LogFormat
{
    /// <summary>One human-readable line per event (the default, for a terminal or journald).</summary>
    Console,

    /// <summary>One compact JSON object per line (Serilog's rendered compact format), for containers and Loki.</summary>
    Json,
}

/// <summary>
/// The operations options of the daemon (HTTP listener, logs, OTLP export, webhook secret), read
/// from configuration and validated at start: every bad value is one line naming the key in its
/// environment-variable form, the value and what is allowed.
/// </summary>
public sealed record OperationsSettings
{
    /// <summary>Loopback only: the endpoints expose status and metrics, so exposing them is a deliberate choice.</summary>
    public const string DefaultListen = "http://127.0.0.1:8480";

    /// <summary>The OpenTelemetry <c>service.name</c> of every log record and metric.</summary>
    public const string ServiceName = "exchange-nextcloud-connector";

    /// <summary>OTLP metric export period; the OpenTelemetry SDK's own default.</summary>
    public const int DefaultMetricExportIntervalSeconds = 60;

    /// <summary>
    /// Shortest accepted shared secret: an HMAC key guessable by brute force protects nothing. The
    /// Nextcloud app generates 32 random bytes.
    /// </summary>
    public const int MinimumSharedSecretLength = 16;

    public bool HttpEnabled { get; init; } = true;

    /// <summary>Kestrel URLs (<c>Http__Listen</c>, several separated by <c>;</c>).</summary>
    public IReadOnlyList<Uri> HttpListen { get; init; } = [new Uri(DefaultListen)];

    public LogFormat LogFormat { get; init; } = LogFormat.Console;

    public LogEventLevel LogLevel { get; init; } = LogEventLevel.Information;

    /// <summary>OTLP/HTTP base URL (e.g. <c>http://127.0.0.1:4318</c>); null: no export.</summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>Headers sent with every OTLP request (<c>Otlp__Headers=key=value,key2=value2</c>).</summary>
    public IReadOnlyDictionary<string, string> OtlpHeaders { get; init; } = new Dictionary<string, string>();

    public int OtlpMetricExportIntervalSeconds { get; init; } = DefaultMetricExportIntervalSeconds;

    /// <summary>Export logs over OTLP (<c>Otlp__Signals</c> contains <c>logs</c>; the default).</summary>
    public bool OtlpLogs { get; init; } = true;

    /// <summary>
    /// Export metrics over OTLP (<c>Otlp__Signals</c> contains <c>metrics</c>; the default). Off when
    /// the endpoint is Loki itself, which takes logs only.
    /// </summary>
    public bool OtlpMetrics { get; init; } = true;

    /// <summary>The webhook secret (<c>Service__SharedSecret</c>); null: the webhook is disabled.</summary>
    public string? SharedSecret { get; init; }

    /// <summary>This process's name in logs, metrics and leases.</summary>
    public required string WorkerId { get; init; }

    /// <summary>Reads and validates; throws <see cref="OptionsValidationException"/> listing every bad value.</summary>
    public static OperationsSettings Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var errors = new List<string>();

        var httpEnabled = ReadBool(configuration, "Http:Enabled", true, errors);
        var listen = ReadListen(configuration["Http:Listen"], errors);
        var format = ReadFormat(configuration["Logging:Format"], errors);
        var level = ReadLevel(configuration["Logging:Level"], errors);
        var otlpEndpoint = ReadOtlpEndpoint(configuration["Otlp:Endpoint"], errors);
        var otlpHeaders = ReadHeaders(configuration["Otlp:Headers"], errors);
        var interval = ReadInterval(configuration["Otlp:MetricExportIntervalSeconds"], errors);
        var secret = ReadSecret(configuration["Service:SharedSecret"], errors);
        var (logs, metrics) = ReadSignals(configuration["Otlp:Signals"], errors);

        if (errors.Count > 0)
        {
            throw new OptionsValidationException(nameof(OperationsSettings), typeof(OperationsSettings), errors);
        }

        return new OperationsSettings
        {
            HttpEnabled = httpEnabled,
            HttpListen = listen,
            LogFormat = format,
            LogLevel = level,
            OtlpEndpoint = otlpEndpoint,
            OtlpHeaders = otlpHeaders,
            OtlpMetricExportIntervalSeconds = interval,
            OtlpLogs = logs,
            OtlpMetrics = metrics,
            SharedSecret = secret,
            WorkerId = ResolveWorkerId(configuration),
        };
    }

    /// <summary>
    /// <c>Service__WorkerId</c> when set, else host name and process id: unique among replicas on
    /// one PostgreSQL and stable for the life of the process (a lease owner must not change name).
    /// </summary>
    public static string ResolveWorkerId(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration["Service:WorkerId"];
        return string.IsNullOrWhiteSpace(configured)
            ? string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}-{Environment.ProcessId}")
            : configured.Trim();
    }

    private static string EnvName(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    private static bool ReadBool(IConfiguration configuration, string key, bool fallback, List<string> errors)
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        if (bool.TryParse(value.Trim(), out var parsed))
        {
            return parsed;
        }

        errors.Add($"{EnvName(key)}: \"{value}\" is not allowed; use true or false");
        return fallback;
    }

    private static Uri[] ReadListen(string? value, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return [new Uri(DefaultListen)];
        }

        var urls = new List<Uri>();
        foreach (var part in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // TLS is terminated by a reverse proxy when the endpoints leave the machine; the
            // daemon itself only speaks plain HTTP, so an https URL would be a silent surprise.
            if (Uri.TryCreate(part, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttp && url.AbsolutePath == "/")
            {
                urls.Add(url);
            }
            else
            {
                errors.Add($"Http__Listen: \"{part}\" is not allowed; use http://ADDRESS:PORT, e.g. {DefaultListen} (several separated by ';')");
            }
        }

        return urls.Count > 0 ? [.. urls] : [new Uri(DefaultListen)];
    }

    private static LogFormat ReadFormat(string? value, List<string> errors)
    {
        switch (value?.Trim().ToUpperInvariant())
        {
            case null or "" or "CONSOLE" or "TEXT":
                return LogFormat.Console;
            case "JSON":
                return LogFormat.Json;
            default:
                errors.Add($"Logging__Format: \"{value}\" is not allowed; use console or json");
                return LogFormat.Console;
        }
    }

    private static LogEventLevel ReadLevel(string? value, List<string> errors)
    {
        switch (value?.Trim().ToUpperInvariant())
        {
            case null or "":
                return LogEventLevel.Information;
            case "VERBOSE" or "TRACE":
                return LogEventLevel.Verbose;
            case "DEBUG":
                return LogEventLevel.Debug;
            case "INFORMATION" or "INFO":
                return LogEventLevel.Information;
            case "WARNING" or "WARN":
                return LogEventLevel.Warning;
            case "ERROR":
                return LogEventLevel.Error;
            case "FATAL" or "CRITICAL":
                return LogEventLevel.Fatal;
            default:
                errors.Add($"Logging__Level: \"{value}\" is not allowed; use Verbose, Debug, Information, Warning, Error or Fatal");
                return LogEventLevel.Information;
        }
    }

    private static Uri? ReadOtlpEndpoint(string? value, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (Uri.TryCreate(value.Trim(), UriKind.Absolute, out var url)
            && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            && string.IsNullOrEmpty(url.Query))
        {
            return url;
        }

        errors.Add($"Otlp__Endpoint: \"{value}\" is not allowed; use the collector's OTLP/HTTP base URL, e.g. http://127.0.0.1:4318");
        return null;
    }

    private static Dictionary<string, string> ReadHeaders(string? value, List<string> errors)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrWhiteSpace(value))
        {
            return headers;
        }

        foreach (var pair in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                // The value may be a credential: name the position, never echo it.
                errors.Add($"Otlp__Headers: entry {headers.Count + 1} is not name=value; use name=value,name2=value2");
                continue;
            }

            headers[pair[..equals].Trim()] = pair[(equals + 1)..].Trim();
        }

        return headers;
    }

    private static int ReadInterval(string? value, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return DefaultMetricExportIntervalSeconds;
        }

        if (int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= 3600)
        {
            return seconds;
        }

        errors.Add($"Otlp__MetricExportIntervalSeconds: \"{value}\" is not allowed; use a whole number of seconds from 1 to 3600");
        return DefaultMetricExportIntervalSeconds;
    }

    private static (bool Logs, bool Metrics) ReadSignals(string? value, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return (true, true);
        }

        var (logs, metrics) = (false, false);
        foreach (var signal in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            switch (signal.ToUpperInvariant())
            {
                case "LOGS":
                    logs = true;
                    break;
                case "METRICS":
                    metrics = true;
                    break;
                default:
                    errors.Add($"Otlp__Signals: \"{signal}\" is not allowed; use logs, metrics or logs,metrics");
                    break;
            }
        }

        return (logs, metrics);
    }

    private static string? ReadSecret(string? value, List<string> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (value.Length < MinimumSharedSecretLength)
        {
            // Never echo a secret, not even a bad one.
            errors.Add($"Service__SharedSecret: a value of {value.Length} characters is too short; use at least {MinimumSharedSecretLength} (e.g. openssl rand -hex 32)");
            return null;
        }

        return value;
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;
using Connector.Host.Hosting.Metrics;
using Connector.Worker.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Connector.Host.Hosting;

/// <summary>
/// <c>/health/live</c>, <c>/health/ready</c>, <c>/metrics</c> and <c>/api/status</c>. Every answer
/// is small JSON (or Prometheus text) and never carries a secret or item content.
/// </summary>
internal static class OperationsEndpoints
{
    /// <summary>A readiness probe must answer even when the database hangs; the orchestrator's own timeout is usually 1–10 s.</summary>
    internal static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(5);

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static void Map(WebApplication app)
    {
        app.MapGet("/health/live", () => Results.Json(new { status = "live" }, Json));
        // Cast to Delegate: as a RequestDelegate the IResult would be discarded.
        app.MapGet("/health/ready", (Delegate)ReadyAsync);
        app.MapGet("/api/status", (Delegate)StatusAsync);

        var collector = app.Services.GetRequiredService<PrometheusMetricsCollector>();
        app.MapGet("/metrics", () => Results.Text(collector.Scrape(), PrometheusText.ContentType));
    }

    private static async Task<IResult> ReadyAsync(HttpContext context)
    {
        var (status, failure) = await TryGetStatusAsync(context);
        if (status is null)
        {
            return Results.Json(new { status = "not_ready", reason = failure }, Json, statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var quarantined = status.Identities.Count(i => i.Quarantined);
        var reason = !status.DatabaseReachable ? "the state database does not answer"
            : status.Ready ? null
            : "every identity is quarantined";
        var body = new
        {
            status = status.Ready ? "ready" : "not_ready",
            reason,
            databaseReachable = status.DatabaseReachable,
            identities = status.Identities.Count,
            quarantinedIdentities = quarantined,
            users = status.Users.Count,
        };
        return Results.Json(body, Json, statusCode: status.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> StatusAsync(HttpContext context)
    {
        var (status, failure) = await TryGetStatusAsync(context);
        return status is null
            ? Results.Json(new { error = failure }, Json, statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Json(status, Json);
    }

    /// <summary>The status, or why there is none (no source yet, it failed, it took too long).</summary>
    private static async Task<(WorkerStatus? Status, string? Failure)> TryGetStatusAsync(HttpContext context)
    {
        var source = context.RequestServices.GetService<IWorkerStatusSource>();
        if (source is null)
        {
            return (null, "the worker is not running in this process");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(StatusTimeout);
        try
        {
            return (await source.GetStatusAsync(timeout.Token), null);
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            return (null, "the status did not answer within " + ((int)StatusTimeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture) + " s");
        }
#pragma warning disable CA1031 // Any failure of the status source means "not ready", never a 500 with a stack trace.
        catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OperationsEndpoints).FullName!);
            HostingLog.StatusFailed(logger, exception);
            // The message may quote a connection string; the mask keeps its password out of the answer.
            return (null, "status unavailable: " + SecretMaskingEnricher.MaskInsideText(exception.Message));
        }
    }
}

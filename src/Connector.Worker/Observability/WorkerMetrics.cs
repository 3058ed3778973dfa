using System.Diagnostics.Metrics;

namespace Connector.Worker.Observability;

/// <summary>
/// The worker's instruments, on one <see cref="Meter"/> named <see cref="MeterName"/>. The HTTP
/// surface exposes them as Prometheus text on <c>/metrics</c> and the optional OpenTelemetry export
/// sends the same meter over OTLP, so both views always agree. Tags never carry item content or
/// user data beyond identity names (which administrators chose).
/// </summary>
public sealed class WorkerMetrics : IDisposable
{
    public const string MeterName = "Connector.Worker";

    /// <summary>Bucket boundaries (seconds) for the per-user lag histogram: 1 min … 1 day.</summary>
    public static readonly double[] LagBucketsSeconds = [60, 300, 900, 1800, 3600, 7200, 21600, 86400];

    /// <summary>
    /// Bucket boundaries (seconds) for one user's sync: an empty poll takes well under a second, a
    /// first sync of a large mailbox many minutes.
    /// </summary>
    public static readonly double[] DurationBucketsSeconds = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 1800];

    private readonly Meter meter;
    private readonly Counter<long> syncs;
    private readonly Counter<long> items;
    private readonly Counter<long> errors;
    private readonly Counter<long> throttles;
    private readonly Histogram<double> lag;
    private readonly Histogram<double> duration;
    private Func<int> queueDepth = () => 0;
    private Func<int> inFlight = () => 0;

    public WorkerMetrics(IMeterFactory? meterFactory = null)
    {
        meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        syncs = meter.CreateCounter<long>("connector.syncs", "{sync}", "User syncs finished, by outcome (success, failed, halted, lease_lost).");
        items = meter.CreateCounter<long>("connector.items", "{item}", "Items written, by direction (to_exchange, to_nextcloud) and action (create, update, delete).");
        errors = meter.CreateCounter<long>("connector.errors", "{error}", "Errors, by kind (item, user, auth, transient, config).");
        throttles = meter.CreateCounter<long>("connector.throttles", "{event}", "Throttling answers received, by identity.");
        lag = meter.CreateHistogram<double>(
            "connector.user.lag",
            "s",
            "Time since a user's last successful sync, observed when the user is picked up.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LagBucketsSeconds });
        duration = meter.CreateHistogram<double>(
            "connector.sync.duration",
            "s",
            "Duration of one user sync, by outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBucketsSeconds });
        meter.CreateObservableGauge("connector.queue.depth", () => queueDepth(), "{user}", "Users due now and not yet picked up.");
        meter.CreateObservableGauge("connector.users.in_flight", () => inFlight(), "{user}", "Users being synced by this worker.");
    }

    public Meter Meter => meter;

    public void SyncFinished(string outcome, TimeSpan elapsed)
    {
        syncs.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        duration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));
    }

    public void ItemsWritten(string direction, string action, long count)
    {
        if (count > 0)
        {
            items.Add(count, new("direction", direction), new("action", action));
        }
    }

    public void Error(string kind) => errors.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void Throttled(string identity) => throttles.Add(1, new KeyValuePair<string, object?>("identity", identity));

    public void UserPickedUp(TimeSpan sinceLastSuccess) => lag.Record(Math.Max(0, sinceLastSuccess.TotalSeconds));

    /// <summary>Where the gauges read from (the scheduler sets these once).</summary>
    public void ObserveQueue(Func<int> depth, Func<int> usersInFlight)
    {
        queueDepth = depth;
        inFlight = usersInFlight;
    }

    public void Dispose() => meter.Dispose();
}

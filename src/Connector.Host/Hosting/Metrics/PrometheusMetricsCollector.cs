using System.Diagnostics.Metrics;
using System.Text;

namespace Connector.Host.Hosting.Metrics;

/// <summary>
/// Aggregates one <see cref="Meter"/> for Prometheus scrapes: counters as cumulative sums,
/// histograms as cumulative buckets (the instrument's advised boundaries), gauges as the value
/// observed at scrape time.
/// </summary>
/// <remarks>
/// Why not <c>OpenTelemetry.Exporter.Prometheus.AspNetCore</c>: only a beta is published, and a
/// beta in the one binary administrators run is a support risk for ~200 lines of code. The
/// exposition format is small and stable, and listening to the exact <see cref="Meter"/> instance
/// (not every meter of that name in the process) keeps several hosts in one test process apart.
/// The OTLP export uses the stable OpenTelemetry SDK on the same meter, so both views agree.
/// </remarks>
public sealed class PrometheusMetricsCollector : IDisposable
{
    private readonly Meter meter;
    private readonly MeterListener listener;
    private readonly Lock scrapeLock = new();
    private readonly List<InstrumentState> instruments = [];
    private readonly Lock instrumentsLock = new();
    private readonly Action<Exception>? onGaugeError;

    /// <param name="meter">The one meter to expose.</param>
    /// <param name="onGaugeError">Told when a gauge's callback throws (the scrape goes on without that value).</param>
    public PrometheusMetricsCollector(Meter meter, Action<Exception>? onGaugeError = null)
    {
        ArgumentNullException.ThrowIfNull(meter);
        this.meter = meter;
        this.onGaugeError = onGaugeError;
        listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, this.meter))
                {
                    var state = InstrumentState.For(instrument);
                    lock (instrumentsLock)
                    {
                        instruments.Add(state);
                    }

                    l.EnableMeasurementEvents(instrument, state);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<float>((instrument, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        listener.Start();
    }

    /// <summary>The Prometheus text exposition (format 0.0.4) of every instrument of the meter.</summary>
    public string Scrape()
    {
        lock (scrapeLock)
        {
            InstrumentState[] snapshot;
            lock (instrumentsLock)
            {
                snapshot = [.. instruments];
            }

            foreach (var state in snapshot)
            {
                state.BeginScrape();
            }

            // Runs the gauges' callbacks now; their values arrive through the measurement callbacks.
            try
            {
                listener.RecordObservableInstruments();
            }
#pragma warning disable CA1031 // A broken gauge must not take the counters' scrape down with it.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                onGaugeError?.Invoke(exception);
            }

            var text = new StringBuilder();
            foreach (var state in snapshot.OrderBy(s => s.Name, StringComparer.Ordinal))
            {
                state.WriteTo(text);
            }

            return text.ToString();
        }
    }

    public void Dispose() => listener.Dispose();
}

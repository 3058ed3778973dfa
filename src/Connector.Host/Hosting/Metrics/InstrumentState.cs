using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Connector.Host.Hosting.Metrics;

/// <summary>The aggregated series of one instrument and how they are written as Prometheus text.</summary>
internal sealed class InstrumentState
{
    /// <summary>OpenTelemetry's default explicit bucket boundaries, for a histogram without advice.</summary>
    private static readonly double[] DefaultBuckets = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private readonly Kind kind;
    private readonly double[] buckets;
    private readonly Dictionary<string, Series> series = new(StringComparer.Ordinal);
    private readonly Lock seriesLock = new();

    private InstrumentState(Instrument instrument, Kind kind, double[] buckets)
    {
        this.kind = kind;
        this.buckets = buckets;
        Name = PrometheusText.MetricName(instrument.Name, instrument.Unit, kind == Kind.Counter || kind == Kind.ObservedCounter);
        Help = instrument.Description ?? instrument.Name;
    }

    private enum Kind
    {
        /// <summary>Counter&lt;T&gt;: a cumulative sum of the increments.</summary>
        Counter,

        /// <summary>ObservableCounter&lt;T&gt;: the callback reports the cumulative total itself.</summary>
        ObservedCounter,

        /// <summary>UpDownCounter&lt;T&gt;: a sum that can go down, exposed as a gauge.</summary>
        Sum,

        /// <summary>Gauge&lt;T&gt;: the last recorded value.</summary>
        LastValue,

        /// <summary>ObservableGauge / ObservableUpDownCounter: the value reported during this scrape.</summary>
        ObservedValue,

        Histogram,
    }

    public string Name { get; }

    public string Help { get; }

    public static InstrumentState For(Instrument instrument)
    {
        var definition = instrument.GetType().IsGenericType ? instrument.GetType().GetGenericTypeDefinition() : instrument.GetType();
        var kind = definition == typeof(Counter<>) ? Kind.Counter
            : definition == typeof(ObservableCounter<>) ? Kind.ObservedCounter
            : definition == typeof(UpDownCounter<>) ? Kind.Sum
            : definition == typeof(Gauge<>) ? Kind.LastValue
            : definition == typeof(Histogram<>) ? Kind.Histogram
            : Kind.ObservedValue;
        return new InstrumentState(instrument, kind, kind == Kind.Histogram ? BucketsOf(instrument) : []);
    }

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = PrometheusText.Labels(tags);
        lock (seriesLock)
        {
            if (!series.TryGetValue(labels, out var entry))
            {
                entry = new Series(labels, kind == Kind.Histogram ? new long[buckets.Length + 1] : null);
                series.Add(labels, entry);
            }

            switch (kind)
            {
                case Kind.Counter or Kind.Sum:
                    entry.Value += value;
                    break;
                case Kind.Histogram:
                    entry.Value += value;
                    entry.Count++;
                    var index = Array.BinarySearch(buckets, value);
                    // A value equal to a boundary belongs to that bucket (le = "less or equal").
                    entry.BucketCounts![index >= 0 ? index : ~index]++;
                    break;
                default:
                    entry.Value = value;
                    break;
            }
        }
    }

    /// <summary>Observed values are per scrape: a user no longer reported must not linger.</summary>
    public void BeginScrape()
    {
        if (kind is Kind.ObservedValue or Kind.ObservedCounter)
        {
            lock (seriesLock)
            {
                series.Clear();
            }
        }
    }

    public void WriteTo(StringBuilder text)
    {
        var type = kind switch
        {
            Kind.Counter or Kind.ObservedCounter => "counter",
            Kind.Histogram => "histogram",
            _ => "gauge",
        };
        text.Append("# HELP ").Append(Name).Append(' ').Append(PrometheusText.EscapeHelp(Help)).Append('\n');
        text.Append("# TYPE ").Append(Name).Append(' ').Append(type).Append('\n');

        lock (seriesLock)
        {
            foreach (var entry in series.Values.OrderBy(s => s.Labels, StringComparer.Ordinal))
            {
                if (kind == Kind.Histogram)
                {
                    WriteHistogram(text, entry);
                }
                else
                {
                    WriteSample(text, Name, entry.Labels, null, entry.Value);
                }
            }
        }
    }

    private void WriteHistogram(StringBuilder text, Series entry)
    {
        long cumulative = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            cumulative += entry.BucketCounts![i];
            WriteSample(text, Name + "_bucket", entry.Labels, "le=\"" + PrometheusText.Number(buckets[i]) + "\"", cumulative);
        }

        WriteSample(text, Name + "_bucket", entry.Labels, "le=\"+Inf\"", entry.Count);
        WriteSample(text, Name + "_sum", entry.Labels, null, entry.Value);
        WriteSample(text, Name + "_count", entry.Labels, null, entry.Count);
    }

    private static void WriteSample(StringBuilder text, string name, string labels, string? extraLabel, double value)
    {
        text.Append(name);
        if (labels.Length > 0 || extraLabel is not null)
        {
            text.Append('{').Append(labels);
            if (extraLabel is not null)
            {
                text.Append(labels.Length > 0 ? "," : string.Empty).Append(extraLabel);
            }

            text.Append('}');
        }

        text.Append(' ').Append(PrometheusText.Number(value)).Append('\n');
    }

    private static double[] BucketsOf(Instrument instrument)
    {
        IReadOnlyList<double>? advised = instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries,
            Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            _ => null,
        };
        return advised is { Count: > 0 } ? [.. advised.Order()] : DefaultBuckets;
    }

    private sealed class Series(string labels, long[]? bucketCounts)
    {
        public string Labels { get; } = labels;

        public double Value { get; set; }

        public long Count { get; set; }

        /// <summary>Per bucket (not cumulative); the last one is above every boundary.</summary>
        public long[]? BucketCounts { get; } = bucketCounts;
    }
}

/// <summary>Prometheus text-format naming and escaping (exposition format 0.0.4).</summary>
internal static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>
    /// OpenTelemetry → Prometheus names as the OpenTelemetry specification maps them: dots become
    /// underscores, the unit becomes a suffix (<c>s</c> → <c>_seconds</c>; annotations like
    /// <c>{sync}</c> are dropped), and counters end in <c>_total</c>.
    /// </summary>
    public static string MetricName(string instrumentName, string? unit, bool isCounter)
    {
        var name = Sanitize(instrumentName);
        var suffix = unit switch
        {
            null or "" or "1" => null,
            _ when unit.StartsWith('{') => null,
            "s" => "seconds",
            "ms" => "milliseconds",
            "By" => "bytes",
            _ => Sanitize(unit),
        };
        if (suffix is not null && !name.EndsWith("_" + suffix, StringComparison.Ordinal))
        {
            name += "_" + suffix;
        }

        return isCounter && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total" : name;
    }

    /// <summary>Labels sorted by name: <c>a="1",b="2"</c>; the sort makes equal tag sets one series.</summary>
    public static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return string.Empty;
        }

        var pairs = new List<(string Name, string Value)>(tags.Length);
        foreach (var tag in tags)
        {
            pairs.Add((Sanitize(tag.Key), Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? string.Empty));
        }

        pairs.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        var text = new StringBuilder();
        foreach (var (name, value) in pairs)
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(name).Append("=\"").Append(EscapeLabelValue(value)).Append('"');
        }

        return text.ToString();
    }

    public static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString(CultureInfo.InvariantCulture),
    };

    public static string EscapeHelp(string help) =>
        help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    public static string EscapeLabelValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Metric and label names allow <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>; anything else becomes '_'.</summary>
    private static string Sanitize(string name)
    {
        var text = new StringBuilder(name.Length + 1);
        foreach (var c in name)
        {
            text.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }

        if (text.Length == 0 || char.IsAsciiDigit(text[0]))
        {
            text.Insert(0, '_');
        }

        return text.ToString();
    }
}

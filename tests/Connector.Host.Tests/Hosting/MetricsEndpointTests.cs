using System.Net;

namespace Connector.Host.Tests.Hosting;

public class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_RecordedInstruments_AppearAsPrometheusText()
    {
        await using var host = await TestConnectorHost.StartAsync();
        var metrics = host.Metrics;
        metrics.SyncFinished("success", TimeSpan.FromSeconds(2));
        metrics.SyncFinished("success", TimeSpan.FromSeconds(0.3));
        metrics.SyncFinished("failed", TimeSpan.FromSeconds(40));
        metrics.ItemsWritten("to_nextcloud", "create", 5);
        metrics.ItemsWritten("to_nextcloud", "create", 3);
        metrics.ItemsWritten("to_exchange", "delete", 1);
        metrics.ItemsWritten("to_exchange", "update", 0);
        metrics.Error("item");
        metrics.Error("item");
        metrics.Error("auth");
        metrics.Throttled("admin1");
        metrics.UserPickedUp(TimeSpan.FromMinutes(10));
        metrics.UserPickedUp(TimeSpan.FromHours(2));
        metrics.UserPickedUp(TimeSpan.FromSeconds(60));
        metrics.ObserveQueue(() => 7, () => 2);

        using var response = await host.Client.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var lines = text.Split('\n');

        Assert.Contains("# HELP connector_syncs_total User syncs finished, by outcome (success, failed, halted, lease_lost).", lines);
        Assert.Contains("# TYPE connector_syncs_total counter", lines);
        Assert.Contains("connector_syncs_total{outcome=\"success\"} 2", lines);
        Assert.Contains("connector_syncs_total{outcome=\"failed\"} 1", lines);

        Assert.Contains("# TYPE connector_items_total counter", lines);
        Assert.Contains("connector_items_total{action=\"create\",direction=\"to_nextcloud\"} 8", lines);
        Assert.Contains("connector_items_total{action=\"delete\",direction=\"to_exchange\"} 1", lines);
        Assert.DoesNotContain(lines, line => line.StartsWith("connector_items_total{action=\"update\"", StringComparison.Ordinal));

        Assert.Contains("connector_errors_total{kind=\"item\"} 2", lines);
        Assert.Contains("connector_errors_total{kind=\"auth\"} 1", lines);
        Assert.Contains("connector_throttles_total{identity=\"admin1\"} 1", lines);

        // Lag: 60 s (on the first boundary, "le" includes it), 600 s and 7200 s.
        Assert.Contains("# TYPE connector_user_lag_seconds histogram", lines);
        Assert.Contains("connector_user_lag_seconds_bucket{le=\"60\"} 1", lines);
        Assert.Contains("connector_user_lag_seconds_bucket{le=\"300\"} 1", lines);
        Assert.Contains("connector_user_lag_seconds_bucket{le=\"900\"} 2", lines);
        Assert.Contains("connector_user_lag_seconds_bucket{le=\"3600\"} 2", lines);
        Assert.Contains("connector_user_lag_seconds_bucket{le=\"7200\"} 3", lines);
        Assert.Contains("connector_user_lag_seconds_bucket{le=\"86400\"} 3", lines);
        Assert.Contains("connector_user_lag_seconds_bucket{le=\"+Inf\"} 3", lines);
        Assert.Contains("connector_user_lag_seconds_sum 7860", lines);
        Assert.Contains("connector_user_lag_seconds_count 3", lines);

        Assert.Contains("# TYPE connector_sync_duration_seconds histogram", lines);
        Assert.Contains("connector_sync_duration_seconds_bucket{outcome=\"success\",le=\"0.5\"} 1", lines);
        Assert.Contains("connector_sync_duration_seconds_bucket{outcome=\"success\",le=\"2.5\"} 2", lines);
        Assert.Contains("connector_sync_duration_seconds_count{outcome=\"failed\"} 1", lines);

        Assert.Contains("# TYPE connector_queue_depth gauge", lines);
        Assert.Contains("connector_queue_depth 7", lines);
        Assert.Contains("connector_users_in_flight 2", lines);

        // Every sample line belongs to a family announced by HELP and TYPE.
        var families = lines.Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToHashSet();
        Assert.Equal(families.Count, lines.Count(l => l.StartsWith("# HELP ", StringComparison.Ordinal)));
        foreach (var sample in lines.Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var name = sample.Split('{', ' ')[0];
            Assert.Contains(families, family => name == family || name == family + "_bucket" || name == family + "_sum" || name == family + "_count");
        }
    }

    [Fact]
    public async Task Metrics_GaugeCallbackThrows_CountersStillScraped()
    {
        await using var host = await TestConnectorHost.StartAsync();
        host.Metrics.SyncFinished("success", TimeSpan.FromSeconds(1));
        host.Metrics.ObserveQueue(() => throw new InvalidOperationException("queue gone"), () => 1);

        var text = await host.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Contains("connector_syncs_total{outcome=\"success\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("gauge failed", host.Log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_TwoHostsInOneProcess_DoNotMix()
    {
        await using var first = await TestConnectorHost.StartAsync();
        await using var second = await TestConnectorHost.StartAsync();
        first.Metrics.Error("config");

        var text = await second.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.DoesNotContain("kind=\"config\"", text, StringComparison.Ordinal);
    }
}

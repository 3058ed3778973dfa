using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Connector.Host.Tests.Hosting;

public partial class OtlpExportTests
{
    [Fact]
    public async Task Otlp_EndpointSet_LogsAndMetricsArriveAtTheCollector()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        var host = await TestConnectorHost.StartAsync(new Dictionary<string, string?>
        {
            ["Otlp:Endpoint"] = collector.BaseAddress.ToString(),
            ["Otlp:MetricExportIntervalSeconds"] = "1",
        });
        try
        {
            var logger = host.App.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Connector.Worker.Tests");
            ProbeLogged(logger, "otlp-probe-4711", "hunter2-otlp");
            host.Metrics.SyncFinished("success", TimeSpan.FromSeconds(1));

            // Wait for the periodic metric export; the guard only bounds a broken run.
            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (!collector.Received("/v1/metrics", "connector.syncs") && !guard.IsCancellationRequested)
            {
                await Task.Delay(100, CancellationToken.None);
            }
        }
        finally
        {
            // Stopping flushes the log batch and the last metric export.
            await host.DisposeAsync();
        }

        Assert.True(collector.Received("/v1/logs", "otlp-probe-4711"), "the log record reached /v1/logs");
        Assert.True(collector.Received("/v1/logs", "exchange-nextcloud-connector"), "the log resource names the service");
        Assert.True(collector.Received("/v1/logs", "test-worker-1"), "the log resource names the worker");
        Assert.False(collector.Received("/v1/logs", "hunter2-otlp"), "a secret property is masked before export");
        Assert.True(collector.Received("/v1/metrics", "connector.syncs"), "the counter reached /v1/metrics");
        Assert.True(collector.Received("/v1/metrics", "exchange-nextcloud-connector"), "the metric resource names the service");
        Assert.True(collector.Received("/v1/metrics", "test-worker-1"), "the metric resource names the worker");
        Assert.All(collector.ContentTypes, contentType => Assert.Equal("application/x-protobuf", contentType));
    }

    [Fact]
    public async Task Otlp_LogsOnly_SendsNoMetrics()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        var host = await TestConnectorHost.StartAsync(new Dictionary<string, string?>
        {
            ["Otlp:Endpoint"] = collector.BaseAddress.ToString(),
            ["Otlp:Signals"] = "logs",
            ["Otlp:MetricExportIntervalSeconds"] = "1",
        });
        try
        {
            var logger = host.App.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Connector.Worker.Tests");
            ProbeLogged(logger, "logs-only-probe", "unused");
            host.Metrics.SyncFinished("success", TimeSpan.FromSeconds(1));
        }
        finally
        {
            // Shutdown flushes whatever is configured: a metric exporter, if any, would send now.
            await host.DisposeAsync();
        }

        Assert.True(collector.Received("/v1/logs", "logs-only-probe"));
        Assert.False(collector.ReceivedAny("/v1/metrics"));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Probe {Marker} with {AppPassword}")]
    private static partial void ProbeLogged(ILogger logger, string marker, string appPassword);

    /// <summary>
    /// A minimal OTLP/HTTP collector: accepts protobuf exports on /v1/logs and /v1/metrics and keeps
    /// the bodies. Protobuf stores strings as plain UTF-8, so searching the bytes finds names and
    /// messages without decoding the schema.
    /// </summary>
    private sealed class OtlpReceiver : IAsyncDisposable
    {
        private readonly WebApplication app;
        private readonly ConcurrentQueue<(string Path, byte[] Body)> requests = new();

        private OtlpReceiver(WebApplication app) => this.app = app;

        public Uri BaseAddress => new(app.Urls.First());

        public ConcurrentQueue<string> ContentTypes { get; } = new();

        public static async Task<OtlpReceiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var receiver = new OtlpReceiver(app);
            app.MapPost("/v1/{signal}", receiver.AcceptAsync);
            await app.StartAsync();
            return receiver;
        }

        public bool Received(string path, string text)
        {
            var needle = Encoding.UTF8.GetBytes(text);
            return requests.Any(r => r.Path == path && r.Body.AsSpan().IndexOf(needle) >= 0);
        }

        public bool ReceivedAny(string path) => requests.Any(r => r.Path == path);

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        private async Task AcceptAsync(HttpContext context)
        {
            using var buffer = new MemoryStream();
            var body = context.Request.Headers.ContentEncoding == "gzip"
                ? new GZipStream(context.Request.Body, CompressionMode.Decompress)
                : context.Request.Body;
            await body.CopyToAsync(buffer, context.RequestAborted);
            requests.Enqueue((context.Request.Path.Value!, buffer.ToArray()));
            ContentTypes.Enqueue(context.Request.ContentType ?? string.Empty);

            // An empty Export…ServiceResponse: zero protobuf bytes.
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/x-protobuf";
        }
    }
}

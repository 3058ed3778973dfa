using System.Diagnostics.Metrics;
using Connector.Emulator;
using Connector.Worker.Observability;
using Connector.Worker.Scheduling;

namespace Connector.Worker.Tests;

/// <summary>
/// S14 through the worker: an identity allowed one concurrent EWS request, three users synced at once.
/// Exchange answers ErrorServerBusy with a back-off hint; the identity's gate makes every user of it
/// wait, the runs slow down instead of failing, and the throttling answers are counted in the metrics.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes through IAsyncLifetime.DisposeAsync.")]
public sealed class ThrottlingTests : IAsyncLifetime
{
    private WorkerTestBed bed = null!;

    public async Task InitializeAsync()
    {
        var options = new EmulatorOptions { Port = 0, Seed = "demo", LatencyMilliseconds = 20 };
        options.Throttling.MaxConcurrentRequestsPerIdentity = 1;
        options.Throttling.BackOffMilliseconds = 100;
        bed = await WorkerTestBed.StartAsync("connector-throttle-", options);
    }

    public async Task DisposeAsync() => await bed.DisposeAsync();

    [Fact]
    public async Task BusyExchange_SlowsUsersDown_NoneFails_ThrottlesAreCounted()
    {
        var settings = bed.WriteSettings(
            $$"""[ { "Name": "svc-sync", "ExchangeType": 2, "Username": "svc-sync", "Password": "Passw0rd!", "EwsUrl": "{{bed.Emulator.EwsUri}}" } ]""",
            """
            [
              { "UserId": "alice", "Mailbox": "alice@contoso.com", "VdirPath": "nc/alice" },
              { "UserId": "bob", "Mailbox": "bob@contoso.com", "VdirPath": "nc/bob" },
              { "UserId": "carol", "Mailbox": "carol@contoso.com", "VdirPath": "nc/carol" }
            ]
            """,
            ("Service__MaxParallelProcessingUsers", "3"),
            ("Service__SyncIntervalInSeconds", "3600"));
        using var metrics = new WorkerMetrics();
        long throttles = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == metrics.Meter && instrument.Name == "connector.throttles")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref throttles, value));
        listener.Start();
        await using var runtime = await WorkerRuntime.CreateAsync(settings, CancellationToken.None, metrics: metrics);
        using var scheduler = new SyncScheduler(settings.Service, runtime.State, runtime.Directory, runtime.Runner, metrics) { PollInterval = TimeSpan.FromMilliseconds(50) };

        await scheduler.StartAsync(CancellationToken.None);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTime.UtcNow < deadline && (await runtime.State.ListUsersAsync(CancellationToken.None)).Count(u => u.LastSuccessAt is not null) < 3)
        {
            await Task.Delay(100);
        }

        await scheduler.StopAsync(CancellationToken.None);

        var users = await runtime.State.ListUsersAsync(CancellationToken.None);
        Assert.Equal(3, users.Count);
        Assert.All(users, u =>
        {
            Assert.NotNull(u.LastSuccessAt);
            Assert.Equal(0, u.ConsecutiveFailures);
        });
        Assert.True(runtime.Pool.Gates.ForIdentity("svc-sync").Throttles > 0, "the emulator never throttled: the test did not test anything");
        Assert.Equal(runtime.Pool.Gates.ForIdentity("svc-sync").Throttles, Interlocked.Read(ref throttles));
    }
}

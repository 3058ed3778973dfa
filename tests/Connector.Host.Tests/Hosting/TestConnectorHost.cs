using System.Collections.Concurrent;
using System.Text;
using Connector.Host.Hosting;
using Connector.Worker.Observability;
using Connector.Worker.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Connector.Host.Tests.Hosting;

/// <summary>
/// A host built exactly as `connector run` builds it (<see cref="ConnectorHosting"/>), on a real
/// Kestrel at 127.0.0.1:0, with our own status and nudge interfaces faked and the console log
/// captured.
/// </summary>
internal sealed class TestConnectorHost : IAsyncDisposable
{
    public const string Secret = "test-shared-secret-0123456789abcdef";

    private TestConnectorHost(WebApplication app, LogCapture log, FakeStatusSource status, RecordingNudger nudger)
    {
        App = app;
        Log = log;
        Status = status;
        Nudger = nudger;
        Client = new HttpClient { BaseAddress = app.Urls.Count > 0 ? new Uri(app.Urls.First()) : null };
    }

    public WebApplication App { get; }

    public LogCapture Log { get; }

    public FakeStatusSource Status { get; }

    public RecordingNudger Nudger { get; }

    public HttpClient Client { get; }

    public WorkerMetrics Metrics => App.Services.GetRequiredService<WorkerMetrics>();

    public static async Task<TestConnectorHost> StartAsync(IDictionary<string, string?>? settings = null, bool withWorker = true)
    {
        var values = new Dictionary<string, string?>
        {
            ["Http:Listen"] = "http://127.0.0.1:0",
            ["Service:SharedSecret"] = Secret,
            ["Service:WorkerId"] = "test-worker-1",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var log = new LogCapture();
        var builder = ConnectorHosting.CreateBuilder(configuration, [], log);
        var status = new FakeStatusSource();
        var nudger = new RecordingNudger();
        if (withWorker)
        {
            builder.Services.AddSingleton<IWorkerStatusSource>(status);
            builder.Services.AddSingleton<IUserNudger>(nudger);
        }

        var app = builder.Build();
        app.MapConnectorEndpoints();
        await app.StartAsync();
        return new TestConnectorHost(app, log, status, nudger);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

internal sealed class FakeStatusSource : IWorkerStatusSource
{
    public WorkerStatus Status { get; set; } = new()
    {
        At = DateTimeOffset.UnixEpoch,
        DatabaseReachable = true,
        Identities = [new IdentityStatus { Name = "admin1", Backend = "Ews", AssignedUsers = 1, MaxUsers = 100 }],
    };

    public Exception? Failure { get; set; }

    public Task<WorkerStatus> GetStatusAsync(CancellationToken cancellationToken) =>
        Failure is null ? Task.FromResult(Status) : Task.FromException<WorkerStatus>(Failure);
}

internal sealed class RecordingNudger : IUserNudger
{
    public HashSet<string> KnownUsers { get; } = ["alice"];

    public ConcurrentQueue<(string UserId, string Reason)> Nudges { get; } = new();

    public Task<bool> NudgeAsync(string userId, string reason, CancellationToken cancellationToken)
    {
        Nudges.Enqueue((userId, reason));
        return Task.FromResult(KnownUsers.Contains(userId));
    }
}

/// <summary>A thread-safe writer the host's console log goes to.</summary>
internal sealed class LogCapture : TextWriter
{
    private readonly StringBuilder text = new();
    private readonly Lock textLock = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (textLock)
        {
            text.Append(value);
        }
    }

    public override void Write(string? value)
    {
        lock (textLock)
        {
            text.Append(value);
        }
    }

    public override string ToString()
    {
        lock (textLock)
        {
            return text.ToString();
        }
    }
}

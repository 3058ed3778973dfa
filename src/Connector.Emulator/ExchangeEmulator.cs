using System.Text.Json.Serialization;
using Connector.Emulator.Ews;
using Connector.Emulator.Graph;
using Connector.Emulator.Hosting;
using Connector.Emulator.Seeding;
using Connector.Emulator.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Connector.Emulator;

/// <summary>
/// The Exchange emulator as a library: start it in-process on 127.0.0.1 (port 0 picks a free
/// port), talk EWS to <see cref="EwsUri"/>, inspect and steer it through this object, dispose it.
/// <code>
/// await using var emu = await ExchangeEmulator.StartAsync(options, ct);
/// var ews = emu.EwsUri;
/// </code>
/// </summary>
public sealed class ExchangeEmulator : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly EmulatorRuntime runtime;

    private ExchangeEmulator(WebApplication app, EmulatorRuntime runtime, Uri baseUri)
    {
        this.app = app;
        this.runtime = runtime;
        BaseUri = baseUri;
    }

    /// <summary>http://127.0.0.1:PORT/</summary>
    public Uri BaseUri { get; }

    /// <summary>The EWS endpoint, BaseUri + EWS/Exchange.asmx.</summary>
    public Uri EwsUri => new(BaseUri, "EWS/Exchange.asmx");

    /// <summary>The OAuth 2.0 token endpoint of <paramref name="tenant"/>: BaseUri + {tenant}/oauth2/v2.0/token.</summary>
    public Uri TokenEndpoint(string tenant) => new(BaseUri, Uri.EscapeDataString(tenant) + "/oauth2/v2.0/token");

    /// <summary>Access tokens the token endpoint issued so far.</summary>
    public int TokensIssued => runtime.Tokens.Issued;

    /// <summary>Refuses every token issued so far (a revocation): the next request with one gets 401.</summary>
    public void RevokeIssuedTokens() => runtime.Tokens.RevokeAll();

    /// <summary>Fault injection rules (also at /emulator/faults).</summary>
    public FaultInjector Faults => runtime.Faults;

    /// <summary>The requests seen (identity, operation, impersonation, X-AnchorMailbox, outcome).</summary>
    public RequestLog Requests => runtime.Requests;

    /// <summary>Fixed latency added to every EWS request.</summary>
    public int LatencyMilliseconds
    {
        get => runtime.LatencyMilliseconds;
        set => runtime.LatencyMilliseconds = value;
    }

    /// <summary>Schema violations of responses found while <see cref="EmulatorOptions.ValidateResponses"/> is on.</summary>
    public IReadOnlyList<string> ResponseSchemaViolations => runtime.ResponseViolations.ToList();

    /// <summary>Starts an emulator (seeded as the options say) and returns once it listens.</summary>
    public static async Task<ExchangeEmulator> StartAsync(EmulatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        var (app, runtime) = Build(builder, options);
        await app.StartAsync(cancellationToken);
        return new ExchangeEmulator(app, runtime, ListeningUri(app));
    }

    /// <summary>The scheduling messages a mailbox "sent" (its outbox), oldest first; a Graph (Microsoft 365) mailbox's too.</summary>
    public IReadOnlyList<OutboxMessage> Outbox(string mailbox)
    {
        var box = runtime.Store.Find(mailbox);
        if (box is null)
        {
            return GraphOutbox(mailbox);
        }

        lock (box.Gate)
        {
            return box.Outbox.ToList();
        }
    }

    /// <summary>Every mailbox's outbox (EWS and Graph), in send order.</summary>
    public IReadOnlyList<OutboxMessage> AllOutbox() =>
        runtime.Store.Mailboxes.SelectMany(m =>
        {
            lock (m.Gate)
            {
                return m.Outbox.ToList();
            }
        }).Concat(GraphControl.Outbox(runtime.Graph, null)).OrderBy(m => m.Sequence).ToList();

    /// <summary>Empties one mailbox's outbox, or all of them (EWS and Graph).</summary>
    public void ClearOutbox(string? mailbox = null)
    {
        GraphControl.ClearOutbox(runtime.Graph, mailbox);
        foreach (var box in runtime.Store.Mailboxes.Where(m => mailbox is null || string.Equals(m.SmtpAddress, mailbox, StringComparison.OrdinalIgnoreCase)))
        {
            lock (box.Gate)
            {
                box.Outbox.Clear();
            }
        }
    }

    /// <summary>http://127.0.0.1:PORT/v1.0/ — the Microsoft Graph root of the emulated Microsoft 365 tenant.</summary>
    public Uri GraphUri => new(BaseUri, "v1.0/");

    /// <summary>The invitations, updates and cancellations a Graph mailbox "sent", oldest first.</summary>
    public IReadOnlyList<OutboxMessage> GraphOutbox(string userPrincipalName) => GraphControl.Outbox(runtime.Graph, userPrincipalName);

    /// <summary>A Microsoft 365 (Graph) mailbox for seeding and inspection (created when it does not exist).</summary>
    public GraphMailboxHandle GraphMailbox(string userPrincipalName, string? displayName = null) => new(runtime.Graph.GetOrAdd(userPrincipalName, displayName));

    /// <summary>Every delta and skip token issued for the Graph mailbox becomes invalid (410 syncStateNotFound), as an expired sync state.</summary>
    public void InvalidateGraphDeltaTokens(string userPrincipalName) => GraphControl.InvalidateTokens(runtime.Graph, userPrincipalName);

    /// <summary>A mailbox for seeding and inspection (created when it does not exist).</summary>
    public EmulatorMailboxHandle Mailbox(string smtpAddress) => new(runtime.Store.GetOrAdd(smtpAddress));

    public async Task StopAsync(CancellationToken cancellationToken = default) => await app.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>Builds the web application for the exe and for <see cref="StartAsync"/>.</summary>
    internal static (WebApplication App, EmulatorRuntime Runtime) Build(WebApplicationBuilder builder, EmulatorOptions options)
    {
        builder.WebHost.UseUrls($"http://{options.Host}:{options.Port}");
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        Seeder.AddIdentities(options);
        var runtime = new EmulatorRuntime(options);
        var saved = EmulatorStorePersistence.Read(options.DataFile);
        if (saved is null)
        {
            Seeder.Seed(runtime.Store, options);
        }
        else
        {
            EmulatorStorePersistence.Restore(runtime.Store, saved);
        }

        // The Microsoft 365 tenant is kept in the same file; one written before it was kept has no
        // Graph section, and the tenant is then seeded as on a first start.
        if (saved?.Graph is { } graph)
        {
            GraphTenantPersistence.Restore(runtime.Graph, graph);
        }
        else
        {
            GraphSeeder.Seed(runtime.Graph, options);
        }

        var app = builder.Build();
        if (options.DataFile is { } dataFile)
        {
            // Also when the exe is stopped with Ctrl+C: stopping raises ApplicationStopping first.
            app.Lifetime.ApplicationStopping.Register(() => EmulatorStorePersistence.Save(runtime.Store, runtime.Graph, dataFile));
        }

        var ews = new EwsEndpoint(runtime);
        EmulatorEndpoints.Map(app, runtime, ews, new GraphEndpoint(runtime, runtime.Graph));
        return (app, runtime);
    }

    internal static Uri ListeningUri(WebApplication app)
    {
        var address = app.Urls.First();
        return new Uri(address.EndsWith('/') ? address : address + "/");
    }
}

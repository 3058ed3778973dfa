using System.Net.Http.Headers;
using Connector.Emulator;

namespace Connector.Stores.Graph.Tests;

/// <summary>
/// The emulator in-process on a free loopback port with a Microsoft 365 tenant and one app identity whose static
/// bearer token stands in for the MSAL token (the OAuth handler is another project's); stores are made per mailbox.
/// </summary>
internal sealed class GraphEmulatorScope : IAsyncDisposable
{
    public const string Token = "graph-store-test-token";

    private GraphEmulatorScope(ExchangeEmulator emulator)
    {
        Emulator = emulator;
        Http = new HttpClient(new BearerHandler { InnerHandler = new SocketsHttpHandler() }) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public ExchangeEmulator Emulator { get; }

    public HttpClient Http { get; }

    public static async Task<GraphEmulatorScope> StartAsync(Action<EmulatorOptions>? configure = null)
    {
        var options = new EmulatorOptions { Port = 0 };
        var app = new EmulatorIdentity { Name = "graph-store-tests" };
        app.BearerTokens.Add(Token);
        app.CanImpersonate.Add("*");
        options.Identities.Add(app);
        configure?.Invoke(options);
        return new GraphEmulatorScope(await ExchangeEmulator.StartAsync(options, CancellationToken.None));
    }

    /// <summary>A new, empty mailbox of the tenant.</summary>
    public string NewMailbox(string label = "user")
    {
        var upn = $"{label}-{Guid.NewGuid():N}@fabrikam.onmicrosoft.com";
        Emulator.GraphMailbox(upn);
        return upn;
    }

    public GraphItemStore Store(string mailbox, Func<GraphStoreOptions, GraphStoreOptions>? configure = null)
    {
        var options = new GraphStoreOptions { BaseUri = Emulator.GraphUri, Mailbox = mailbox, MailboxTimeZone = "Europe/Berlin" };
        return new GraphItemStore(Http, configure?.Invoke(options) ?? options);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Emulator.DisposeAsync();
    }

    /// <summary>What the OAuth DelegatingHandler does in production: a bearer token on every request.</summary>
    private sealed class BearerHandler : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            return base.SendAsync(request, cancellationToken);
        }
    }
}

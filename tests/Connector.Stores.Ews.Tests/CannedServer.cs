using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Connector.Stores.Ews.Tests;

/// <summary>
/// A small HTTP server on 127.0.0.1 (free port) that answers every request with <c>answer</c> and records the
/// Authorization header each request carried: for what the emulator does not do (NTLM challenges, a ServerBusy
/// fault without BackOffMilliseconds) and for checking which host credentials go to.
/// </summary>
internal sealed class CannedServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private CannedServer(WebApplication app, Uri baseUri)
    {
        this.app = app;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public Uri EwsUri => new(BaseUri, "EWS/Exchange.asmx");

    /// <summary>The Authorization header of each request ("" when none), in arrival order.</summary>
    public ConcurrentQueue<string> Authorizations { get; } = new();

    /// <summary>When each request arrived (system clock), in arrival order.</summary>
    public ConcurrentQueue<DateTimeOffset> Arrivals { get; } = new();

    /// <summary>Requests answered so far (the answer may use it to answer the first ones differently).</summary>
    public int Count => Arrivals.Count;

    public static async Task<CannedServer> StartAsync(Func<HttpContext, Task> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        CannedServer? server = null;
        app.Run(async http =>
        {
            server!.Arrivals.Enqueue(DateTimeOffset.UtcNow);
            server.Authorizations.Enqueue(http.Request.Headers.Authorization.ToString());
            await answer(http);
        });
        await app.StartAsync();
        var address = app.Urls.First();
        server = new CannedServer(app, new Uri(address.EndsWith('/') ? address : address + "/"));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

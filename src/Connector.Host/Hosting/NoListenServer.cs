using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Connector.Host.Hosting;

/// <summary>
/// The server when <c>Http__Enabled=false</c>: the web host runs (logging, service lifetime, the
/// worker) but no port is opened. Kestrel would otherwise fall back to its own default address.
/// </summary>
internal sealed class NoListenServer : IServer
{
    public NoListenServer()
    {
        // WebApplication.Urls reads this feature; empty says "listening nowhere".
        Features.Set<IServerAddressesFeature>(new EmptyAddresses());
    }

    public IFeatureCollection Features { get; } = new FeatureCollection();

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
    }

    private sealed class EmptyAddresses : IServerAddressesFeature
    {
        public ICollection<string> Addresses { get; } = [];

        public bool PreferHostingUrls { get; set; }
    }
}

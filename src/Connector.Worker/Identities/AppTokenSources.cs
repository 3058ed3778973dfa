using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Connector.OAuth;
using Microsoft.Extensions.Logging;

namespace Connector.Worker.Identities;

/// <summary>
/// One MSAL token source per application identity and scope, for the life of the process, so every
/// mailbox of an identity shares one cached token (and one renewal) instead of asking the authority
/// per user.
/// </summary>
public sealed class AppTokenSources : IDisposable
{
    private readonly ConcurrentDictionary<string, MsalAccessTokenSource> sources = new(StringComparer.OrdinalIgnoreCase);
    private readonly ILogger? logger;

    public AppTokenSources(ILogger? logger = null) => this.logger = logger;

    /// <summary>The token source of <paramref name="identity"/> for <paramref name="scope"/> (e.g. <see cref="OAuthClientOptions.GraphScope"/>).</summary>
    public IAccessTokenSource For(AdminIdentity identity, string scope)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return sources.GetOrAdd(identity.Name + "\n" + scope, _ => new MsalAccessTokenSource(Options(identity, scope), logger));
    }

    /// <summary>
    /// The MSAL registration of an identity. Microsoft's own login hosts use instance discovery; any
    /// other authority (the emulator) does not. Plain http is accepted only on a loopback address.
    /// </summary>
    public static OAuthClientOptions Options(AdminIdentity identity, string scope)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var host = identity.AuthorityHost ?? OAuthClientOptions.DefaultAuthorityHost;
        var microsoft = host.Host.StartsWith("login.microsoftonline.", StringComparison.OrdinalIgnoreCase)
            || host.Host.Equals("login.chinacloudapi.cn", StringComparison.OrdinalIgnoreCase);
        return new OAuthClientOptions
        {
            AuthorityHost = host,
            TenantId = identity.TenantId ?? throw new InvalidOperationException($"identity {identity.Name} has no TenantId"),
            ClientId = identity.ClientId ?? throw new InvalidOperationException($"identity {identity.Name} has no ClientId"),
            ClientSecret = identity.ClientSecret,
            Certificate = identity.CertificatePath is { } path ? LoadCertificate(path, identity.CertificatePassword) : null,
            Scope = scope,
            InstanceDiscovery = microsoft,
            AllowHttpOnLoopback = host.IsLoopback, // 127.0.0.0/8, ::1 and localhost; OAuthClientOptions still refuses http elsewhere
        };
    }

    private static X509Certificate2 LoadCertificate(string path, string? password) =>
        Path.GetExtension(path).Equals(".pem", StringComparison.OrdinalIgnoreCase)
            ? X509Certificate2.CreateFromPemFile(path)
            : X509CertificateLoader.LoadPkcs12FromFile(path, password);

    public void Dispose()
    {
        foreach (var source in sources.Values)
        {
            source.Dispose();
        }

        sources.Clear();
    }
}

using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Connector.OAuth;

/// <summary>
/// One application registration (app-only, client credentials grant) and the resource it wants a token for.
/// </summary>
public sealed class OAuthClientOptions
{
    /// <summary>Microsoft Entra ID, worldwide. Sovereign clouds have their own host (login.microsoftonline.us…).</summary>
    public static readonly Uri DefaultAuthorityHost = new("https://login.microsoftonline.com/");

    /// <summary>Scope for EWS in Exchange Online (legacy; EWS there is retired from October 2026).</summary>
    public const string ExchangeOnlineEwsScope = "https://outlook.office365.com/.default";

    /// <summary>Scope for Microsoft Graph.</summary>
    public const string GraphScope = "https://graph.microsoft.com/.default";

    /// <summary>The authority's host; the authority is <c>{AuthorityHost}/{TenantId}</c>. Must be https (see <see cref="AllowHttpOnLoopback"/>).</summary>
    public Uri AuthorityHost { get; init; } = DefaultAuthorityHost;

    /// <summary>Directory (tenant) id or a verified domain, e.g. <c>contoso.onmicrosoft.com</c>.</summary>
    public required string TenantId { get; init; }

    /// <summary>Application (client) id of the registration.</summary>
    public required string ClientId { get; init; }

    /// <summary>Client secret; exactly one of this and <see cref="Certificate"/>.</summary>
    public string? ClientSecret { get; init; }

    /// <summary>Certificate with its private key, sent as a signed client assertion; exactly one of this and <see cref="ClientSecret"/>.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>The one scope asked for, e.g. <see cref="ExchangeOnlineEwsScope"/> or <see cref="GraphScope"/>.</summary>
    public required string Scope { get; init; }

    /// <summary>A cached token is renewed when it has less than this left, so no request goes out with one about to expire.</summary>
    public TimeSpan RefreshBeforeExpiry { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// MSAL's instance discovery (it asks login.microsoftonline.com which hosts are aliases of the authority).
    /// Right for Microsoft's public and sovereign clouds; off for any other authority (an air-gapped cloud, the
    /// emulator), which would otherwise be refused as unknown.
    /// </summary>
    public bool InstanceDiscovery { get; init; } = true;

    /// <summary>
    /// Lets <see cref="AuthorityHost"/> be plain http when, and only when, it is a loopback address
    /// (127.0.0.1, ::1, localhost): the Exchange emulator in tests and the demo. MSAL itself accepts only https
    /// authorities, so the token source hands MSAL the https form and its own HTTP handler sends those requests
    /// as http to that one loopback host and port. Off by default; any other host stays https-only.
    /// </summary>
    public bool AllowHttpOnLoopback { get; init; }

    /// <summary>Time limit of one request to the authority.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Throws for options that cannot work, naming the option.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(AuthorityHost);
        if (!AuthorityHost.IsAbsoluteUri)
        {
            throw new ArgumentException($"OAuth AuthorityHost '{AuthorityHost}' must be an absolute URL.", nameof(AuthorityHost));
        }

        if (AuthorityHost.Scheme != Uri.UriSchemeHttps && !(AllowHttpOnLoopback && AuthorityHost.Scheme == Uri.UriSchemeHttp && IsLoopback(AuthorityHost)))
        {
            throw new ArgumentException($"OAuth AuthorityHost '{AuthorityHost}' must use https (plain http only on a loopback address with AllowHttpOnLoopback).", nameof(AuthorityHost));
        }

        if (string.IsNullOrWhiteSpace(TenantId) || TenantId.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"OAuth TenantId '{TenantId}' must be a tenant id or domain.", nameof(TenantId));
        }

        if (string.IsNullOrWhiteSpace(ClientId))
        {
            throw new ArgumentException("OAuth ClientId is required.", nameof(ClientId));
        }

        if (string.IsNullOrEmpty(ClientSecret) == (Certificate is null))
        {
            throw new ArgumentException($"OAuth client {ClientId}: give exactly one of ClientSecret and Certificate.", nameof(ClientSecret));
        }

        if (Certificate is { HasPrivateKey: false })
        {
            throw new ArgumentException($"OAuth client {ClientId}: the certificate {Certificate.Thumbprint} has no private key.", nameof(Certificate));
        }

        if (string.IsNullOrWhiteSpace(Scope))
        {
            throw new ArgumentException($"OAuth client {ClientId}: Scope is required (e.g. {ExchangeOnlineEwsScope}).", nameof(Scope));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(RefreshBeforeExpiry, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero);
    }

    internal static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Identity.Client;

namespace Connector.OAuth;

/// <summary>
/// App-only tokens through MSAL.NET (ConfidentialClientApplication, client credentials grant, client secret or
/// certificate). The token is kept in memory and renewed when it has less than
/// <see cref="OAuthClientOptions.RefreshBeforeExpiry"/> left; concurrent callers share one request to the
/// authority. One instance per application registration and scope, for the life of the process.
/// </summary>
public sealed partial class MsalAccessTokenSource : IAccessTokenSource, IDisposable
{
    private readonly OAuthClientOptions _options;
    private readonly IConfidentialClientApplication _app;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HttpClient _backchannel;
    private readonly SemaphoreSlim _renewal = new(1, 1);
    private CachedToken? _current;

    /// <param name="options">The registration; validated here.</param>
    /// <param name="logger">Token renewals and failures (never a secret or a token).</param>
    /// <param name="time">Clock for expiry (tests).</param>
    /// <param name="backchannel">HTTP handler for the requests to the authority (proxies, tests); a pooled SocketsHttpHandler when null.</param>
    public MsalAccessTokenSource(OAuthClientOptions options, ILogger? logger = null, TimeProvider? time = null, HttpMessageHandler? backchannel = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;

        var handler = backchannel ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        var authorityHost = options.AuthorityHost;
        if (authorityHost.Scheme == Uri.UriSchemeHttp)
        {
            // Validate() allowed this only for loopback with AllowHttpOnLoopback: MSAL sees https, the wire is http.
            authorityHost = new UriBuilder(authorityHost) { Scheme = Uri.UriSchemeHttps, Port = authorityHost.Port }.Uri;
            handler = new LoopbackHttpHandler(authorityHost) { InnerHandler = handler };
        }

        _backchannel = new HttpClient(handler) { Timeout = options.Timeout };
        var authority = new Uri(authorityHost, options.TenantId.Trim() + "/");
        var builder = ConfidentialClientApplicationBuilder.Create(options.ClientId)
            .WithAuthority(authority.ToString())
            .WithInstanceDiscovery(options.InstanceDiscovery)
            .WithHttpClientFactory(new FixedHttpClientFactory(_backchannel));
        builder = options.Certificate is { } certificate ? builder.WithCertificate(certificate) : builder.WithClientSecret(options.ClientSecret);
        _app = builder.Build();
    }

    /// <summary>Tokens obtained from the authority so far (for metrics and tests).</summary>
    public int Acquisitions { get; private set; }

    public async ValueTask<string> GetAccessTokenAsync(CancellationToken cancellationToken)
    {
        if (Usable(_current) is { } token)
        {
            return token;
        }

        await _renewal.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return Usable(_current) ?? await AcquireAsync("none cached or about to expire", cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _renewal.Release();
        }
    }

    public async ValueTask<string> RefreshAccessTokenAsync(string rejectedToken, CancellationToken cancellationToken)
    {
        await _renewal.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_current is { } current && !string.Equals(current.Token, rejectedToken, StringComparison.Ordinal) && Usable(current) is { } replaced)
            {
                return replaced;
            }

            return await AcquireAsync("the resource refused the cached token", cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _renewal.Release();
        }
    }

    public void Dispose()
    {
        _backchannel.Dispose();
        _renewal.Dispose();
    }

    private string? Usable(CachedToken? token) =>
        token is not null && token.ExpiresOn - _time.GetUtcNow() > _options.RefreshBeforeExpiry ? token.Token : null;

    private async Task<string> AcquireAsync(string why, CancellationToken cancellationToken)
    {
        AuthenticationResult result;
        try
        {
            // Our cache decided a new token is needed; MSAL's own cache would hand back one it still likes.
            result = await _app.AcquireTokenForClient([_options.Scope]).WithForceRefresh(true).ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MsalServiceException ex)
        {
            var credential = ex.StatusCode is 400 or 401 or 403 && ex.ErrorCode is not ("temporarily_unavailable" or "request_timeout");
            LogFailed(_logger, _options.ClientId, _options.TenantId, ex.ErrorCode, ex.StatusCode);
            throw new OAuthTokenException(
                credential
                    ? $"OAuth: the authority refused application {_options.ClientId} in tenant {_options.TenantId} ({ex.ErrorCode}, HTTP {ex.StatusCode}): check the client secret or certificate, the tenant and admin consent for {_options.Scope}."
                    : $"OAuth: no token for application {_options.ClientId} in tenant {_options.TenantId}: the authority failed ({ex.ErrorCode}, HTTP {ex.StatusCode}).",
                ex.ErrorCode,
                credential,
                ex);
        }
        catch (MsalClientException ex)
        {
            LogFailed(_logger, _options.ClientId, _options.TenantId, ex.ErrorCode, 0);
            throw new OAuthTokenException($"OAuth: no token for application {_options.ClientId} in tenant {_options.TenantId}: {ex.ErrorCode}: {ex.Message}", ex.ErrorCode, isCredentialProblem: false, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new OAuthTokenException($"OAuth: the authority {_options.AuthorityHost} could not be reached: {ex.Message}", null, isCredentialProblem: false, ex);
        }

        _current = new CachedToken(result.AccessToken, result.ExpiresOn);
        Acquisitions++;
        LogAcquired(_logger, _options.ClientId, _options.Scope, result.ExpiresOn, why);
        return result.AccessToken;
    }

    [LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Debug, Message = "OAuth token for {ClientId} ({Scope}) obtained, valid until {ExpiresOn:u}; {Why}")]
    private static partial void LogAcquired(ILogger logger, string clientId, string scope, DateTimeOffset expiresOn, string why);

    [LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "OAuth token for {ClientId} in tenant {TenantId} refused or failed: {ErrorCode} (HTTP {Status})")]
    private static partial void LogFailed(ILogger logger, string clientId, string tenantId, string? errorCode, int status);

    private sealed record CachedToken(string Token, DateTimeOffset ExpiresOn);

    /// <summary>MSAL asks for an HttpClient per request; one pooled client serves them all.</summary>
    private sealed class FixedHttpClientFactory(HttpClient client) : IMsalHttpClientFactory
    {
        public HttpClient GetHttpClient() => client;
    }
}

namespace Connector.OAuth;

/// <summary>
/// Sends requests for one https loopback authority (scheme, host and port exactly) as plain http: MSAL accepts only
/// https authorities, and the emulator listens on http://127.0.0.1. Only ever installed when
/// <see cref="OAuthClientOptions.AllowHttpOnLoopback"/> is on and the authority is a loopback address; every other
/// request passes unchanged.
/// </summary>
internal sealed class LoopbackHttpHandler : DelegatingHandler
{
    private readonly Uri _authority;

    public LoopbackHttpHandler(Uri httpsLoopbackAuthority)
    {
        if (!OAuthClientOptions.IsLoopback(httpsLoopbackAuthority))
        {
            throw new ArgumentException($"{httpsLoopbackAuthority} is not a loopback address.", nameof(httpsLoopbackAuthority));
        }

        _authority = httpsLoopbackAuthority;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { } uri
            && uri.Scheme == Uri.UriSchemeHttps
            && string.Equals(uri.Host, _authority.Host, StringComparison.OrdinalIgnoreCase)
            && uri.Port == _authority.Port)
        {
            request.RequestUri = new UriBuilder(uri) { Scheme = Uri.UriSchemeHttp, Port = uri.Port }.Uri;
        }

        return base.SendAsync(request, cancellationToken);
    }
}

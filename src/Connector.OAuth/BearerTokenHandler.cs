using System.Net;
using System.Net.Http.Headers;

namespace Connector.OAuth;

/// <summary>
/// Adds <c>Authorization: Bearer</c> from an <see cref="IAccessTokenSource"/> to every request; when the resource
/// answers 401 it gets a new token once and sends the request again (a revoked or rolled-over token), and a second
/// 401 is the caller's to report (S16: never retried in a loop).
/// </summary>
public sealed class BearerTokenHandler : DelegatingHandler
{
    private readonly IAccessTokenSource _tokens;

    public BearerTokenHandler(IAccessTokenSource tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        _tokens = tokens;
    }

    public BearerTokenHandler(IAccessTokenSource tokens, HttpMessageHandler innerHandler)
        : base(innerHandler)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        _tokens = tokens;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var token = await _tokens.GetAccessTokenAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        response.Dispose();
        var renewed = await _tokens.RefreshAccessTokenAsync(token, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", renewed);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}

namespace Connector.OAuth;

/// <summary>
/// Where a client gets the bearer token for its requests. Implementations cache the token and renew it before it
/// expires; <see cref="RefreshAccessTokenAsync"/> is for a token the resource has just refused (revoked, clock
/// skew, a key rollover) and gets a new one from the authority even when the cached one looks valid.
/// </summary>
public interface IAccessTokenSource
{
    /// <summary>A token valid for a while yet (from the cache when it is).</summary>
    ValueTask<string> GetAccessTokenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A new token after the resource refused <paramref name="rejectedToken"/>. When another caller already
    /// replaced that token, the replacement is returned without asking the authority again.
    /// </summary>
    ValueTask<string> RefreshAccessTokenAsync(string rejectedToken, CancellationToken cancellationToken);
}

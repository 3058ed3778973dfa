using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Connector.Emulator.OAuth;

/// <summary>
/// The access tokens the emulator issued: opaque random strings, each for one identity and scope until it expires.
/// The identity directory asks it about every bearer token it does not know as a static one.
/// </summary>
internal sealed class OAuthTokenIssuer
{
    private readonly ConcurrentDictionary<string, IssuedToken> tokens = new(StringComparer.Ordinal);
    private readonly TimeProvider time;
    private int issued;

    public OAuthTokenIssuer(TimeProvider time)
    {
        this.time = time;
    }

    /// <summary>Tokens issued so far.</summary>
    public int Issued => Volatile.Read(ref issued);

    public IssuedToken Issue(string identity, string scope, TimeSpan lifetime)
    {
        var token = new IssuedToken("emu." + Base64Url(RandomNumberGenerator.GetBytes(32)), identity, scope, time.GetUtcNow() + lifetime);
        tokens[token.AccessToken] = token;
        Interlocked.Increment(ref issued);
        return token;
    }

    /// <summary>The identity a token stands for; null when unknown, revoked or expired.</summary>
    public string? IdentityOf(string accessToken) =>
        tokens.TryGetValue(accessToken, out var token) && token.ExpiresOn > time.GetUtcNow() ? token.Identity : null;

    /// <summary>Forgets every issued token (as a revocation or a key rollover would): they are refused from now on.</summary>
    public void RevokeAll() => tokens.Clear();

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

internal sealed record IssuedToken(string AccessToken, string Identity, string Scope, DateTimeOffset ExpiresOn);

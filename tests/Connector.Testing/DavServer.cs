namespace Connector.Testing;

/// <summary>Where a test CalDAV/CardDAV server answers and how to log in to it.</summary>
/// <param name="BaseUri">The server root, ending in a slash, e.g. <c>http://127.0.0.1:5232/</c>.</param>
/// <param name="PrincipalPath">The current user's principal path, e.g. <c>/test/</c>.</param>
/// <param name="UserName">Basic-auth user, or null when the server does no authentication.</param>
/// <param name="Password">Basic-auth password, or null when the server does no authentication.</param>
/// <param name="ClosesConnectionAfterEachResponse">
/// True for Radicale 3.1: its built-in server (Python wsgiref) answers "HTTP/1.0" without "Connection: close"
/// and closes the socket after every response. SocketsHttpHandler pools such connections (only a response
/// "Connection: close" stops it; the request header does not), so a request sent right after the previous
/// response can go out on a socket the server is closing and fail with "The response ended prematurely"
/// (seen in about one run in ten of a PUT/REPORT sequence). A client for such a server must not pool.
/// </param>
public sealed record DavServer(
    Uri BaseUri,
    string PrincipalPath,
    string? UserName,
    string? Password,
    bool ClosesConnectionAfterEachResponse)
{
    /// <summary>The absolute URI of the current user's principal.</summary>
    public Uri PrincipalUri => new(BaseUri, PrincipalPath);

    /// <summary>Resolves a path (absolute, or relative to the server root) against <see cref="BaseUri"/>.</summary>
    public Uri Resolve(string path) => new(BaseUri, path);

    /// <summary>
    /// A handler fit for this server: without connection pooling when the server closes every connection
    /// (see <see cref="ClosesConnectionAfterEachResponse"/>). The caller owns and disposes it.
    /// </summary>
    public SocketsHttpHandler CreateHttpHandler() => new()
    {
        // A zero lifetime makes SocketsHttpHandler never store a connection for reuse.
        PooledConnectionLifetime = ClosesConnectionAfterEachResponse ? TimeSpan.Zero : TimeSpan.FromMinutes(2),
        AllowAutoRedirect = false,
    };
}

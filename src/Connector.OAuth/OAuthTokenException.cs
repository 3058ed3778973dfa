namespace Connector.OAuth;

/// <summary>
/// No token could be had from the authority. <see cref="IsCredentialProblem"/>: the authority refused the
/// application (wrong secret or certificate, unknown client or tenant, no consent): an administrator must act,
/// and retrying does not help (S16). Otherwise the authority could not be reached or failed for a passing reason.
/// </summary>
public sealed class OAuthTokenException : Exception
{
    public OAuthTokenException()
    {
    }

    public OAuthTokenException(string message)
        : base(message)
    {
    }

    public OAuthTokenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public OAuthTokenException(string message, string? errorCode, bool isCredentialProblem, Exception? innerException)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
        IsCredentialProblem = isCredentialProblem;
    }

    /// <summary>The authority's error (invalid_client, unauthorized_client…) or MSAL's code, when known.</summary>
    public string? ErrorCode { get; }

    /// <summary>True when the application's credentials or registration are the problem, not the network.</summary>
    public bool IsCredentialProblem { get; }
}

using Connector.Sync.Stores;

namespace Connector.Stores.Ews.Http;

/// <summary>
/// Exchange refuses to act on this user's mailbox (ErrorImpersonateUserDenied, ErrorNonExistentMailbox,
/// ErrorMissingEmailAddress): the identity and the server are fine, this one user cannot be synced with this
/// identity until an administrator changes something. Not transient.
/// </summary>
public sealed class EwsMailboxAccessException : StoreException
{
    public EwsMailboxAccessException()
    {
    }

    public EwsMailboxAccessException(string message)
        : base(message)
    {
    }

    public EwsMailboxAccessException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public EwsMailboxAccessException(string message, string? mailbox, string responseCode)
        : base(message)
    {
        Mailbox = mailbox;
        ResponseCode = responseCode;
    }

    /// <summary>The SMTP address the request was for (the impersonated mailbox), when known.</summary>
    public string? Mailbox { get; }

    /// <summary>Exchange's response code, e.g. ErrorImpersonateUserDenied.</summary>
    public string? ResponseCode { get; }
}

/// <summary>
/// Carries a request-level EWS error code from the parse step (where it is read) to <see cref="EwsConnection"/>
/// (which knows the mailbox and operation and asks <see cref="EwsFailurePolicy"/> what it means). Never escapes
/// the connection.
/// </summary>
internal sealed class EwsServerErrorException : Exception
{
    public EwsServerErrorException()
    {
        ResponseCode = "ErrorInternalServerError";
        Values = new Dictionary<string, string>();
    }

    public EwsServerErrorException(string message)
        : base(message)
    {
        ResponseCode = "ErrorInternalServerError";
        Values = new Dictionary<string, string>();
    }

    public EwsServerErrorException(string message, Exception innerException)
        : base(message, innerException)
    {
        ResponseCode = "ErrorInternalServerError";
        Values = new Dictionary<string, string>();
    }

    public EwsServerErrorException(string responseCode, string? messageText, IReadOnlyDictionary<string, string> values)
        : base(messageText ?? responseCode)
    {
        ResponseCode = responseCode;
        MessageText = messageText;
        Values = values;
    }

    public string ResponseCode { get; }

    public string? MessageText { get; }

    /// <summary>MessageXml content (BackOffMilliseconds, Violation…).</summary>
    public IReadOnlyDictionary<string, string> Values { get; }
}

namespace Connector.Sync.Stores;

/// <summary>
/// The store cannot go on for this user right now. Unlike per-item results, these stop the user's
/// sync: the scheduler decides when to try again.
/// </summary>
public class StoreException : Exception
{
    public StoreException()
    {
    }

    public StoreException(string message)
        : base(message)
    {
    }

    public StoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>401/403 on authentication: never retried in a loop (S16).</summary>
public sealed class CredentialRejectedException : StoreException
{
    public CredentialRejectedException()
    {
    }

    public CredentialRejectedException(string message)
        : base(message)
    {
    }

    public CredentialRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The server asks us to slow down (EWS ErrorServerBusy, HTTP 429/503), with its hint when given.</summary>
public sealed class ThrottledException : StoreException
{
    public ThrottledException()
    {
    }

    public ThrottledException(string message)
        : base(message)
    {
    }

    public ThrottledException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ThrottledException(string message, TimeSpan? retryAfter)
        : base(message) => RetryAfter = retryAfter;

    public TimeSpan? RetryAfter { get; }
}

/// <summary>A failure that may pass (timeouts, connection resets, 5xx): retry later.</summary>
public sealed class TransientStoreException : StoreException
{
    public TransientStoreException()
    {
    }

    public TransientStoreException(string message)
        : base(message)
    {
    }

    public TransientStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

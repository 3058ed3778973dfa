namespace Connector.Stores.Graph;

/// <summary>Where a <see cref="GraphItemStore"/> talks Microsoft Graph, for which mailbox, and how much it reads at once.</summary>
public sealed class GraphStoreOptions
{
    /// <summary>The public cloud's Graph v1.0 root. National clouds and the emulator have their own.</summary>
    public static readonly Uri PublicCloud = new("https://graph.microsoft.com/v1.0/");

    /// <summary>Graph's v1.0 root, e.g. https://graph.microsoft.com/v1.0/ or https://graph.microsoft.us/v1.0/ or the emulator's.</summary>
    public Uri BaseUri { get; init; } = PublicCloud;

    /// <summary>The mailbox: user id or user principal name (app-only access has no /me).</summary>
    public required string Mailbox { get; init; }

    /// <summary>
    /// Start of the calendar window, relative to today (UTC). Graph v1.0 offers a change feed for events only on a
    /// calendarView, i.e. a date range: events wholly outside it are out of scope (never reported deleted).
    /// </summary>
    public TimeSpan WindowPast { get; init; } = TimeSpan.FromDays(90);

    /// <summary>End of the calendar window, relative to today (UTC).</summary>
    public TimeSpan WindowFuture { get; init; } = TimeSpan.FromDays(365);

    /// <summary>
    /// How far the window may lag behind today before the feed moves it (a re-baseline of the new window, without
    /// deletions). One day by default: the window moves at most once a day.
    /// </summary>
    public TimeSpan WindowMoveAfter { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Items per page asked for with <c>Prefer: odata.maxpagesize</c> (Graph caps it itself).</summary>
    public int PageSize { get; init; } = 200;

    /// <summary>Sub-requests per <c>$batch</c> (Graph allows at most 20).</summary>
    public int BatchLimit { get; init; } = 20;

    /// <summary>Requests in flight per mailbox, shared by every store of the same mailbox in this process (Outlook's limit is 4: S14).</summary>
    public int MaxConcurrentRequests { get; init; } = 4;

    /// <summary>
    /// The mailbox's time zone (IANA): all-day events and task dates are written in it, floating times placed in it.
    /// Null means UTC; the host's zone is never used (S11).
    /// </summary>
    public string? MailboxTimeZone { get; init; }

    /// <summary>Time limit of one request, answer included.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>Today as the window sees it; tests move it (S20).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(BaseUri);
        ArgumentException.ThrowIfNullOrWhiteSpace(Mailbox);
        if (!BaseUri.IsAbsoluteUri || BaseUri.Scheme is not ("https" or "http"))
        {
            throw new ArgumentException($"BaseUri must be an absolute http(s) URI, was '{BaseUri}'", nameof(BaseUri));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(WindowPast, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(WindowFuture, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(WindowMoveAfter, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(PageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(PageSize, 1000);
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchLimit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(BatchLimit, 20);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrentRequests, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero);
    }

    /// <summary>The root with a trailing slash, so relative paths append.</summary>
    internal Uri Root => BaseUri.AbsoluteUri.EndsWith('/') ? BaseUri : new Uri(BaseUri.AbsoluteUri + "/");
}

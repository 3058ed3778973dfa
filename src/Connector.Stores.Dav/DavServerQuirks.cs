namespace Connector.Stores.Dav;

/// <summary>
/// Server families whose behaviour departs from the RFCs in ways the store must know about. Each entry
/// lists what that family does and where the store handles it. Where a departure can be handled without
/// knowing the server (reading a 207 answer to a PUT, a UID conflict given as 409 instead of 403), the store
/// always does so and the entry only records it.
/// </summary>
/// <remarks>
/// Chosen by <see cref="DavStoreOptions.Quirks"/>; when that is null the store asks the server once, and only
/// when a decision depends on it (see <see cref="DavServerQuirksDetector"/>), so a normal poll costs no extra
/// request.
/// </remarks>
[Flags]
public enum DavServerQuirks
{
    /// <summary>An RFC-conformant server: every behaviour below is handled the RFC way.</summary>
    None = 0,

    /// <summary>
    /// Nextcloud (SabreDAV; verified on Nextcloud 29).
    /// <list type="bullet">
    /// <item>Sync tokens are <c>http://sabre.io/ns/sync/&lt;n&gt;</c> with a growing number. A token the server
    /// does not know but that has this form is answered 207 with <em>no changes</em> and the server's current
    /// token, which is lower: a token that goes backwards is invalid (S05, <see cref="DavItemStore.GetChangesAsync"/>). The
    /// check also runs without this flag whenever both tokens have Sabre's form.</item>
    /// <item>A sync-collection REPORT with <c>DAV:limit</c> truncates the changes but returns the latest token,
    /// so the changes past the limit would be lost. The store never sends a limit, and a truncated (507)
    /// answer is treated as an invalid token, never as a page.</item>
    /// <item>A second object with an existing UID is refused with 400 and the message "Calendar object with
    /// uid already exists in this calendar collection." (no CALDAV:no-uid-conflict): AlreadyExists.</item>
    /// <item>Nextcloud 22+ keeps deleted objects in a trash bin and refuses to create an object whose UID sits
    /// there: 400 "Deleted calendar object with uid already exists in this calendar collection." (S08):
    /// Rejected with a reason that starts with <see cref="DavWriteReasons.TrashBin"/>, which also documents the recovery.</item>
    /// <item>A VTODO PUT into a calendar whose supported-calendar-component-set is VEVENT only is 403
    /// (CALDAV:supported-calendar-component): Rejected.</item>
    /// <item><c>/.well-known/caldav</c> redirects (301) to <c>/remote.php/dav/</c>.</item>
    /// <item>Wrong credentials count against brute-force protection, which then throttles (429) the whole
    /// client address: a 401 is never retried (S16).</item>
    /// </list>
    /// </summary>
    Nextcloud = 1,

    /// <summary>
    /// Radicale 3.1 (built-in server).
    /// <list type="bullet">
    /// <item>Answers HTTP/1.0 without "Connection: close" and closes the socket after every response; a pooled
    /// connection then fails the next request with "The response ended prematurely". Use a handler that does
    /// not pool: <see cref="DavHttpMessageHandlers.Create"/> with this flag.</item>
    /// <item>Supports sync-collection but does not list it in its DAV header; the store tries the REPORT
    /// regardless of the header.</item>
    /// <item>Invalid sync token: 403 with DAV:valid-sync-token (as RFC 6578 says).</item>
    /// <item>Does not enforce supported-calendar-component-set on PUT (a VEVENT goes into a VTODO-only
    /// calendar): the store checks the component itself when reading (a foreign component is NotFound).</item>
    /// <item>UID conflict: 409 with CALDAV:no-uid-conflict (RFC 4791 says 403): AlreadyExists.</item>
    /// <item><c>/.well-known/caldav</c> redirects (301) to <c>/</c>; the principal is read there. Calendar and
    /// address-book home are both the principal collection.</item>
    /// </list>
    /// </summary>
    Radicale = 2,

    /// <summary>
    /// Xandikos 0.2.
    /// <list type="bullet">
    /// <item>A sync-collection REPORT with a token it does not know (or cannot parse) fails with 500 instead of
    /// DAV:valid-sync-token. With this flag a 500 to a sync REPORT <em>with a token</em> means TokenInvalid; any
    /// other 500 stays transient.</item>
    /// <item>A PUT that conflicts on UID is answered 207 Multi-Status holding 412 and CALDAV:no-uid-conflict;
    /// the store reads the inner status (for every server).</item>
    /// <item>MKCALENDAR ignores supported-calendar-component-set (404 in its propstat) and PROPPATCH refuses it
    /// (409): every Xandikos calendar takes VEVENT and VTODO, so a created task list also lists as a calendar.</item>
    /// <item>PROPFIND and REPORT without a Content-Type are refused with 415 (the store always sends one).</item>
    /// <item>Its DAV header spells RFC 6638's class "calendar-auto-scheduling", which is how it is detected.</item>
    /// </list>
    /// </summary>
    Xandikos = 4,
}

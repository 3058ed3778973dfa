namespace Connector.Stores.Dav;

/// <summary>
/// The start of <see cref="Connector.Sync.Stores.WriteResult.Reason"/> for refusals that a caller may want to tell
/// apart (report them to the user, count them). The rest of the reason is the server's own message.
/// </summary>
public static class DavWriteReasons
{
    /// <summary>
    /// Nextcloud 22+ refused a create because an object with the same UID lies in the calendar's trash bin
    /// (400 "Deleted calendar object with uid already exists in this calendar collection.", S08).
    /// </summary>
    /// <remarks>
    /// Recovery, for the engine: a new resource name does not help (Nextcloud checks the UID, not the name), and a
    /// new UID would break pairing and make attendees see a second meeting. So: keep the change pending (never drop
    /// it), report it to the user once with this reason ("restore the event from the Nextcloud trash bin, or delete
    /// it there for good"), and retry the create on the next runs; it succeeds once the trashed copy is gone —
    /// deleted by the user, or expired after Nextcloud's trash-bin retention (30 days by default). If the user
    /// restores it instead, the next listing shows it and first-sync pairing by UID (S03) pairs it with the
    /// Exchange item. Newer Nextcloud versions purge the trashed copy themselves and accept the create.
    /// </remarks>
    public const string TrashBin = "Nextcloud trash bin holds this UID: ";

    /// <summary>Another resource in the collection already has this UID (CALDAV/CARDDAV no-uid-conflict, Nextcloud's 400).</summary>
    public const string UidInUse = "UID already in use: ";

    /// <summary>The collection does not accept this component (a VTODO into an event-only calendar: 403).</summary>
    public const string ComponentNotSupported = "collection does not accept this component: ";
}

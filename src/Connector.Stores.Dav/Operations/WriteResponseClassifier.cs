using Connector.Stores.Dav.Xml;
using Connector.Sync.Stores;

namespace Connector.Stores.Dav.Operations;

/// <summary>
/// Turns the answer to a PUT or DELETE into a <see cref="WriteResult"/>. Per-item refusals are results, never
/// exceptions; 401, throttling and server errors were already thrown by the failure policy.
/// </summary>
internal static class WriteResponseClassifier
{
    public static WriteResult ForCreate(WriteAnswer answer, string id)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var error = answer.Error;
        if (answer.Status is >= 200 and < 300)
        {
            return WriteResult.Success(id, answer.ETag);
        }

        if (UidConflict(answer, id) is { } conflict)
        {
            return conflict;
        }

        return answer.Status switch
        {
            // If-None-Match: * failed: a resource of that name exists. The name derives from the UID, so this
            // is almost always the same item, created earlier (a crash before the relation row was saved).
            412 => WriteResult.Failed(WriteStatus.AlreadyExists, DavWriteReasons.UidInUse + "a resource with this name exists", id),

            // The collection itself is missing (RFC 4918 9.7.1: 409 when the parent does not exist).
            404 or 409 => WriteResult.Failed(WriteStatus.NotFound, $"the collection does not exist ({answer.Status}{Detail(error)})", id),
            _ => Refused(answer, id),
        };
    }

    public static WriteResult ForUpdate(WriteAnswer answer, string id)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (answer.Status is >= 200 and < 300)
        {
            return WriteResult.Success(id, answer.ETag);
        }

        // An update that collides on UID changed the item's UID to one that is taken: a content problem.
        if (UidConflict(answer, id) is { } conflict)
        {
            return WriteResult.Failed(WriteStatus.Rejected, conflict.Reason, id);
        }

        return answer.Status switch
        {
            412 => WriteResult.Failed(WriteStatus.PreconditionFailed, "the item changed since it was read", id),
            404 or 410 => WriteResult.Failed(WriteStatus.NotFound, "the item no longer exists", id),
            _ => Refused(answer, id),
        };
    }

    public static WriteResult ForDelete(WriteAnswer answer, string id)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return answer.Status switch
        {
            >= 200 and < 300 => WriteResult.Success(id, null),
            412 => WriteResult.Failed(WriteStatus.PreconditionFailed, "the item changed since it was read", id),
            404 or 410 => WriteResult.Failed(WriteStatus.NotFound, "the item no longer exists", id),
            _ => Refused(answer, id),
        };
    }

    /// <summary>
    /// A UID conflict in any of its forms: RFC 4791/6352 no-uid-conflict (403; Radicale 409; Xandikos 207 holding
    /// 412), Nextcloud's 400 "... with uid already exists ...", and Nextcloud's trash-bin variant (S08), which is
    /// Rejected because retrying cannot succeed until the user acts (see <see cref="DavWriteReasons.TrashBin"/>).
    /// </summary>
    private static WriteResult? UidConflict(WriteAnswer answer, string id)
    {
        var error = answer.Error;
        if (answer.Status == 400 && error.Says("deleted") && error.Says("uid already exists"))
        {
            return WriteResult.Failed(WriteStatus.Rejected, DavWriteReasons.TrashBin + error.Message, id);
        }

        if (error.Has("no-uid-conflict"))
        {
            return WriteResult.Failed(WriteStatus.AlreadyExists, DavWriteReasons.UidInUse + (error.Message ?? "no-uid-conflict"), id);
        }

        return answer.Status == 400 && error.Says("uid already exists")
            ? WriteResult.Failed(WriteStatus.AlreadyExists, DavWriteReasons.UidInUse + error.Message, id)
            : null;
    }

    private static WriteResult Refused(WriteAnswer answer, string id)
    {
        var error = answer.Error;
        var reason = answer.Status switch
        {
            403 when error.Has("supported-calendar-component") =>
                DavWriteReasons.ComponentNotSupported + $"403{Detail(error)}",
            403 => $"the server forbids this write (403{Detail(error)})",
            413 => "the item is too large for the server (413)",
            415 => "the server does not accept this media type (415)",
            507 => "the account is out of storage (507)",
            _ => $"the server refused the item ({answer.Status}{Detail(error)})",
        };
        return WriteResult.Failed(WriteStatus.Rejected, reason, id);
    }

    private static string Detail(DavErrorBody error) => error.ToString() is { Length: > 0 } text ? ": " + text : string.Empty;
}

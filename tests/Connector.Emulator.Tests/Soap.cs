using System.Globalization;

namespace Connector.Emulator.Tests;

/// <summary>Request bodies the tests send (m: and t: prefixes as in <see cref="EmulatorScope.Envelope"/>).</summary>
internal static class Soap
{
    public static string CreateItem(string items, string? sendInvitations = "SendToNone", string? folder = null) =>
        $"""<m:CreateItem{(sendInvitations is null ? "" : $" SendMeetingInvitations=\"{sendInvitations}\"")}>{(folder is null ? "" : $"<m:SavedItemFolderId><t:DistinguishedFolderId Id=\"{folder}\"/></m:SavedItemFolderId>")}<m:Items>{items}</m:Items></m:CreateItem>""";

    public static string Event(string subject, string start, string end, string extra = "", string zone = "W. Europe Standard Time") =>
        $"""<t:CalendarItem><t:Subject>{subject}</t:Subject><t:Start>{start}</t:Start><t:End>{end}</t:End>{extra}<t:StartTimeZone Id="{zone}"/><t:EndTimeZone Id="{zone}"/></t:CalendarItem>""";

    public static string Attendees(params string[] emails) =>
        "<t:RequiredAttendees>" + string.Concat(emails.Select(e => $"<t:Attendee><t:Mailbox><t:EmailAddress>{e}</t:EmailAddress></t:Mailbox></t:Attendee>")) + "</t:RequiredAttendees>";

    public static string GetItem(string ids, string shape = "AllProperties", string additional = "") =>
        $"""<m:GetItem><m:ItemShape><t:BaseShape>{shape}</t:BaseShape>{(additional.Length > 0 ? $"<t:AdditionalProperties>{additional}</t:AdditionalProperties>" : "")}</m:ItemShape><m:ItemIds>{ids}</m:ItemIds></m:GetItem>""";

    public static string ItemId(string id, string? changeKey = null) =>
        changeKey is null ? $"""<t:ItemId Id="{id}"/>""" : $"""<t:ItemId Id="{id}" ChangeKey="{changeKey}"/>""";

    public static string SetField(string fieldUri, string itemElement, string property) =>
        $"""<t:SetItemField><t:FieldURI FieldURI="{fieldUri}"/><t:{itemElement}>{property}</t:{itemElement}></t:SetItemField>""";

    public static string UpdateItem(string itemIdElement, string updates, string conflictResolution = "AutoResolve", string? sendMode = "SendToNone") =>
        $"""<m:UpdateItem ConflictResolution="{conflictResolution}"{(sendMode is null ? "" : $" SendMeetingInvitationsOrCancellations=\"{sendMode}\"")}><m:ItemChanges><t:ItemChange>{itemIdElement}<t:Updates>{updates}</t:Updates></t:ItemChange></m:ItemChanges></m:UpdateItem>""";

    public static string DeleteItem(string ids, string deleteType = "HardDelete", string? cancellations = "SendToNone") =>
        $"""<m:DeleteItem DeleteType="{deleteType}"{(cancellations is null ? "" : $" SendMeetingCancellations=\"{cancellations}\"")}><m:ItemIds>{ids}</m:ItemIds></m:DeleteItem>""";

    public static string SyncFolderItems(string folder, int max, string? syncState = null, string shape = "IdOnly") =>
        $"""<m:SyncFolderItems><m:ItemShape><t:BaseShape>{shape}</t:BaseShape></m:ItemShape><m:SyncFolderId><t:DistinguishedFolderId Id="{folder}"/></m:SyncFolderId>{(syncState is null ? "" : $"<m:SyncState>{syncState}</m:SyncState>")}<m:MaxChangesReturned>{max.ToString(CultureInfo.InvariantCulture)}</m:MaxChangesReturned></m:SyncFolderItems>""";
}

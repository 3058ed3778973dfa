namespace Connector.Stores.Graph.Mapping;

/// <summary>
/// What the connector keeps on Graph items beyond Graph's own properties. Events and contacts carry MAPI named
/// properties (singleValueExtendedProperties) in the connector's own property set; To Do tasks have no extended
/// properties in v1.0, so their UID travels as a linkedResource of the connector's application name.
/// </summary>
internal static class GraphProperties
{
    /// <summary>The connector's MAPI property set (a fixed GUID; never change it, stored items carry it).</summary>
    public const string PropertySet = "{6c1f4b1e-8d0a-4f53-9a57-3d2a7e5c9b10}";

    /// <summary>The iCalendar/vCard UID of an item that came from Nextcloud (Graph's iCalUId is read-only; contacts have none).</summary>
    public const string Uid = "String " + PropertySet + " Name ConnectorUid";

    /// <summary>Organizer and attendees of a meeting that came from Nextcloud (JSON, <see cref="Json.GraphMeetingPeople"/>).</summary>
    public const string MeetingPeople = "String " + PropertySet + " Name ConnectorMeetingPeople";

    /// <summary>The linkedResource applicationName whose externalId is a To Do task's UID.</summary>
    public const string TaskLinkApplication = "Exchange Nextcloud Connector";

    /// <summary><c>$expand</c> of the event properties above.</summary>
    public const string EventExpand = "singleValueExtendedProperties($filter=id eq '" + Uid + "' or id eq '" + MeetingPeople + "')";

    /// <summary><c>$expand</c> of the contact properties above.</summary>
    public const string ContactExpand = "singleValueExtendedProperties($filter=id eq '" + Uid + "')";

    public static string? Find(List<Json.GraphExtendedProperty>? properties, string id) =>
        properties?.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase))?.Value;
}

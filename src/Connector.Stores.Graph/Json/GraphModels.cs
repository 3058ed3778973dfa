using System.Text.Json.Serialization;

namespace Connector.Stores.Graph.Json;

// Graph v1.0 resources as the store reads and writes them: only the properties the mapping uses (Graph answers with
// more; the rest is skipped while parsing, so an item costs only what it maps). Names follow the CSDL in
// shared/protocols/graph. Properties that must be sent as null to clear a value on PATCH say so with
// JsonIgnoreCondition.Never; everything else is left out when null.

/// <summary>Graph's dateTimeTimeZone: a wall-clock value and the zone it is in (Windows or IANA name).</summary>
public sealed class GraphDateTimeTimeZone
{
    [JsonPropertyName("dateTime")]
    public string? DateTime { get; set; }

    [JsonPropertyName("timeZone")]
    public string? TimeZone { get; set; }
}

public sealed class GraphItemBody
{
    [JsonPropertyName("contentType")]
    public string? ContentType { get; set; }

    [JsonPropertyName("content")]
    public string? Content { get; set; }
}

public sealed class GraphEmailAddress
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("address")]
    public string? Address { get; set; }
}

public sealed class GraphRecipient
{
    [JsonPropertyName("emailAddress")]
    public GraphEmailAddress? EmailAddress { get; set; }
}

public sealed class GraphResponseStatus
{
    [JsonPropertyName("response")]
    public string? Response { get; set; }

    [JsonPropertyName("time")]
    public DateTimeOffset? Time { get; set; }
}

public sealed class GraphAttendee
{
    [JsonPropertyName("emailAddress")]
    public GraphEmailAddress? EmailAddress { get; set; }

    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("status")]
    public GraphResponseStatus? Status { get; set; }
}

public sealed class GraphPhysicalAddress
{
    [JsonPropertyName("street")]
    public string? Street { get; set; }

    [JsonPropertyName("city")]
    public string? City { get; set; }

    [JsonPropertyName("state")]
    public string? State { get; set; }

    [JsonPropertyName("postalCode")]
    public string? PostalCode { get; set; }

    [JsonPropertyName("countryOrRegion")]
    public string? CountryOrRegion { get; set; }
}

public sealed class GraphLocation
{
    [JsonPropertyName("displayName")]
    public string? DisplayName { get; set; }
}

public sealed class GraphOnlineMeeting
{
    [JsonPropertyName("joinUrl")]
    public string? JoinUrl { get; set; }
}

public sealed class GraphRecurrencePattern
{
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("interval")]
    public int Interval { get; set; }

    [JsonPropertyName("month")]
    public int Month { get; set; }

    [JsonPropertyName("dayOfMonth")]
    public int DayOfMonth { get; set; }

    [JsonPropertyName("daysOfWeek")]
    public List<string>? DaysOfWeek { get; set; }

    [JsonPropertyName("firstDayOfWeek")]
    public string? FirstDayOfWeek { get; set; }

    [JsonPropertyName("index")]
    public string? Index { get; set; }
}

public sealed class GraphRecurrenceRange
{
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("startDate")]
    public string? StartDate { get; set; }

    [JsonPropertyName("endDate")]
    public string? EndDate { get; set; }

    [JsonPropertyName("numberOfOccurrences")]
    public int NumberOfOccurrences { get; set; }

    [JsonPropertyName("recurrenceTimeZone")]
    public string? RecurrenceTimeZone { get; set; }
}

public sealed class GraphPatternedRecurrence
{
    [JsonPropertyName("pattern")]
    public GraphRecurrencePattern? Pattern { get; set; }

    [JsonPropertyName("range")]
    public GraphRecurrenceRange? Range { get; set; }
}

/// <summary>singleValueLegacyExtendedProperty: a MAPI named property, e.g. <c>String {guid} Name ConnectorUid</c>.</summary>
public sealed class GraphExtendedProperty
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("value")]
    public string? Value { get; set; }
}

/// <summary>A delta entry's <c>@removed</c> marker.</summary>
public sealed class GraphRemoved
{
    [JsonPropertyName("reason")]
    public string? Reason { get; set; }
}

/// <summary>What every Graph entity the store reads has: id, etag, the delta removal marker.</summary>
public abstract class GraphEntity
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("@odata.etag")]
    public string? ETag { get; set; }

    [JsonPropertyName("@removed")]
    public GraphRemoved? Removed { get; set; }

    [JsonPropertyName("createdDateTime")]
    public DateTimeOffset? CreatedDateTime { get; set; }

    [JsonPropertyName("lastModifiedDateTime")]
    public DateTimeOffset? LastModifiedDateTime { get; set; }

    [JsonPropertyName("categories")]
    public List<string>? Categories { get; set; }
}

/// <summary>Just the id and etag of whatever a write answered with (event, contact or task).</summary>
public sealed class GraphEntityHeader : GraphEntity;

public sealed class GraphEvent : GraphEntity
{
    [JsonPropertyName("changeKey")]
    public string? ChangeKey { get; set; }

    [JsonPropertyName("iCalUId")]
    public string? ICalUId { get; set; }

    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("seriesMasterId")]
    public string? SeriesMasterId { get; set; }

    [JsonPropertyName("originalStart")]
    public DateTimeOffset? OriginalStart { get; set; }

    [JsonPropertyName("subject")]
    public string? Subject { get; set; }

    [JsonPropertyName("body")]
    public GraphItemBody? Body { get; set; }

    [JsonPropertyName("start")]
    public GraphDateTimeTimeZone? Start { get; set; }

    [JsonPropertyName("end")]
    public GraphDateTimeTimeZone? End { get; set; }

    [JsonPropertyName("originalStartTimeZone")]
    public string? OriginalStartTimeZone { get; set; }

    [JsonPropertyName("originalEndTimeZone")]
    public string? OriginalEndTimeZone { get; set; }

    [JsonPropertyName("isAllDay")]
    public bool? IsAllDay { get; set; }

    [JsonPropertyName("isCancelled")]
    public bool? IsCancelled { get; set; }

    [JsonPropertyName("recurrence")]
    public GraphPatternedRecurrence? Recurrence { get; set; }

    [JsonPropertyName("organizer")]
    public GraphRecipient? Organizer { get; set; }

    [JsonPropertyName("attendees")]
    public List<GraphAttendee>? Attendees { get; set; }

    [JsonPropertyName("location")]
    public GraphLocation? Location { get; set; }

    [JsonPropertyName("sensitivity")]
    public string? Sensitivity { get; set; }

    [JsonPropertyName("showAs")]
    public string? ShowAs { get; set; }

    [JsonPropertyName("isReminderOn")]
    public bool? IsReminderOn { get; set; }

    [JsonPropertyName("reminderMinutesBeforeStart")]
    public int? ReminderMinutesBeforeStart { get; set; }

    [JsonPropertyName("onlineMeeting")]
    public GraphOnlineMeeting? OnlineMeeting { get; set; }

    [JsonPropertyName("onlineMeetingUrl")]
    public string? OnlineMeetingUrl { get; set; }

    [JsonPropertyName("cancelledOccurrences")]
    public List<string>? CancelledOccurrences { get; set; }

    [JsonPropertyName("exceptionOccurrences")]
    public List<GraphEvent>? ExceptionOccurrences { get; set; }

    [JsonPropertyName("singleValueExtendedProperties")]
    public List<GraphExtendedProperty>? SingleValueExtendedProperties { get; set; }
}

public sealed class GraphContact : GraphEntity
{
    [JsonPropertyName("changeKey")]
    public string? ChangeKey { get; set; }

    [JsonPropertyName("displayName")]
    public string? DisplayName { get; set; }

    [JsonPropertyName("givenName")]
    public string? GivenName { get; set; }

    [JsonPropertyName("middleName")]
    public string? MiddleName { get; set; }

    [JsonPropertyName("surname")]
    public string? Surname { get; set; }

    [JsonPropertyName("title")]
    public string? Title { get; set; }

    [JsonPropertyName("generation")]
    public string? Generation { get; set; }

    [JsonPropertyName("nickName")]
    public string? NickName { get; set; }

    [JsonPropertyName("companyName")]
    public string? CompanyName { get; set; }

    [JsonPropertyName("department")]
    public string? Department { get; set; }

    [JsonPropertyName("jobTitle")]
    public string? JobTitle { get; set; }

    [JsonPropertyName("profession")]
    public string? Profession { get; set; }

    [JsonPropertyName("emailAddresses")]
    public List<GraphEmailAddress>? EmailAddresses { get; set; }

    [JsonPropertyName("businessPhones")]
    public List<string>? BusinessPhones { get; set; }

    [JsonPropertyName("homePhones")]
    public List<string>? HomePhones { get; set; }

    [JsonPropertyName("mobilePhone")]
    public string? MobilePhone { get; set; }

    [JsonPropertyName("businessAddress")]
    public GraphPhysicalAddress? BusinessAddress { get; set; }

    [JsonPropertyName("homeAddress")]
    public GraphPhysicalAddress? HomeAddress { get; set; }

    [JsonPropertyName("otherAddress")]
    public GraphPhysicalAddress? OtherAddress { get; set; }

    [JsonPropertyName("businessHomePage")]
    public string? BusinessHomePage { get; set; }

    /// <summary>Edm.DateTimeOffset, but Graph also answers a bare date (documentation example); read as text.</summary>
    [JsonPropertyName("birthday")]
    public string? Birthday { get; set; }

    [JsonPropertyName("personalNotes")]
    public string? PersonalNotes { get; set; }

    [JsonPropertyName("singleValueExtendedProperties")]
    public List<GraphExtendedProperty>? SingleValueExtendedProperties { get; set; }
}

public sealed class GraphLinkedResource
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("applicationName")]
    public string? ApplicationName { get; set; }

    [JsonPropertyName("displayName")]
    public string? DisplayName { get; set; }

    [JsonPropertyName("externalId")]
    public string? ExternalId { get; set; }

    [JsonPropertyName("webUrl")]
    public string? WebUrl { get; set; }
}

public sealed class GraphTodoTask : GraphEntity
{
    [JsonPropertyName("title")]
    public string? Title { get; set; }

    [JsonPropertyName("body")]
    public GraphItemBody? Body { get; set; }

    [JsonPropertyName("status")]
    public string? Status { get; set; }

    [JsonPropertyName("importance")]
    public string? Importance { get; set; }

    [JsonPropertyName("isReminderOn")]
    public bool? IsReminderOn { get; set; }

    [JsonPropertyName("reminderDateTime")]
    public GraphDateTimeTimeZone? ReminderDateTime { get; set; }

    [JsonPropertyName("dueDateTime")]
    public GraphDateTimeTimeZone? DueDateTime { get; set; }

    [JsonPropertyName("startDateTime")]
    public GraphDateTimeTimeZone? StartDateTime { get; set; }

    [JsonPropertyName("completedDateTime")]
    public GraphDateTimeTimeZone? CompletedDateTime { get; set; }

    [JsonPropertyName("recurrence")]
    public GraphPatternedRecurrence? Recurrence { get; set; }

    [JsonPropertyName("linkedResources")]
    public List<GraphLinkedResource>? LinkedResources { get; set; }
}

public sealed class GraphCalendar
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("isDefaultCalendar")]
    public bool? IsDefaultCalendar { get; set; }

    [JsonPropertyName("canEdit")]
    public bool? CanEdit { get; set; }
}

public sealed class GraphContactFolder
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("displayName")]
    public string? DisplayName { get; set; }

    [JsonPropertyName("parentFolderId")]
    public string? ParentFolderId { get; set; }
}

public sealed class GraphTodoTaskList
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("displayName")]
    public string? DisplayName { get; set; }

    [JsonPropertyName("wellknownListName")]
    public string? WellknownListName { get; set; }
}

/// <summary>A collection page: <c>value</c> and the links to the next page or the next round of a delta query.</summary>
public sealed class GraphPage<T>
{
    [JsonPropertyName("value")]
    public List<T>? Value { get; set; }

    [JsonPropertyName("@odata.nextLink")]
    public string? NextLink { get; set; }

    [JsonPropertyName("@odata.deltaLink")]
    public string? DeltaLink { get; set; }
}

public sealed class GraphError
{
    [JsonPropertyName("code")]
    public string? Code { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("innerError")]
    public GraphInnerError? InnerError { get; set; }
}

public sealed class GraphInnerError
{
    [JsonPropertyName("code")]
    public string? Code { get; set; }
}

public sealed class GraphErrorResponse
{
    [JsonPropertyName("error")]
    public GraphError? Error { get; set; }
}

/// <summary>
/// The organizer and attendees of a meeting that came from Nextcloud, kept in an extended property of the Graph event
/// instead of the event's own attendees, so that Graph sends no invitations for it (S01; see the store README).
/// </summary>
public sealed class GraphMeetingPeople
{
    [JsonPropertyName("organizer")]
    public GraphRecipient? Organizer { get; set; }

    [JsonPropertyName("attendees")]
    public List<GraphAttendee>? Attendees { get; set; }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Connector.Stores.Graph.Json;

// Request bodies. Create and update send the same full set of mapped, writable properties; a value the item no
// longer has is sent as null (or an empty list) so that clearing a field on one side clears it on the other (S18).
// Graph-only properties the mapping does not know are never sent, so they survive updates.

public sealed class GraphEventWrite
{
    [JsonPropertyName("subject")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Subject { get; set; }

    [JsonPropertyName("body")]
    public GraphItemBody? Body { get; set; }

    [JsonPropertyName("start")]
    public GraphDateTimeTimeZone? Start { get; set; }

    [JsonPropertyName("end")]
    public GraphDateTimeTimeZone? End { get; set; }

    [JsonPropertyName("isAllDay")]
    public bool IsAllDay { get; set; }

    [JsonPropertyName("location")]
    public GraphLocation? Location { get; set; }

    [JsonPropertyName("categories")]
    public List<string> Categories { get; set; } = [];

    [JsonPropertyName("sensitivity")]
    public string? Sensitivity { get; set; }

    [JsonPropertyName("showAs")]
    public string? ShowAs { get; set; }

    [JsonPropertyName("isReminderOn")]
    public bool IsReminderOn { get; set; }

    [JsonPropertyName("reminderMinutesBeforeStart")]
    public int? ReminderMinutesBeforeStart { get; set; }

    [JsonPropertyName("recurrence")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public GraphPatternedRecurrence? Recurrence { get; set; }

    [JsonPropertyName("singleValueExtendedProperties")]
    public List<GraphExtendedProperty>? SingleValueExtendedProperties { get; set; }

    /// <summary>Create only: Graph returns the existing event for a repeated transactionId instead of a duplicate.</summary>
    [JsonPropertyName("transactionId")]
    public string? TransactionId { get; set; }
}

/// <summary>The fields of an occurrence the store patches to make it an exception (S09).</summary>
public sealed class GraphOccurrenceWrite
{
    [JsonPropertyName("subject")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Subject { get; set; }

    [JsonPropertyName("body")]
    public GraphItemBody? Body { get; set; }

    [JsonPropertyName("start")]
    public GraphDateTimeTimeZone? Start { get; set; }

    [JsonPropertyName("end")]
    public GraphDateTimeTimeZone? End { get; set; }

    [JsonPropertyName("location")]
    public GraphLocation? Location { get; set; }

    [JsonPropertyName("showAs")]
    public string? ShowAs { get; set; }
}

public sealed class GraphContactWrite
{
    [JsonPropertyName("displayName")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? DisplayName { get; set; }

    [JsonPropertyName("givenName")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? GivenName { get; set; }

    [JsonPropertyName("middleName")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? MiddleName { get; set; }

    [JsonPropertyName("surname")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Surname { get; set; }

    [JsonPropertyName("title")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Title { get; set; }

    [JsonPropertyName("generation")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Generation { get; set; }

    [JsonPropertyName("nickName")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? NickName { get; set; }

    [JsonPropertyName("companyName")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? CompanyName { get; set; }

    [JsonPropertyName("department")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Department { get; set; }

    [JsonPropertyName("jobTitle")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? JobTitle { get; set; }

    [JsonPropertyName("profession")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Profession { get; set; }

    [JsonPropertyName("emailAddresses")]
    public List<GraphEmailAddress> EmailAddresses { get; set; } = [];

    [JsonPropertyName("businessPhones")]
    public List<string> BusinessPhones { get; set; } = [];

    [JsonPropertyName("homePhones")]
    public List<string> HomePhones { get; set; } = [];

    [JsonPropertyName("mobilePhone")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? MobilePhone { get; set; }

    [JsonPropertyName("businessAddress")]
    public GraphPhysicalAddress BusinessAddress { get; set; } = new();

    [JsonPropertyName("homeAddress")]
    public GraphPhysicalAddress HomeAddress { get; set; } = new();

    [JsonPropertyName("otherAddress")]
    public GraphPhysicalAddress OtherAddress { get; set; } = new();

    [JsonPropertyName("businessHomePage")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? BusinessHomePage { get; set; }

    [JsonPropertyName("birthday")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Birthday { get; set; }

    [JsonPropertyName("personalNotes")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? PersonalNotes { get; set; }

    [JsonPropertyName("categories")]
    public List<string> Categories { get; set; } = [];

    [JsonPropertyName("singleValueExtendedProperties")]
    public List<GraphExtendedProperty>? SingleValueExtendedProperties { get; set; }
}

public sealed class GraphTodoTaskWrite
{
    [JsonPropertyName("title")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Title { get; set; }

    [JsonPropertyName("body")]
    public GraphItemBody? Body { get; set; }

    [JsonPropertyName("status")]
    public string? Status { get; set; }

    [JsonPropertyName("importance")]
    public string? Importance { get; set; }

    [JsonPropertyName("isReminderOn")]
    public bool IsReminderOn { get; set; }

    [JsonPropertyName("reminderDateTime")]
    public GraphDateTimeTimeZone? ReminderDateTime { get; set; }

    [JsonPropertyName("dueDateTime")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public GraphDateTimeTimeZone? DueDateTime { get; set; }

    /// <summary>Sent only when the task has a start (see the store README, S19).</summary>
    [JsonPropertyName("startDateTime")]
    public GraphDateTimeTimeZone? StartDateTime { get; set; }

    [JsonPropertyName("completedDateTime")]
    public GraphDateTimeTimeZone? CompletedDateTime { get; set; }

    [JsonPropertyName("recurrence")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public GraphPatternedRecurrence? Recurrence { get; set; }

    [JsonPropertyName("categories")]
    public List<string> Categories { get; set; } = [];

    /// <summary>Create only: the link that carries the item's UID (To Do has no UID and no extended properties).</summary>
    [JsonPropertyName("linkedResources")]
    public List<GraphLinkedResource>? LinkedResources { get; set; }
}

public sealed class GraphCollectionWrite
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("displayName")]
    public string? DisplayName { get; set; }
}

public sealed class GraphBatchRequest
{
    [JsonPropertyName("requests")]
    public List<GraphBatchRequestItem> Requests { get; set; } = [];
}

public sealed class GraphBatchRequestItem
{
    [JsonPropertyName("id")]
    public required string Id { get; set; }

    [JsonPropertyName("method")]
    public required string Method { get; set; }

    /// <summary>Relative to the version root, e.g. <c>/users/alice/events/AAMk…</c>.</summary>
    [JsonPropertyName("url")]
    public required string Url { get; set; }

    [JsonPropertyName("headers")]
    public Dictionary<string, string>? Headers { get; set; }

    [JsonPropertyName("dependsOn")]
    public List<string>? DependsOn { get; set; }
}

public sealed class GraphBatchResponse
{
    [JsonPropertyName("responses")]
    public List<GraphBatchResponseItem>? Responses { get; set; }
}

public sealed class GraphBatchResponseItem
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("status")]
    public int Status { get; set; }

    [JsonPropertyName("headers")]
    public Dictionary<string, string>? Headers { get; set; }

    [JsonPropertyName("body")]
    public JsonElement Body { get; set; }
}

/// <summary>The source-generated serializers of every Graph shape the store reads or writes (no reflection at run time).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(GraphEvent))]
[JsonSerializable(typeof(GraphEntityHeader))]
[JsonSerializable(typeof(GraphContact))]
[JsonSerializable(typeof(GraphTodoTask))]
[JsonSerializable(typeof(GraphPage<GraphEvent>))]
[JsonSerializable(typeof(GraphPage<GraphContact>))]
[JsonSerializable(typeof(GraphPage<GraphTodoTask>))]
[JsonSerializable(typeof(GraphPage<GraphCalendar>))]
[JsonSerializable(typeof(GraphPage<GraphContactFolder>))]
[JsonSerializable(typeof(GraphPage<GraphTodoTaskList>))]
[JsonSerializable(typeof(GraphCalendar))]
[JsonSerializable(typeof(GraphContactFolder))]
[JsonSerializable(typeof(GraphTodoTaskList))]
[JsonSerializable(typeof(GraphErrorResponse))]
[JsonSerializable(typeof(GraphEventWrite))]
[JsonSerializable(typeof(GraphOccurrenceWrite))]
[JsonSerializable(typeof(GraphContactWrite))]
[JsonSerializable(typeof(GraphTodoTaskWrite))]
[JsonSerializable(typeof(GraphCollectionWrite))]
[JsonSerializable(typeof(GraphBatchRequest))]
[JsonSerializable(typeof(GraphBatchResponse))]
[JsonSerializable(typeof(GraphMeetingPeople))]
internal sealed partial class GraphJsonContext : JsonSerializerContext;

using System.Text.Json.Nodes;

namespace Connector.Emulator.Graph;

/// <summary>Contacts as Exchange Online keeps them: computed displayName, e-mail entries with names, the Graph JSON out.</summary>
internal static class GraphContacts
{
    public static readonly IReadOnlySet<string> ServerManaged = new HashSet<string>(StringComparer.Ordinal)
    {
        "id", "createdDateTime", "lastModifiedDateTime", "changeKey", "parentFolderId", "photo", "extensions",
        "multiValueExtendedProperties", GraphJson.ExtendedPropertiesName,
    };

    private static readonly string[] NameParts = ["title", "givenName", "middleName", "surname", "generation"];

    public static JsonObject Normalise(JsonObject data)
    {
        var emails = new JsonArray();
        foreach (var email in (data["emailAddresses"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var address = email["address"]?.GetValue<string>() ?? string.Empty;
            emails.Add(new JsonObject { ["name"] = email["name"]?.GetValue<string>() is { Length: > 0 } name ? name : address, ["address"] = address });
        }

        data["emailAddresses"] = emails;
        if (data["displayName"]?.GetValue<string>() is not { Length: > 0 })
        {
            // Outlook composes the display name from the name parts when none is given.
            var parts = NameParts
                .Select(p => data[p]?.GetValue<string>())
                .Where(p => !string.IsNullOrWhiteSpace(p));
            var composed = string.Join(' ', parts);
            data["displayName"] = composed.Length > 0 ? composed : data["companyName"]?.GetValue<string>() ?? (emails.Count > 0 ? emails[0]!["address"]!.GetValue<string>() : string.Empty);
        }

        return data;
    }

    public static JsonObject Render(GraphItem item, GraphView view)
    {
        var result = new JsonObject
        {
            ["@odata.etag"] = $"W/\"{item.ChangeKey}\"",
            ["id"] = item.Id,
        };
        var skeleton = GraphJson.Skeleton("contact");
        foreach (var address in new[] { "homeAddress", "businessAddress", "otherAddress" })
        {
            skeleton[address] = new JsonObject();
        }

        foreach (var (name, value) in skeleton)
        {
            result[name] = item.Data.TryGetPropertyValue(name, out var stored) ? stored?.DeepClone() : value?.DeepClone();
        }

        result["id"] = item.Id;
        result["createdDateTime"] = GraphTimes.Instant(item.Created);
        result["lastModifiedDateTime"] = GraphTimes.Instant(item.Modified);
        result["changeKey"] = item.ChangeKey;
        result["parentFolderId"] = item.Folder.Id;
        result["fileAs"] ??= string.Empty;
        GraphJson.Select(result, view.Select);
        GraphJson.ExpandExtendedProperties(result, item, view);
        return result;
    }
}

/// <summary>To Do tasks: status and completion, dateTimeTimeZone values, the Graph JSON out.</summary>
internal static class GraphTasks
{
    public static readonly IReadOnlySet<string> ServerManaged = new HashSet<string>(StringComparer.Ordinal)
    {
        "id", "createdDateTime", "lastModifiedDateTime", "bodyLastModifiedDateTime", "hasAttachments", "attachments",
        "attachmentSessions", "extensions", "checklistItems",
    };

    private static readonly string[] TimeProperties = ["dueDateTime", "startDateTime", "reminderDateTime", "completedDateTime"];

    public static JsonObject Normalise(JsonObject data, DateTimeOffset now)
    {
        data["status"] = GraphEvents.CanonicalEnum(data["status"]?.GetValue<string>() ?? "notStarted", "taskStatus");
        data["importance"] = GraphEvents.CanonicalEnum(data["importance"]?.GetValue<string>() ?? "normal", "importance");
        data["isReminderOn"] ??= false;
        data["body"] = GraphBodies.Normalise(data["body"], "text");
        data["categories"] ??= new JsonArray();
        foreach (var name in TimeProperties)
        {
            if (data[name] is not null)
            {
                data[name] = GraphTimes.Stored(GraphTimes.Read(data[name], name));
            }
        }

        if (data["recurrence"] is JsonObject recurrence)
        {
            var zone = data["dueDateTime"]?["timeZone"]?.GetValue<string>() ?? "UTC";
            data["recurrence"] = GraphRecurrence.Normalise(recurrence, zone);
            if (data["dueDateTime"] is null)
            {
                throw GraphError.BadRequest("invalidRequest", "A recurring task needs a dueDateTime.");
            }
        }

        if ((string)data["status"]! == "completed")
        {
            data["completedDateTime"] ??= GraphTimes.WriteFloating(now.UtcDateTime.Date, "UTC");
        }
        else
        {
            data.Remove("completedDateTime");
        }

        if (data["linkedResources"] is JsonArray links)
        {
            foreach (var link in links.OfType<JsonObject>())
            {
                link["id"] ??= Guid.NewGuid().ToString();
            }
        }

        return data;
    }

    public static JsonObject Render(GraphItem item, GraphView view)
    {
        var result = new JsonObject
        {
            ["@odata.etag"] = $"W/\"{item.ChangeKey}\"",
            ["importance"] = item.Data["importance"]?.DeepClone(),
            ["isReminderOn"] = item.Data["isReminderOn"]?.DeepClone(),
            ["status"] = item.Data["status"]?.DeepClone(),
            ["title"] = item.Data["title"]?.DeepClone() ?? string.Empty,
            ["createdDateTime"] = GraphTimes.Instant(item.Created),
            ["lastModifiedDateTime"] = GraphTimes.Instant(item.Modified),
            ["hasAttachments"] = false,
            ["categories"] = item.Data["categories"]?.DeepClone() ?? new JsonArray(),
            ["id"] = item.Id,
            ["body"] = GraphBodies.Render(item.Data["body"], view.BodyType),
            ["bodyLastModifiedDateTime"] = GraphTimes.Instant(item.Modified),
        };
        foreach (var name in TimeProperties)
        {
            if (item.Data[name] is { } value)
            {
                result[name] = GraphTimes.Write(GraphTimes.Read(value, name).Utc, view.TimeZone);
            }
        }

        if (item.Data["recurrence"] is { } recurrence)
        {
            result["recurrence"] = recurrence.DeepClone();
        }

        if (item.Data["linkedResources"] is { } links)
        {
            result["linkedResources"] = links.DeepClone();
        }
        else if (view.Expands("linkedResources"))
        {
            result["linkedResources"] = new JsonArray();
        }

        return GraphJson.Select(result, view.Select);
    }
}

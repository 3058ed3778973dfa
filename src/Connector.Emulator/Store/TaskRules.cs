using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Connector.Emulator.Store.Calendar;
using static Connector.Emulator.Ews.EwsNames;

namespace Connector.Emulator.Store;

/// <summary>
/// Exchange's task rules: Status and PercentComplete move together (Completed ⇔ 100 %,
/// NotStarted ⇔ 0 %), CompleteDate is set on completion and cleared otherwise, and completing a
/// recurring task leaves a completed copy behind and moves the series to its next occurrence.
/// </summary>
internal static class TaskRules
{
    public static void ApplyCreateDefaults(Dictionary<string, XElement> props)
    {
        props.TryAdd("Status", new XElement(T + "Status", "NotStarted"));
        props.TryAdd("Sensitivity", new XElement(T + "Sensitivity", "Normal"));
        props.TryAdd("Importance", new XElement(T + "Importance", "Normal"));
        props.TryAdd("PercentComplete", new XElement(T + "PercentComplete", "0"));
    }

    /// <summary>Makes Status, PercentComplete and CompleteDate consistent; <paramref name="changed"/> says which one the client set.</summary>
    public static void Normalize(Dictionary<string, XElement> props, ISet<string> changed, DateTimeOffset now)
    {
        var percent = props.TryGetValue("PercentComplete", out var p) ? XmlConvert.ToDouble(p.Value) : 0;
        if (percent is < 0 or > 100)
        {
            throw new EwsException("ErrorInvalidPercentCompleteValue", "PercentComplete must be an integer value between 0 and 100.");
        }

        var status = props.TryGetValue("Status", out var s) ? s.Value : "NotStarted";
        if (changed.Contains("Status") || !changed.Contains("PercentComplete"))
        {
            percent = status switch
            {
                "Completed" => 100,
                "NotStarted" => 0,
                _ => percent is 100 ? 50 : percent,
            };
        }
        else
        {
            status = percent switch
            {
                100 => "Completed",
                0 when status == "Completed" => "NotStarted",
                > 0 and < 100 when status is "NotStarted" or "Completed" => "InProgress",
                _ => status,
            };
        }

        props["Status"] = new XElement(T + "Status", status);
        props["PercentComplete"] = new XElement(T + "PercentComplete", XmlConvert.ToString(percent));
        if (status == "Completed")
        {
            props.TryAdd("CompleteDate", new XElement(T + "CompleteDate", CalendarTimes.Format(now.UtcDateTime)));
        }
        else
        {
            props.Remove("CompleteDate");
        }
    }

    public static bool IsCompleted(IReadOnlyDictionary<string, XElement> props) =>
        props.TryGetValue("Status", out var s) && s.Value == "Completed";

    /// <summary>
    /// For a recurring task just completed: the properties of the series moved to its next
    /// occurrence (not started), or null when the series has no further occurrence.
    /// </summary>
    public static Dictionary<string, XElement>? Advance(IReadOnlyDictionary<string, XElement> completed, DateTimeOffset now)
    {
        if (!completed.TryGetValue("Recurrence", out var recurrence))
        {
            return null;
        }

        var pattern = RecurrencePattern.Parse(recurrence);
        var anchorText = completed.GetValueOrDefault("DueDate")?.Value ?? completed.GetValueOrDefault("StartDate")?.Value;
        var anchor = anchorText is null ? now.UtcDateTime : CalendarTimes.ParseUtc(anchorText);
        var anchorDate = DateOnly.FromDateTime(anchor);
        DateOnly? next = pattern.IsRegenerating
            ? pattern.Regenerate(DateOnly.FromDateTime(now.UtcDateTime))
            : pattern.Dates().Cast<DateOnly?>().FirstOrDefault(d => d > anchorDate);
        if (next is null)
        {
            return null;
        }

        var shift = next.Value.ToDateTime(TimeOnly.MinValue) - anchorDate.ToDateTime(TimeOnly.MinValue);
        var advanced = completed.ToDictionary(kv => kv.Key, kv => new XElement(kv.Value), StringComparer.Ordinal);
        foreach (var name in new[] { "StartDate", "DueDate" })
        {
            if (advanced.TryGetValue(name, out var date))
            {
                advanced[name] = CalendarTimes.Element(name, CalendarTimes.ParseUtc(date.Value) + shift);
            }
        }

        if (!advanced.ContainsKey("DueDate"))
        {
            advanced["DueDate"] = CalendarTimes.Element("DueDate", next.Value.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        }

        advanced["Status"] = new XElement(T + "Status", "NotStarted");
        advanced["PercentComplete"] = new XElement(T + "PercentComplete", "0");
        advanced.Remove("CompleteDate");
        return advanced;
    }

    /// <summary>Task dates are stored as UTC instants; zone-less values are read in the request's time zone.</summary>
    public static void NormalizeDates(Dictionary<string, XElement> props, RequestTimeContext context)
    {
        foreach (var name in new[] { "StartDate", "DueDate", "CompleteDate", "AssignedTime" })
        {
            if (props.TryGetValue(name, out var value))
            {
                props[name] = CalendarTimes.Element(name, CalendarTimes.ToUtc(value.Value, context.ContextZone ?? TimeZoneInfo.Utc));
            }
        }
    }

    public static string StatusDescription(string status) => status switch
    {
        "NotStarted" => "Not Started",
        "InProgress" => "In Progress",
        "Completed" => "Completed",
        "WaitingOnOthers" => "Waiting on someone else",
        _ => "Deferred",
    };
}

using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Connector.Emulator.Store;
using Connector.Emulator.Store.Calendar;
using static Connector.Emulator.Ews.EwsNames;

namespace Connector.Emulator.Graph;

/// <summary>
/// Graph's patternedRecurrence: normalised the way Graph returns it (every member present) and
/// expanded through the same pattern arithmetic as the EWS side (one recurrence engine in the
/// emulator; Exchange Online and Exchange Server share it too).
/// </summary>
internal static class GraphRecurrence
{
    /// <summary>Fills the members Graph always returns and checks the values; throws a 400 <see cref="GraphError"/>.</summary>
    public static JsonObject Normalise(JsonObject recurrence, string defaultZone)
    {
        var pattern = recurrence["pattern"] as JsonObject ?? throw Invalid("a recurrence needs a pattern");
        var range = recurrence["range"] as JsonObject ?? throw Invalid("a recurrence needs a range");
        var normalised = new JsonObject
        {
            ["pattern"] = new JsonObject
            {
                ["type"] = Canonical(pattern["type"], PatternTypes) ?? throw Invalid("pattern.type is required"),
                ["interval"] = pattern["interval"]?.GetValue<int>() ?? 1,
                ["month"] = pattern["month"]?.GetValue<int>() ?? 0,
                ["dayOfMonth"] = pattern["dayOfMonth"]?.GetValue<int>() ?? 0,
                ["daysOfWeek"] = new JsonArray((pattern["daysOfWeek"] as JsonArray ?? []).Select(d => (JsonNode?)JsonValue.Create(Lower(d))).ToArray()),
                ["firstDayOfWeek"] = Lower(pattern["firstDayOfWeek"]) ?? "sunday",
                ["index"] = Lower(pattern["index"]) ?? "first",
            },
            ["range"] = new JsonObject
            {
                ["type"] = Canonical(range["type"], RangeTypes) ?? throw Invalid("range.type is required"),
                ["startDate"] = range["startDate"]?.GetValue<string>() ?? throw Invalid("range.startDate is required"),
                ["endDate"] = range["endDate"]?.GetValue<string>() ?? "0001-01-01",
                ["recurrenceTimeZone"] = range["recurrenceTimeZone"]?.GetValue<string>() is { Length: > 0 } zone ? zone : defaultZone,
                ["numberOfOccurrences"] = range["numberOfOccurrences"]?.GetValue<int>() ?? 0,
            },
        };
        _ = Pattern(normalised);
        return normalised;
    }

    /// <summary>The occurrence dates' arithmetic for a normalised recurrence.</summary>
    public static RecurrencePattern Pattern(JsonObject recurrence)
    {
        var pattern = (JsonObject)recurrence["pattern"]!;
        var range = (JsonObject)recurrence["range"]!;
        var type = ((string)pattern["type"]!).ToLowerInvariant();
        var days = ((JsonArray)pattern["daysOfWeek"]!).Select(d => Capital((string)d!)).ToList();
        var name = type switch
        {
            "daily" => "DailyRecurrence",
            "weekly" => "WeeklyRecurrence",
            "absolutemonthly" => "AbsoluteMonthlyRecurrence",
            "relativemonthly" => "RelativeMonthlyRecurrence",
            "absoluteyearly" => "AbsoluteYearlyRecurrence",
            "relativeyearly" => "RelativeYearlyRecurrence",
            _ => throw Invalid($"Requested value '{type}' was not found."),
        };
        var element = new XElement(T + name, new XElement(T + "Interval", (int)pattern["interval"]!));
        if (type is "weekly" or "relativemonthly" or "relativeyearly")
        {
            if (days.Count == 0)
            {
                throw Invalid($"a {type} pattern needs daysOfWeek");
            }

            element.Add(new XElement(T + "DaysOfWeek", type == "weekly" ? string.Join(' ', days) : days[0]));
        }

        if (type is "relativemonthly" or "relativeyearly")
        {
            element.Add(new XElement(T + "DayOfWeekIndex", Capital((string)pattern["index"]!)));
        }

        if (type is "absolutemonthly" or "absoluteyearly")
        {
            element.Add(new XElement(T + "DayOfMonth", (int)pattern["dayOfMonth"]!));
        }

        if (type is "absoluteyearly" or "relativeyearly")
        {
            var month = (int)pattern["month"]!;
            if (month is < 1 or > 12)
            {
                throw Invalid("pattern.month must be 1..12 for a yearly pattern");
            }

            element.Add(new XElement(T + "Month", CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(month)));
        }

        if (type == "weekly")
        {
            element.Add(new XElement(T + "FirstDayOfWeek", Capital((string)pattern["firstDayOfWeek"]!)));
        }

        var rangeType = ((string)range["type"]!).ToLowerInvariant();
        var rangeElement = rangeType switch
        {
            "noend" => new XElement(T + "NoEndRecurrence", new XElement(T + "StartDate", (string)range["startDate"]!)),
            "enddate" => new XElement(T + "EndDateRecurrence", new XElement(T + "StartDate", (string)range["startDate"]!), new XElement(T + "EndDate", (string)range["endDate"]!)),
            "numbered" => new XElement(T + "NumberedRecurrence", new XElement(T + "StartDate", (string)range["startDate"]!), new XElement(T + "NumberOfOccurrences", (int)range["numberOfOccurrences"]!)),
            _ => throw Invalid($"Requested value '{rangeType}' was not found."),
        };
        try
        {
            return RecurrencePattern.Parse(new XElement(T + "Recurrence", element, rangeElement));
        }
        catch (EwsException ex)
        {
            throw Invalid(ex.Message);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            throw Invalid(ex.Message);
        }
    }

    private static readonly string[] PatternTypes = ["daily", "weekly", "absoluteMonthly", "relativeMonthly", "absoluteYearly", "relativeYearly"];
    private static readonly string[] RangeTypes = ["endDate", "noEnd", "numbered"];

    private static string? Canonical(JsonNode? node, string[] names)
    {
        var text = node?.GetValue<string>();
        return text is null ? null : names.FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase)) ?? throw Invalid($"Requested value '{text}' was not found.");
    }

    private static string? Lower(JsonNode? node) => node?.GetValue<string>().ToLowerInvariant();

    private static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static GraphError Invalid(string why) => GraphError.BadRequest("ErrorInvalidRecurrence", "The recurrence is invalid: " + why);
}

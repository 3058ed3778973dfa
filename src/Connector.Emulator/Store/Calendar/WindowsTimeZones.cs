using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using static Connector.Emulator.Ews.EwsNames;

namespace Connector.Emulator.Store.Calendar;

/// <summary>
/// Windows time-zone ids as Exchange uses them (StartTimeZone Id, MeetingTimeZone TimeZoneName,
/// TimeZoneContext), resolved through .NET's ICU mapping, plus custom TimeZoneDefinitions
/// (Periods + TransitionsGroups) for ids Windows does not know, and the TimeZoneDefinition XML
/// Exchange writes back.
/// </summary>
internal static class WindowsTimeZones
{
    public const string UtcId = "UTC";

    /// <summary>Resolves a Windows zone id ("W. Europe Standard Time", "UTC"); IANA ids are not Windows ids and fail.</summary>
    public static TimeZoneInfo? FindById(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return null;
        }

        if (id is UtcId or "Coordinated Universal Time")
        {
            return TimeZoneInfo.Utc;
        }

        if (!TimeZoneInfo.TryConvertWindowsIdToIanaId(id, out _))
        {
            return null;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;
    }

    /// <summary>
    /// Resolves a t:TimeZoneDefinitionType element (StartTimeZone, EndTimeZone, TimeZoneContext's
    /// TimeZoneDefinition): by Id, else from its Periods and first TransitionsGroup.
    /// </summary>
    public static TimeZoneInfo? FromDefinition(XElement definition)
    {
        var id = (string?)definition.Attribute("Id");
        var known = FindById(id);
        if (known is not null)
        {
            return known;
        }

        var periods = definition.Element(T + "Periods")?.Elements(T + "Period").ToList() ?? [];
        if (periods.Count == 0)
        {
            return null;
        }

        var biasById = periods.ToDictionary(
            p => (string?)p.Attribute("Id") ?? string.Empty,
            p => XmlConvert.ToTimeSpan((string?)p.Attribute("Bias") ?? "PT0M"),
            StringComparer.Ordinal);
        var standard = periods.FirstOrDefault(p => string.Equals((string?)p.Attribute("Name"), "Standard", StringComparison.OrdinalIgnoreCase)) ?? periods[0];
        var standardBias = XmlConvert.ToTimeSpan((string?)standard.Attribute("Bias") ?? "PT0M");
        var name = (string?)definition.Attribute("Name") ?? id ?? "Custom";
        var group = definition.Element(T + "TransitionsGroups")?.Elements(T + "TransitionsGroup").FirstOrDefault();
        var recurring = group?.Elements(T + "RecurringDayTransition").ToList() ?? [];
        if (recurring.Count != 2)
        {
            return TimeZoneInfo.CreateCustomTimeZone(id ?? name, -standardBias, name, name);
        }

        var standardPeriodId = (string?)standard.Attribute("Id") ?? string.Empty;
        var toDaylight = recurring.FirstOrDefault(t => !string.Equals(t.Element(T + "To")?.Value, standardPeriodId, StringComparison.Ordinal));
        var toStandard = recurring.FirstOrDefault(t => string.Equals(t.Element(T + "To")?.Value, standardPeriodId, StringComparison.Ordinal));
        if (toDaylight is null || toStandard is null || !biasById.TryGetValue(toDaylight.Element(T + "To")!.Value, out var daylightBias))
        {
            return TimeZoneInfo.CreateCustomTimeZone(id ?? name, -standardBias, name, name);
        }

        var rule = TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(
            DateTime.MinValue.Date,
            DateTime.MaxValue.Date,
            standardBias - daylightBias,
            ToTransition(toDaylight),
            ToTransition(toStandard));
        return TimeZoneInfo.CreateCustomTimeZone(id ?? name, -standardBias, name, name, name + " (daylight)", [rule]);
    }

    /// <summary>The t:TimeZoneDefinitionType content Exchange returns for a zone (one transition group, the current rule).</summary>
    public static XElement ToDefinition(XName elementName, TimeZoneInfo zone)
    {
        var id = zone == TimeZoneInfo.Utc ? UtcId : zone.Id;
        var element = new XElement(elementName, new XAttribute("Id", id), new XAttribute("Name", zone.DisplayName));
        var rule = CurrentRule(zone);
        var standardId = $"trule:Microsoft/Registry/{id}/Standard";
        var daylightId = $"trule:Microsoft/Registry/{id}/Daylight";
        var periods = new XElement(T + "Periods", Period(-zone.BaseUtcOffset, "Standard", standardId));
        var group = new XElement(T + "TransitionsGroup", new XAttribute("Id", "0"));
        if (rule is null)
        {
            group.Add(new XElement(T + "Transition", new XElement(T + "To", new XAttribute("Kind", "Period"), standardId)));
        }
        else
        {
            periods.Add(Period(-(zone.BaseUtcOffset + rule.DaylightDelta), "Daylight", daylightId));
            group.Add(
                RecurringDay(rule.DaylightTransitionStart, daylightId),
                RecurringDay(rule.DaylightTransitionEnd, standardId));
        }

        element.Add(
            periods,
            new XElement(T + "TransitionsGroups", group),
            new XElement(T + "Transitions", new XElement(T + "Transition", new XElement(T + "To", new XAttribute("Kind", "Group"), "0"))));
        return element;
    }

    /// <summary>The zone's id as Exchange writes it.</summary>
    public static string IdOf(TimeZoneInfo zone) => zone == TimeZoneInfo.Utc ? UtcId : zone.Id;

    /// <summary>Local wall-clock time → UTC; a time in a DST gap moves forward, an ambiguous one takes the first (daylight) instant.</summary>
    public static DateTime ToUtc(DateTime local, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(unspecified))
        {
            unspecified = unspecified.AddHours(1);
        }

        if (zone.IsAmbiguousTime(unspecified))
        {
            var offsets = zone.GetAmbiguousTimeOffsets(unspecified);
            var largest = offsets.Max();
            return DateTime.SpecifyKind(unspecified - largest, DateTimeKind.Utc);
        }

        return TimeZoneInfo.ConvertTimeToUtc(unspecified, zone);
    }

    public static DateTime ToLocal(DateTime utc, TimeZoneInfo zone) =>
        DateTime.SpecifyKind(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone), DateTimeKind.Unspecified);

    private static TimeZoneInfo.AdjustmentRule? CurrentRule(TimeZoneInfo zone)
    {
        if (!zone.SupportsDaylightSavingTime)
        {
            return null;
        }

        var now = DateTime.UtcNow;
        var rules = zone.GetAdjustmentRules();
        return rules.FirstOrDefault(r => r.DateStart <= now && r.DateEnd >= now && r.DaylightDelta != TimeSpan.Zero)
            ?? rules.LastOrDefault(r => r.DaylightDelta != TimeSpan.Zero);
    }

    private static XElement Period(TimeSpan bias, string name, string id) =>
        new(T + "Period", new XAttribute("Bias", XmlConvert.ToString(bias)), new XAttribute("Name", name), new XAttribute("Id", id));

    private static XElement RecurringDay(TimeZoneInfo.TransitionTime transition, string toPeriod)
    {
        var timeOfDay = transition.TimeOfDay.TimeOfDay;
        return new XElement(
            T + "RecurringDayTransition",
            new XElement(T + "To", new XAttribute("Kind", "Period"), toPeriod),
            new XElement(T + "TimeOffset", XmlConvert.ToString(timeOfDay)),
            new XElement(T + "Month", transition.Month.ToString(CultureInfo.InvariantCulture)),
            new XElement(T + "DayOfWeek", transition.DayOfWeek.ToString()),
            new XElement(T + "Occurrence", (transition.Week == 5 ? -1 : transition.Week).ToString(CultureInfo.InvariantCulture)));
    }

    private static TimeZoneInfo.TransitionTime ToTransition(XElement recurringDay)
    {
        var offset = XmlConvert.ToTimeSpan(recurringDay.Element(T + "TimeOffset")?.Value ?? "PT0M");
        var month = int.Parse(recurringDay.Element(T + "Month")?.Value ?? "1", CultureInfo.InvariantCulture);
        var day = Enum.Parse<DayOfWeek>(recurringDay.Element(T + "DayOfWeek")?.Value ?? "Sunday");
        var occurrence = int.Parse(recurringDay.Element(T + "Occurrence")?.Value ?? "1", CultureInfo.InvariantCulture);
        return TimeZoneInfo.TransitionTime.CreateFloatingDateRule(
            new DateTime(1, 1, 1, 0, 0, 0, DateTimeKind.Unspecified).Add(offset),
            month,
            occurrence is < 1 or > 4 ? 5 : occurrence,
            day);
    }
}

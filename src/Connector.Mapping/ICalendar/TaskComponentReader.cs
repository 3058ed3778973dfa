using Connector.Domain;
using Connector.Mapping.Text;
using TaskStatus = Connector.Domain.TaskStatus;

namespace Connector.Mapping.ICalendar;

/// <summary>One VTODO component → <see cref="TaskItem"/>.</summary>
internal static class TaskComponentReader
{
    /// <summary>Our own property for Exchange task states iCalendar has no word for (WaitingOnOthers, Deferred).</summary>
    public const string ExchangeStatusProperty = "X-EXCHANGE-TASK-STATUS";

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "UID", "SUMMARY", "DESCRIPTION", "STATUS", ExchangeStatusProperty, "PRIORITY", "DTSTART", "DUE", "DURATION",
        "COMPLETED", "PERCENT-COMPLETE", "RRULE", "CATEGORIES", "CLASS", CommonProperties.ExchangeSensitivityProperty,
        "SEQUENCE", "CREATED", "LAST-MODIFIED", "DTSTAMP",
    };

    public static TaskItem Read(Component c, string uid, TimeContext time)
    {
        var start = c.Get("DTSTART") is { } dtstart ? time.Parse(dtstart) : (CalendarTime?)null;
        CalendarTime? due = null;
        if (c.Get("DUE") is { } dueLine)
        {
            due = time.Parse(dueLine);
        }
        else if (c.Get("DURATION") is { } duration && start is { } s)
        {
            if (!ICalFormat.TryParseDuration(duration.Value, out var d))
            {
                throw ICalFormat.Invalid(duration, "DURATION");
            }

            due = s.WithValue(s.Value + d);
        }

        var rule = CommonProperties.ReadRule(c);

        var (reminders, components) = CommonProperties.ReadChildren(c, time);

        return new TaskItem
        {
            Uid = uid,
            Summary = CommonProperties.Text(c.Get("SUMMARY")),
            Description = CommonProperties.Text(c.Get("DESCRIPTION")),
            HtmlDescription = CommonProperties.ReadHtml(c),
            Status = (c.Get("STATUS")?.Value.Trim().ToUpperInvariant()) switch
            {
                "IN-PROCESS" => TaskStatus.InProcess,
                "COMPLETED" => TaskStatus.Completed,
                "CANCELLED" => TaskStatus.Cancelled,
                _ => TaskStatus.NeedsAction,
            },
            ExchangeStatus = TextValue.NullIfEmpty(c.Get(ExchangeStatusProperty)?.Value.Trim()),
            Priority = CommonProperties.ReadInt(c.Get("PRIORITY"), 0, 9, 0),
            Start = start,
            Due = due,
            Completed = time.ParseStamp(c.Get("COMPLETED")),
            PercentComplete = c.Get("PERCENT-COMPLETE") is { } pct ? CommonProperties.ReadInt(pct, 0, 100, 0) : null,
            Recurrence = rule,
            Reminders = reminders,
            Categories = CommonProperties.ReadCategories(c),
            Sensitivity = CommonProperties.ReadSensitivity(c),
            Sequence = CommonProperties.ReadInt(c.Get("SEQUENCE"), 0, int.MaxValue, 0),
            Created = time.ParseStamp(c.Get("CREATED")),
            LastModified = time.ParseStamp(c.Get("LAST-MODIFIED")),
            ExtraProperties = c.Properties
                .Where(p => (!Known.Contains(p.Name) && !EventComponentReader.IsHtmlDescription(p)) || (p.Name == "RRULE" && !ReferenceEquals(p, c.Get("RRULE"))))
                .Select(p => p.ToRaw()).ToValueList(),
            ExtraComponents = components,
        };
    }
}

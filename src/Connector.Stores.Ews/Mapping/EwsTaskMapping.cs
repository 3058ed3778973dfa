using System.Xml;
using Connector.Domain;
using Connector.Mapping.Text;
using TaskStatus = Connector.Domain.TaskStatus;

namespace Connector.Stores.Ews.Mapping;

/// <summary>
/// <c>t:Task</c> ⇄ <see cref="TaskItem"/>. Status: NotStarted ⇄ NeedsAction, InProgress ⇄ InProcess, Completed ⇄
/// Completed, WaitingOnOthers → InProcess + ExchangeStatus, Deferred → NeedsAction + ExchangeStatus (written back
/// only while the status still matches); Cancelled has no Exchange status and is written as Deferred.
/// Importance High/Normal/Low ⇄ PRIORITY 1/5/9 (0 writes Normal). StartDate/DueDate are dates (S19): read as the
/// date in <see cref="EwsMappingOptions.MailboxTimeZone"/>, written as that zone's midnight; a due time of day is
/// lost. Reminder: ReminderIsSet + ReminderDueBy ⇄ one absolute reminder. Regenerating recurrences
/// (DailyRegeneration…) are a <see cref="MappingException"/>: iCalendar cannot express "a week after completion".
/// Ignored: ActualWork, TotalWork, BillingInformation, Companies, Contacts, Mileage, Owner, Delegator,
/// DelegationState, IsTeamTask, StatusDescription, ChangeCount.
/// </summary>
public static class EwsTaskMapping
{
    private const string Ns = EwsFields.TypesNamespace;

    public static EwsItem<TaskItem> Read(XmlReader reader, EwsMappingOptions? options = null)
    {
        options ??= EwsMappingOptions.Default;
        EwsItemXml.ExpectItemElement(reader, "Task");
        var b = new EwsItemBase();
        var f = new Dictionary<string, string?>(StringComparer.Ordinal);
        EwsPattern? pattern = null;
        return EwsCommonWriter.Named(() => b.Label("Task"), () =>
        {
            EwsItemXml.ReadChildren(reader, name =>
            {
                if (b.TryRead(reader, name))
                {
                    return;
                }

                switch (name)
                {
                    case "CompleteDate" or "DueDate" or "PercentComplete" or "StartDate" or "Status":
                        f[name] = EwsItemXml.Text(reader);
                        break;
                    case "Recurrence":
                        pattern = EwsRecurrence.Read(reader, task: true, b.Label("Task"));
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            });

            var zone = options.MailboxTimeZone;
            CalendarTime? Date(string field) => f.GetValueOrDefault(field) is { } text
                ? CalendarTime.FromDate(EwsTime.DateIn(EwsTime.Instant(EwsItemXml.ParseDateTime(text, field), zone), zone))
                : null;

            var (status, exchangeStatus) = f.GetValueOrDefault("Status") switch
            {
                null or "NotStarted" => (TaskStatus.NeedsAction, (string?)null),
                "InProgress" => (TaskStatus.InProcess, null),
                "Completed" => (TaskStatus.Completed, null),
                "WaitingOnOthers" => (TaskStatus.InProcess, "WaitingOnOthers"),
                "Deferred" => (TaskStatus.NeedsAction, "Deferred"),
                var other => throw new MappingException($"Status '{EwsItemXml.Shorten(other)}' is not a task status"),
            };
            var start = Date("StartDate");
            var due = Date("DueDate");
            var task = new TaskItem
            {
                Uid = b.ExtendedProperties.GetValueOrDefault(EwsExtendedProperty.Uid.Key) ?? b.ItemId ?? string.Empty,
                Summary = b.Subject,
                Description = b.Text,
                HtmlDescription = b.Html,
                Status = status,
                ExchangeStatus = exchangeStatus,
                Priority = b.Importance switch { "High" => 1, "Low" => 9, _ => 5 },
                Start = start,
                Due = due,
                Completed = f.GetValueOrDefault("CompleteDate") is { } done ? EwsTime.Instant(EwsItemXml.ParseDateTime(done, "CompleteDate"), zone) : null,
                PercentComplete = f.GetValueOrDefault("PercentComplete") is { } pc ? (int)Math.Round(EwsItemXml.ParseDouble(pc, "PercentComplete")) : null,
                Reminders = b.IsReminderSet && b.ReminderDueBy is { } at
                    ? [new Reminder { At = EwsTime.Instant(EwsItemXml.ParseDateTime(at, "ReminderDueBy"), zone) }]
                    : [],
                Categories = b.Categories,
                Sensitivity = b.Sensitivity,
                Created = b.CreatedUtc,
                LastModified = b.LastModifiedUtc,
            };
            if (pattern is not null)
            {
                var rule = EwsRecurrence.ToRule(pattern);
                task = task with { Recurrence = pattern.EndDate is { } end ? rule with { Until = CalendarTime.FromDate(end) } : rule };
            }

            return new EwsItem<TaskItem>(b.ItemId, b.ChangeKey, task);
        });
    }

    public static void Write(XmlWriter writer, TaskItem t, EwsMappingOptions? options = null, string? itemId = null)
    {
        options ??= EwsMappingOptions.Default;
        var label = itemId is not null ? $"Task ItemId={itemId}" : $"Task UID={t.Uid}";
        var e = EwsCommonWriter.Named(() => label, () => Build(t, options, itemId));
        writer.WriteStartElement("t", "Task", Ns);
        e.WriteTo(writer);
        writer.WriteEndElement();
    }

    private static OrderedElementWriter Build(TaskItem t, EwsMappingOptions options, string? itemId)
    {
        var zone = options.MailboxTimeZone ?? EwsTime.Utc;
        var e = new OrderedElementWriter(EwsFields.Task, options.Mode);
        EwsCommonWriter.WriteBase(e, itemId, t.Summary, t.Description, t.HtmlDescription, t.Categories, t.Sensitivity, t.Created, t.LastModified);
        e.AddText("Importance", t.Importance.ToString());
        var reminder = t.Reminders.FirstOrDefault(r => r.At is not null);
        e.AddText("ReminderIsSet", reminder is null ? "false" : "true");
        if (reminder?.At is { } at)
        {
            e.AddText("ReminderDueBy", EwsItemXml.FormatUtc(at));
        }

        if (t.Uid.Length > 0)
        {
            e.Add("ExtendedProperty", w => EwsExtendedProperty.Uid.Write(w, t.Uid));
        }

        string? Midnight(CalendarTime? time) => time is { } v
            ? EwsItemXml.FormatUtc(EwsTime.ToUtc(DateOnlyOf(v, zone).ToDateTime(TimeOnly.MinValue), zone))
            : null;

        if (t.Completed is { } completed)
        {
            e.AddText("CompleteDate", EwsItemXml.FormatUtc(completed));
        }

        e.AddText("DueDate", Midnight(t.Due));
        if (t.PercentComplete is int pc)
        {
            e.AddText("PercentComplete", EwsItemXml.FormatInt(Math.Clamp(pc, 0, 100)));
        }

        if (t.Recurrence is { } rule)
        {
            var anchor = t.Start ?? t.Due ?? throw new MappingException("a recurring task needs a start or due date");
            var first = DateOnlyOf(anchor, zone);
            DateOnly? endDate = rule.Until is { } until ? DateOnlyOf(until, zone) : null;
            var pattern = EwsRecurrence.ToPattern(rule, first, endDate);
            e.Add("Recurrence", w =>
            {
                w.WriteStartElement("Recurrence", Ns);
                EwsRecurrence.Write(w, pattern, first);
                w.WriteEndElement();
            });
        }

        e.AddText("StartDate", Midnight(t.Start));
        e.AddText("Status", t.Status switch
        {
            TaskStatus.Completed => "Completed",
            TaskStatus.InProcess => t.ExchangeStatus == "WaitingOnOthers" ? "WaitingOnOthers" : "InProgress",
            TaskStatus.Cancelled => "Deferred",
            _ => t.ExchangeStatus == "Deferred" ? "Deferred" : "NotStarted",
        });
        return e;
    }

    private static DateOnly DateOnlyOf(CalendarTime time, string zone) => time.Kind switch
    {
        CalendarTimeKind.Date or CalendarTimeKind.Floating => time.Date,
        _ => EwsTime.DateIn(EwsTime.ToEws(time, zone).Utc, zone),
    };
}

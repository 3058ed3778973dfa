using Connector.Domain;
using Connector.Mapping.Text;
using Connector.Stores.Graph.Json;
using TaskStatus = Connector.Domain.TaskStatus;

namespace Connector.Stores.Graph.Mapping;

/// <summary>
/// Microsoft To Do task ⇄ <see cref="TaskItem"/>, pure (S19).
/// <list type="bullet">
/// <item>UID: the externalId of the task's linkedResource named <see cref="GraphProperties.TaskLinkApplication"/> (To Do
/// has no UID and no extended properties); a task made in To Do uses its Graph id.</item>
/// <item>title ⇄ SUMMARY; body ⇄ DESCRIPTION (text) or the HTML description; categories.</item>
/// <item>status notStarted/inProgress/completed ⇄ NEEDS-ACTION/IN-PROCESS/COMPLETED; waitingOnOthers and deferred read as
/// NEEDS-ACTION with the Exchange status word kept (X-EXCHANGE-TASK-STATUS); CANCELLED is written as deferred.</item>
/// <item>importance high/normal/low ⇄ PRIORITY 1/5/9 (0, undefined, writes normal).</item>
/// <item>dueDateTime ⇄ DUE: To Do keeps a due <em>date</em>; a midnight value reads as a DATE, and a DUE with a time
/// is written with it (To Do shows the day). startDateTime (v1.0) ⇄ DTSTART, written only when the task has one.</item>
/// <item>completedDateTime ⇄ COMPLETED (UTC); isReminderOn + reminderDateTime ⇄ one absolute display alarm (a relative
/// alarm is written at its absolute time and reads back absolute).</item>
/// <item>recurrence ⇄ RRULE. Completing a recurring task regenerates it on the server: one task, open, carries the
/// recurrence on to the next due date, and a completed one without the recurrence is left behind (Exchange keeps the
/// id on the open one; either way both carry the connector's link). The open task keeps the UID (Nextcloud's VTODO
/// moves on to the next occurrence); the completed one reads as a task of its own, UID + "/" + its due date. Only
/// tasks the connector created recurring are told apart this way (their link says so).</item>
/// <item>Not in To Do: CLASS, SEQUENCE, PERCENT-COMPLETE, unknown properties.</item>
/// </list>
/// </summary>
public static class GraphTaskMapping
{
    /// <summary>The link's display name on a task created with a recurrence (see <see cref="Read"/>).</summary>
    internal const string RecurringLinkName = "Nextcloud (recurring)";

    public static TaskItem Read(GraphTodoTask t, GraphMappingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(t);
        try
        {
            var link = t.LinkedResources?.FirstOrDefault(l => l.ApplicationName == GraphProperties.TaskLinkApplication && !string.IsNullOrEmpty(l.ExternalId));
            var (text, html) = GraphEventMapping.ReadBody(t.Body);
            var zone = options?.MailboxTimeZone;
            var due = t.DueDateTime is { } d ? ReadDateOrTime(d, zone, "dueDateTime") : (CalendarTime?)null;
            var start = t.StartDateTime is { } s ? ReadDateOrTime(s, zone, "startDateTime") : (CalendarTime?)null;
            var status = (t.Status ?? "notStarted").ToUpperInvariant();
            var uid = link?.ExternalId ?? GraphEventMapping.NotEmpty(t.Id) ?? throw new MappingException("the task has no id");
            if (link?.DisplayName == RecurringLinkName && t.Recurrence is null && status == "COMPLETED")
            {
                // Completing a recurring task leaves a completed task without the recurrence beside the open one that
                // carries it on (both with the same link). The open task keeps the UID; the completed one is a
                // finished occurrence of its own (S19).
                uid += "/" + (due is { } dd ? dd.Date : DateOnly.FromDateTime(t.LastModifiedDateTime?.UtcDateTime ?? DateTime.UnixEpoch)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            }

            return new TaskItem
            {
                Uid = uid,
                Summary = GraphEventMapping.NotEmpty(t.Title),
                Description = text,
                HtmlDescription = html,
                Status = status switch
                {
                    "INPROGRESS" => TaskStatus.InProcess,
                    "COMPLETED" => TaskStatus.Completed,
                    _ => TaskStatus.NeedsAction,
                },
                ExchangeStatus = status switch
                {
                    "WAITINGONOTHERS" => "WaitingOnOthers",
                    "DEFERRED" => "Deferred",
                    _ => null,
                },
                Priority = (t.Importance ?? "normal").ToUpperInvariant() switch
                {
                    "HIGH" => 1,
                    "LOW" => 9,
                    _ => 5,
                },
                Due = due,
                Start = start,
                Completed = t.CompletedDateTime is { } c && status == "COMPLETED" ? GraphTime.Instant(c, "completedDateTime") : null,
                Reminders = t.IsReminderOn == true && t.ReminderDateTime is { } r ? [new Reminder { At = GraphTime.Instant(r, "reminderDateTime") }] : [],
                Recurrence = t.Recurrence is { Pattern: not null } rec ? GraphRecurrence.Read(rec, due ?? start ?? CalendarTime.FromDate(DateOnly.FromDateTime(t.CreatedDateTime?.UtcDateTime ?? DateTime.UnixEpoch))) : null,
                Categories = (t.Categories ?? []).Where(x => !string.IsNullOrWhiteSpace(x)).ToValueList(),
                Created = t.CreatedDateTime?.UtcDateTime,
                LastModified = t.LastModifiedDateTime?.UtcDateTime,
            };
        }
        catch (MappingException ex)
        {
            throw ex.WithItem(t.Id is { } id ? $"task {GraphTime.Shorten(id)}" : "task");
        }
    }

    public static GraphTodoTaskWrite Write(TaskItem t, GraphMappingOptions? options = null, bool create = true)
    {
        ArgumentNullException.ThrowIfNull(t);
        options ??= new GraphMappingOptions();
        try
        {
            var zone = options.MailboxTimeZone;
            var body = new GraphTodoTaskWrite
            {
                Title = t.Summary,
                Body = GraphEventMapping.WriteBody(t.Description, t.HtmlDescription),
                Status = t.Status switch
                {
                    TaskStatus.Completed => "completed",
                    TaskStatus.InProcess => "inProgress",
                    TaskStatus.Cancelled => "deferred",
                    _ => t.ExchangeStatus switch
                    {
                        "WaitingOnOthers" => "waitingOnOthers",
                        "Deferred" => "deferred",
                        _ => "notStarted",
                    },
                },
                Importance = t.Importance switch
                {
                    Importance.High => "high",
                    Importance.Low => "low",
                    _ => "normal",
                },
                DueDateTime = t.Due is { } due ? WriteDateOrTime(due, zone) : null,
                StartDateTime = t.Start is { } start ? WriteDateOrTime(start, zone) : null,
                CompletedDateTime = t.Status == TaskStatus.Completed && t.Completed is { } done ? GraphTime.Write(DateTime.SpecifyKind(done, DateTimeKind.Utc), "UTC") : null,
                Categories = [.. t.Categories],
            };
            var anchor = t.Due ?? t.Start;
            if (t.Recurrence is { } rule)
            {
                body.Recurrence = GraphRecurrence.Write(rule, anchor ?? throw new MappingException("a recurring task needs a due date"), zone);
            }

            if (!t.Reminders.IsEmpty && ReminderInstant(t.Reminders[0], anchor, zone) is { } at)
            {
                body.IsReminderOn = true;
                body.ReminderDateTime = GraphTime.Write(at, "UTC");
            }

            if (create)
            {
                body.LinkedResources = [new GraphLinkedResource { ApplicationName = GraphProperties.TaskLinkApplication, DisplayName = t.Recurrence is null ? "Nextcloud" : RecurringLinkName, ExternalId = t.Uid }];
            }

            return body;
        }
        catch (MappingException ex)
        {
            throw ex.WithItem($"task UID={t.Uid}");
        }
    }

    /// <summary>
    /// To Do keeps due and start as dates: midnight in the zone they were set in, which the store reads in UTC. A
    /// value that is midnight as given, or midnight in the mailbox's zone, reads as a DATE; anything else as a time.
    /// </summary>
    private static CalendarTime ReadDateOrTime(GraphDateTimeTimeZone value, string? mailboxZone, string what)
    {
        var wall = GraphTime.ParseWallClock(value.DateTime ?? throw new MappingException($"{what} has no dateTime"), what);
        if (wall.TimeOfDay == TimeSpan.Zero)
        {
            return CalendarTime.FromDate(DateOnly.FromDateTime(wall));
        }

        var date = GraphTime.ToDate(value, mailboxZone, what);
        var instant = GraphTime.Instant(value, what);
        if (mailboxZone is not null && GraphTime.ToUtc(date.ToDateTime(TimeOnly.MinValue), mailboxZone) == instant)
        {
            return CalendarTime.FromDate(date);
        }

        return GraphTime.ToCalendarTime(value, null, what);
    }

    private static GraphDateTimeTimeZone WriteDateOrTime(CalendarTime time, string? zone) =>
        time.IsDate ? GraphTime.Write(time.Value, GraphTime.ToGraphZone(zone ?? GraphTime.Utc) ?? "UTC") : GraphTime.FromCalendarTime(time, zone);

    private static DateTime? ReminderInstant(Reminder reminder, CalendarTime? anchor, string? zone)
    {
        if (reminder.At is { } at)
        {
            return DateTime.SpecifyKind(at, DateTimeKind.Utc);
        }

        if (reminder.Offset is { } offset && anchor is { } a)
        {
            return GraphTime.InstantOf(a, zone) + offset;
        }

        return null;
    }
}

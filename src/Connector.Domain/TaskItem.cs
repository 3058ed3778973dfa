namespace Connector.Domain;

/// <summary>RFC 5545 VTODO STATUS. Exchange's WaitingOnOthers and Deferred are kept via <see cref="TaskItem.ExchangeStatus"/>.</summary>
public enum TaskStatus
{
    NeedsAction,
    InProcess,
    Completed,
    Cancelled,
}

/// <summary>Exchange / To Do importance, derived from the iCalendar PRIORITY (1-4 high, 5 normal, 6-9 low).</summary>
public enum Importance
{
    Low,
    Normal,
    High,
}

/// <summary>A task (VTODO, EWS Task, Graph To Do task).</summary>
public sealed record TaskItem : ISyncItem
{
    public required string Uid { get; init; }

    public string? Summary { get; init; }

    public string? Description { get; init; }

    public string? HtmlDescription { get; init; }

    public TaskStatus Status { get; init; }

    /// <summary>Exchange status word when it has no iCalendar equivalent (WaitingOnOthers, Deferred).</summary>
    public string? ExchangeStatus { get; init; }

    /// <summary>iCalendar PRIORITY 0 (undefined) … 9; 1 is highest.</summary>
    public int Priority { get; init; }

    public Importance Importance => Priority switch
    {
        >= 1 and <= 4 => Importance.High,
        >= 6 and <= 9 => Importance.Low,
        _ => Importance.Normal,
    };

    public CalendarTime? Start { get; init; }

    /// <summary>Due date (DATE) or date-time.</summary>
    public CalendarTime? Due { get; init; }

    /// <summary>When the task was completed (UTC).</summary>
    public DateTime? Completed { get; init; }

    public int? PercentComplete { get; init; }

    public RecurrenceRule? Recurrence { get; init; }

    public ValueList<Reminder> Reminders { get; init; }

    public ValueList<string> Categories { get; init; }

    public Sensitivity Sensitivity { get; init; }

    public int Sequence { get; init; }

    public DateTime? Created { get; init; }

    public DateTime? LastModified { get; init; }

    public ValueList<RawProperty> ExtraProperties { get; init; }

    public ValueList<RawComponent> ExtraComponents { get; init; }
}

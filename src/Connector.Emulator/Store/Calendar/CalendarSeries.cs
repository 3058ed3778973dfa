namespace Connector.Emulator.Store.Calendar;

/// <summary>
/// The occurrences of a recurring master: the pattern's dates at the master's local start time in
/// its start time zone (so a series keeps its wall-clock time across DST changes), each with a
/// 1-based InstanceIndex that counts deleted occurrences too, as in Exchange.
/// </summary>
internal sealed class CalendarSeries
{
    private CalendarSeries(RecurrencePattern pattern, TimeZoneInfo zone, TimeSpan localStart, TimeSpan duration, bool allDay, int allDayDays)
    {
        Pattern = pattern;
        Zone = zone;
        LocalStart = localStart;
        Duration = duration;
        AllDay = allDay;
        AllDayDays = allDayDays;
    }

    public RecurrencePattern Pattern { get; }

    public TimeZoneInfo Zone { get; }

    public TimeSpan LocalStart { get; }

    public TimeSpan Duration { get; }

    public bool AllDay { get; }

    public int AllDayDays { get; }

    /// <summary>The series of a stored recurring master, or null when the item has no recurrence.</summary>
    public static CalendarSeries? Of(StoredItem item)
    {
        if (item.Kind != ItemKind.CalendarItem || item.Prop("Recurrence") is not { } recurrence)
        {
            return null;
        }

        return Of(recurrence, CalendarTimes.Zone(item.Props), CalendarTimes.StartUtc(item.Props), CalendarTimes.EndUtc(item.Props), CalendarTimes.IsAllDay(item.Props));
    }

    public static CalendarSeries Of(System.Xml.Linq.XElement recurrence, TimeZoneInfo zone, DateTime startUtc, DateTime endUtc, bool allDay)
    {
        var pattern = RecurrencePattern.Parse(recurrence);
        var localStart = WindowsTimeZones.ToLocal(startUtc, zone);
        var localEnd = WindowsTimeZones.ToLocal(endUtc, zone);
        var days = Math.Max(1, (int)Math.Round((localEnd.Date - localStart.Date).TotalDays));
        return new CalendarSeries(pattern, zone, localStart.TimeOfDay, endUtc - startUtc, allDay, days);
    }

    /// <summary>Every occurrence (deleted ones included) with its 1-based index, in order.</summary>
    public IEnumerable<(int Index, DateTime OriginalStartUtc)> Occurrences()
    {
        var index = 0;
        foreach (var date in Pattern.Dates())
        {
            index++;
            yield return (index, StartOn(date));
        }
    }

    public DateTime StartOn(DateOnly date) =>
        WindowsTimeZones.ToUtc(date.ToDateTime(TimeOnly.MinValue).Add(AllDay ? TimeSpan.Zero : LocalStart), Zone);

    /// <summary>The default end of the occurrence that starts at <paramref name="originalStartUtc"/>.</summary>
    public DateTime EndOf(DateTime originalStartUtc)
    {
        if (!AllDay)
        {
            return originalStartUtc + Duration;
        }

        var localDate = WindowsTimeZones.ToLocal(originalStartUtc, Zone).Date;
        return WindowsTimeZones.ToUtc(localDate.AddDays(AllDayDays), Zone);
    }

    /// <summary>The occurrence at a 1-based index, or null when the series is shorter.</summary>
    public DateTime? At(int index)
    {
        if (index < 1)
        {
            return null;
        }

        foreach (var (i, start) in Occurrences())
        {
            if (i == index)
            {
                return start;
            }
        }

        return null;
    }

    /// <summary>Whether an original start is one of the series' occurrences.</summary>
    public bool Contains(DateTime originalStartUtc)
    {
        foreach (var (_, start) in Occurrences())
        {
            if (start == originalStartUtc)
            {
                return true;
            }

            if (start > originalStartUtc)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>The last occurrence of a bounded series (null when open-ended).</summary>
    public DateTime? Last() => Pattern.Range == RangeKind.NoEnd ? null : Occurrences().Select(o => (DateTime?)o.OriginalStartUtc).LastOrDefault();
}

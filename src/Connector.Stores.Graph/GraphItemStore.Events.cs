using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Connector.Domain;
using Connector.Mapping.Text;
using Connector.Stores.Graph.Json;
using Connector.Stores.Graph.Mapping;
using Connector.Sync.Stores;

namespace Connector.Stores.Graph;

/// <summary>
/// Events. Graph v1.0 offers a change feed for events only on a calendarView, i.e. a window of dates, and it lists
/// occurrences, not series: so the feed names a series by its master's id whenever any of its occurrences or
/// exceptions shows up (with no version: the engine reads it and compares content), and an entry Graph marks as
/// removed is looked up before it is reported deleted, because an event moved out of the window is removed from the
/// window's view but not from the calendar (S20). A full listing lists every event of the calendar, in the window
/// or not, so a full comparison never takes an event outside the window for deleted; then the window's first delta
/// round gives the token. When the window has moved on (<see cref="GraphStoreOptions.WindowMoveAfter"/>), a poll
/// first reads the old window's changes (deletions included) and then the new window's first round as upserts, so
/// the move costs one round of the new window and deletes nothing.
/// </summary>
public sealed partial class GraphItemStore
{
    /// <summary>Every event property the mapping reads (cancelledOccurrences is only sent when selected).</summary>
    private const string EventSelect =
        "id,iCalUId,type,seriesMasterId,originalStart,subject,body,start,end,originalStartTimeZone,originalEndTimeZone,isAllDay,isCancelled,"
        + "recurrence,organizer,attendees,location,sensitivity,showAs,isReminderOn,reminderMinutesBeforeStart,onlineMeeting,onlineMeetingUrl,"
        + "categories,createdDateTime,lastModifiedDateTime,changeKey,cancelledOccurrences";

    /// <summary>What an instance listing needs to find and map exceptions.</summary>
    private const string InstanceSelect =
        "id,type,seriesMasterId,originalStart,subject,body,start,end,originalStartTimeZone,originalEndTimeZone,isAllDay,isCancelled,location,"
        + "sensitivity,showAs,isReminderOn,reminderMinutesBeforeStart,categories,createdDateTime,lastModifiedDateTime,changeKey,attendees,organizer";

    /// <summary>The calendar window as of today (UTC dates).</summary>
    internal (DateOnly Start, DateOnly End) CurrentWindow()
    {
        var today = DateOnly.FromDateTime(options.Time.GetUtcNow().UtcDateTime);
        return (today.AddDays(-(int)Math.Ceiling(options.WindowPast.TotalDays)), today.AddDays((int)Math.Ceiling(options.WindowFuture.TotalDays)));
    }

    private string WindowDeltaPath(CollectionInfo collection, (DateOnly Start, DateOnly End) window) =>
        $"{Mailbox}/calendars/{Escape(collection.Id)}/calendarView/delta?startDateTime={Day(window.Start)}&endDateTime={Day(window.End)}";

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00Z";

    private async Task<ChangeFeed> EventChangesAsync(CollectionInfo collection, string? sinceToken, CancellationToken cancellationToken)
    {
        var window = CurrentWindow();
        if (sinceToken is null)
        {
            return await EventFullListingAsync(collection, window, cancellationToken).ConfigureAwait(false);
        }

        if (GraphDeltaToken.Parse(sinceToken) is not { WindowStart: { } oldStart, WindowEnd: { } oldEnd } token || connection.TrustedLink(token.DeltaLink) is not { } link)
        {
            return ChangeFeed.Invalid;
        }

        var changes = new Dictionary<string, ItemChange>(StringComparer.Ordinal);
        var removed = new List<string>();
        var (deltaLink, failure) = await ReadPagesAsync(link, GraphJsonContext.Default.GraphPageGraphEvent, e => AddEntry(e, changes, removed), "calendarView delta", cancellationToken, failureIsAnswer: true).ConfigureAwait(false);
        if (failure is not null)
        {
            return IsInvalidToken(failure) ? ChangeFeed.Invalid : throw new StoreException($"Graph calendarView delta of {collection.DisplayName}: {failure.Describe()}");
        }

        await ResolveRemovedAsync(removed, changes, cancellationToken).ConfigureAwait(false);
        var moveAfter = Math.Max(1, (int)Math.Ceiling(options.WindowMoveAfter.TotalDays));
        var moved = Math.Abs(window.Start.DayNumber - oldStart.DayNumber) >= moveAfter || Math.Abs(window.End.DayNumber - oldEnd.DayNumber) >= moveAfter;
        if (!moved)
        {
            return new ChangeFeed
            {
                Status = ChangeFeedStatus.Changes,
                Changes = [.. changes.Values],
                NewToken = new GraphDeltaToken(deltaLink ?? throw new StoreException("Graph calendarView delta ended without a deltaLink"), oldStart, oldEnd).Format(),
            };
        }

        // S20: the new window's first round lists what is in it now; what left the window is simply not listed,
        // which in a change feed means "unchanged", never "deleted".
        var baseline = new Dictionary<string, ItemChange>(StringComparer.Ordinal);
        var (newLink, newFailure) = await ReadPagesAsync(connection.Resolve(WindowDeltaPath(collection, window)), GraphJsonContext.Default.GraphPageGraphEvent, e => AddEntry(e, baseline, null), "calendarView delta (new window)", cancellationToken, failureIsAnswer: true).ConfigureAwait(false);
        if (newFailure is not null || newLink is null)
        {
            throw new StoreException($"Graph calendarView delta of {collection.DisplayName} for the new window: {newFailure?.Describe() ?? "no deltaLink"}");
        }

        foreach (var (id, change) in baseline)
        {
            if (!changes.ContainsKey(id))
            {
                changes[id] = change;
            }
        }

        return new ChangeFeed
        {
            Status = ChangeFeedStatus.Changes,
            Changes = [.. changes.Values],
            NewToken = new GraphDeltaToken(newLink, window.Start, window.End).Format(),
        };
    }

    private async Task<ChangeFeed> EventFullListingAsync(CollectionInfo collection, (DateOnly Start, DateOnly End) window, CancellationToken cancellationToken)
    {
        var items = new Dictionary<string, ItemChange>(StringComparer.Ordinal);
        await ReadPagesAsync(
            // $top as well as odata.maxpagesize: Graph lists events 10 to a page unless told otherwise.
            connection.Resolve($"{Mailbox}/calendars/{Escape(collection.Id)}/events?$select=id,type,seriesMasterId&$top={options.PageSize.ToString(CultureInfo.InvariantCulture)}"),
            GraphJsonContext.Default.GraphPageGraphEvent,
            e => AddEntry(e, items, null),
            "event listing",
            cancellationToken).ConfigureAwait(false);
        var (deltaLink, _) = await ReadPagesAsync(
            connection.Resolve(WindowDeltaPath(collection, window)),
            GraphJsonContext.Default.GraphPageGraphEvent,
            e => AddEntry(e, items, null),
            "calendarView delta",
            cancellationToken).ConfigureAwait(false);
        return new ChangeFeed
        {
            Status = ChangeFeedStatus.FullListing,
            Changes = [.. items.Values.Where(c => c.Kind == ChangeKind.Upserted)],
            NewToken = new GraphDeltaToken(deltaLink ?? throw new StoreException("Graph calendarView delta ended without a deltaLink"), window.Start, window.End).Format(),
        };
    }

    /// <summary>
    /// One delta or listing entry: an occurrence or exception stands for its series (no version: the series' version
    /// includes its exceptions, which the entry cannot tell), a single event for itself with its etag. Removed entries
    /// go to <paramref name="removed"/> to be looked up (or are ignored when it is null: a first round has none).
    /// </summary>
    private static void AddEntry(GraphEvent e, Dictionary<string, ItemChange> changes, List<string>? removed)
    {
        if (e.Id is null)
        {
            return;
        }

        if (e.Removed is not null)
        {
            removed?.Add(e.Id);
            return;
        }

        switch (e.Type)
        {
            case "occurrence" or "exception" when e.SeriesMasterId is { } master:
                changes[master] = new ItemChange(ChangeKind.Upserted, master, null);
                break;
            case "seriesMaster":
                changes[e.Id] = new ItemChange(ChangeKind.Upserted, e.Id, null);
                break;
            default:
                changes[e.Id] = new ItemChange(ChangeKind.Upserted, e.Id, e.ETag);
                break;
        }
    }

    /// <summary>
    /// A calendarView delta reports an event moved out of the window as removed, like a deleted one (S20): each removed
    /// id is looked up (in <c>$batch</c>es); one that still exists is reported changed (its move is a change), only one
    /// that is gone is reported deleted. A removed occurrence of a series is gone as an id of its own; the series
    /// itself is read again at the next window move (see the README).
    /// </summary>
    private async Task ResolveRemovedAsync(List<string> removed, Dictionary<string, ItemChange> changes, CancellationToken cancellationToken)
    {
        var unknown = removed.Where(id => !changes.ContainsKey(id)).Distinct(StringComparer.Ordinal).ToList();
        if (unknown.Count == 0)
        {
            return;
        }

        var answers = await BatchGetAsync([.. unknown.Select(id => (id, $"{Mailbox}/events/{Escape(id)}?$select=id,type,seriesMasterId"))], cancellationToken).ConfigureAwait(false);
        foreach (var id in unknown)
        {
            var answer = answers[id];
            if (answer.Status == 200 && System.Text.Json.JsonSerializer.Deserialize(answer.Body, GraphJsonContext.Default.GraphEvent) is { } still)
            {
                AddEntry(still, changes, null);
            }
            else if (IsNotFound(answer))
            {
                changes[id] = new ItemChange(ChangeKind.Deleted, id, null);
            }
            else
            {
                throw new StoreException($"Graph could not tell whether event {id} was deleted: HTTP {answer.Status} {answer.ErrorCode}");
            }
        }
    }

    private async Task<FetchResult> ReadEventAsync(string id, GraphEvent ev, CancellationToken cancellationToken)
    {
        if (ev.Type is "occurrence" or "exception")
        {
            // The store's ids are series and single events; an occurrence id is not one of its items.
            return new FetchResult(id, FetchStatus.NotFound, Reason: $"{id} is an {ev.Type} of series {ev.SeriesMasterId}");
        }

        if (ev.Type == "seriesMaster" && ev.ExceptionOccurrences is null && ev.Recurrence is not null)
        {
            // Graph did not expand the exceptions: read them from the series' instances.
            ev.ExceptionOccurrences = await ReadExceptionsAsync(ev, cancellationToken).ConfigureAwait(false);
        }

        var item = GraphEventMapping.Read(ev, mapping);
        return Found(id, SeriesVersion(ev), item);
    }

    /// <summary>A series' version: the master's etag, and when it has exceptions or cancelled occurrences a digest of them.</summary>
    private static string? SeriesVersion(GraphEvent ev)
    {
        var etag = ev.ETag ?? ev.ChangeKey;
        var exceptions = ev.ExceptionOccurrences ?? [];
        var cancelled = ev.CancelledOccurrences ?? [];
        if (etag is null || (exceptions.Count == 0 && cancelled.Count == 0))
        {
            return etag;
        }

        var text = new StringBuilder();
        foreach (var e in exceptions.OrderBy(e => e.Id, StringComparer.Ordinal))
        {
            text.Append(e.Id).Append('=').Append(e.ETag ?? e.ChangeKey).Append(';');
        }

        foreach (var c in cancelled.Order(StringComparer.Ordinal))
        {
            text.Append(c).Append(';');
        }

        return etag + "|" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())).AsSpan(0, 8));
    }

    private async Task<List<GraphEvent>> ReadExceptionsAsync(GraphEvent master, CancellationToken cancellationToken)
    {
        var (from, to) = SeriesSpan(master);
        var exceptions = new List<GraphEvent>();
        await ReadPagesAsync(
            connection.Resolve($"{Mailbox}/events/{Escape(master.Id!)}/instances?startDateTime={Day(from)}&endDateTime={Day(to)}&$select={InstanceSelect}"),
            GraphJsonContext.Default.GraphPageGraphEvent,
            e =>
            {
                if (e.Type == "exception")
                {
                    exceptions.Add(e);
                }
            },
            "series instances",
            cancellationToken).ConfigureAwait(false);
        return exceptions;
    }

    /// <summary>The dates a series' occurrences can fall on: from its start to its end date, its last counted occurrence, or the window's end.</summary>
    private (DateOnly From, DateOnly To) SeriesSpan(GraphEvent master)
    {
        var range = master.Recurrence?.Range;
        var from = range?.StartDate is { } s ? GraphRecurrence.ParseDate(s, "range startDate") : CurrentWindow().Start;
        from = from.AddDays(-1);
        DateOnly to;
        if (string.Equals(range?.Type, "endDate", StringComparison.OrdinalIgnoreCase) && range!.EndDate is { } e)
        {
            to = GraphRecurrence.ParseDate(e, "range endDate").AddDays(2);
        }
        else if (string.Equals(range?.Type, "numbered", StringComparison.OrdinalIgnoreCase))
        {
            var pattern = master.Recurrence!.Pattern;
            var steps = (long)Math.Max(1, range!.NumberOfOccurrences) * Math.Max(1, pattern?.Interval ?? 1);
            var days = (pattern?.Type ?? "daily").ToUpperInvariant() switch
            {
                "DAILY" => steps,
                "WEEKLY" => steps * 7,
                "ABSOLUTEMONTHLY" or "RELATIVEMONTHLY" => steps * 31,
                _ => steps * 366,
            };
            to = from.AddDays((int)Math.Min(days + 2, 366 * 30));
        }
        else
        {
            to = CurrentWindow().End;
        }

        return (from, to > from ? to : from.AddDays(1));
    }

    private async Task<WriteResult> CreateEventAsync(CollectionInfo collection, CalendarEvent ev, CancellationToken cancellationToken)
    {
        var body = GraphEventMapping.Write(ev, mapping, create: true);
        var result = await SendWriteAsync(HttpMethod.Post, connection.Resolve($"{Mailbox}/calendars/{Escape(collection.Id)}/events"), body, GraphJsonContext.Default.GraphEventWrite, null, null, cancellationToken).ConfigureAwait(false);
        return result.IsSuccess && ev.Recurrence is not null && (!ev.Overrides.IsEmpty || !ev.ExcludedDates.IsEmpty)
            ? await ApplyExceptionsAsync(result.Id!, ev, cancellationToken).ConfigureAwait(false)
            : result;
    }

    private async Task<WriteResult> UpdateEventAsync(CollectionInfo collection, string id, string expectedVersion, CalendarEvent ev, CancellationToken cancellationToken)
    {
        var body = GraphEventMapping.Write(ev, mapping, create: false);
        if (await SeriesVersionMismatchAsync(collection, id, expectedVersion, cancellationToken).ConfigureAwait(false) is { } mismatch)
        {
            return mismatch;
        }

        var result = await SendWriteAsync(HttpMethod.Patch, connection.Resolve(ItemPath(collection, id)), body, GraphJsonContext.Default.GraphEventWrite, expectedVersion, id, cancellationToken).ConfigureAwait(false);
        return result.IsSuccess && ev.Recurrence is not null && (!ev.Overrides.IsEmpty || !ev.ExcludedDates.IsEmpty)
            ? await ApplyExceptionsAsync(id, ev, cancellationToken).ConfigureAwait(false)
            : result;
    }

    /// <summary>
    /// A series version names its exceptions too, which If-Match on the master cannot check: such a version is
    /// compared with the current one first (a change in between is not caught).
    /// </summary>
    private async Task<WriteResult?> SeriesVersionMismatchAsync(CollectionInfo collection, string id, string expectedVersion, CancellationToken cancellationToken)
    {
        if (!expectedVersion.Contains('|', StringComparison.Ordinal))
        {
            return null;
        }

        var current = (await FetchAsync(collection, [id], cancellationToken).ConfigureAwait(false))[0];
        return current.Status switch
        {
            FetchStatus.NotFound => WriteResult.Failed(WriteStatus.NotFound, "the series is gone", id),
            FetchStatus.Found when current.Item!.Version != expectedVersion => WriteResult.Failed(WriteStatus.PreconditionFailed, $"the series is at {current.Item.Version}, expected {expectedVersion}", id),
            _ => null,
        };
    }

    /// <summary>
    /// Makes the series' occurrences match the item (S09): each EXDATE's occurrence is deleted and each override's
    /// occurrence patched (time, subject, body, location, free/busy). Graph can do neither when creating the series.
    /// The occurrences are found by their original start in one instances listing. Returns success without a
    /// version (the engine reads it back), or Rejected naming what could not be applied.
    /// </summary>
    private async Task<WriteResult> ApplyExceptionsAsync(string masterId, CalendarEvent ev, CancellationToken cancellationToken)
    {
        var start = ev.Start!.Value;
        var zone = options.MailboxTimeZone;
        var wanted = new List<(DateTime Instant, CalendarEvent? Override)>();
        wanted.AddRange(ev.ExcludedDates.Select(d => (GraphEventMapping.InstantOf(d, start, zone), (CalendarEvent?)null)));
        wanted.AddRange(ev.Overrides.Where(o => o.RecurrenceId is not null).Select(o => (GraphEventMapping.InstantOf(o.RecurrenceId!.Value, start, zone), (CalendarEvent?)o)));
        var from = DateOnly.FromDateTime(wanted.Min(w => w.Instant)).AddDays(-1);
        var to = DateOnly.FromDateTime(wanted.Max(w => w.Instant)).AddDays(2);
        var instances = new List<GraphEvent>();
        await ReadPagesAsync(
            connection.Resolve($"{Mailbox}/events/{Escape(masterId)}/instances?startDateTime={Day(from)}&endDateTime={Day(to)}&$select=id,type,originalStart,isAllDay"),
            GraphJsonContext.Default.GraphPageGraphEvent,
            instances.Add,
            "series instances",
            cancellationToken).ConfigureAwait(false);

        var problems = new List<string>();
        foreach (var (instant, change) in wanted)
        {
            var occurrence = instances.FirstOrDefault(i => i.OriginalStart is { } o && SameOccurrence(o.UtcDateTime, instant, start.IsDate));
            if (occurrence?.Id is null)
            {
                // Already deleted, or the date is not an occurrence of the rule: nothing to do.
                continue;
            }

            var uri = connection.Resolve($"{Mailbox}/events/{Escape(occurrence.Id)}");
            var answer = change is null
                ? await connection.SendAsync(HttpMethod.Delete, uri, null, cancellationToken).ConfigureAwait(false)
                : await connection.SendJsonAsync(HttpMethod.Patch, uri, GraphEventMapping.WriteOccurrence(change, mapping), GraphJsonContext.Default.GraphOccurrenceWrite, cancellationToken).ConfigureAwait(false);
            if (!answer.IsSuccess && answer.Status != HttpStatusCode.NotFound)
            {
                problems.Add($"{(change is null ? "deleting" : "changing")} the occurrence of {instant:yyyy-MM-dd'T'HH:mm'Z'}: {answer.Describe()}");
            }
        }

        return problems.Count == 0
            ? WriteResult.Success(masterId, null)
            : WriteResult.Failed(WriteStatus.Rejected, "the series was written, but " + string.Join("; ", problems), masterId);
    }

    /// <summary>All-day occurrences start at midnight in the zone they were made in: compare them by the day, with a day's slack for the zone.</summary>
    private static bool SameOccurrence(DateTime originalStartUtc, DateTime wantedUtc, bool allDay) =>
        allDay ? Math.Abs((originalStartUtc - wantedUtc).TotalHours) < 14 : originalStartUtc == wantedUtc;
}

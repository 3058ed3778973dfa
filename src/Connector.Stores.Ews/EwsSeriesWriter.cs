using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Connector.Domain;
using Connector.Mapping.Text;
using Connector.Stores.Ews.Http;
using Connector.Stores.Ews.Mapping;
using Connector.Stores.Ews.Operations;
using Connector.Sync.Stores;

namespace Connector.Stores.Ews;

/// <summary>
/// Recurring series in EWS, beyond the master item: reading the content of its exceptions (GetItem on the master
/// names them only with their times) and writing EXDATEs and overrides as deleted and modified occurrences.
/// </summary>
/// <remarks>
/// <para><b>Finding an occurrence.</b> An occurrence that is not an exception yet is found with a FindItem
/// CalendarView around its original start (RECURRENCE-ID), matched by UID and OriginalStart; existing exceptions are
/// addressed by the ItemIds the master lists in ModifiedOccurrences. The alternative, an OccurrenceItemId with an
/// InstanceIndex computed from the pattern, would need our own expansion to agree with Exchange's to the occurrence
/// (deleted ones counted, DST, month ends, a master moved to its first occurrence): a wrong index writes to the wrong
/// day without any error. A calendar view lets Exchange expand its own pattern and can only fail to find. Original
/// starts closer than a week are looked up in one view.</para>
/// <para><b>Order of writes.</b> The master first (CreateItem, or UpdateItem with its ChangeKey: NeverOverwrite), then
/// the deletions (one DeleteItem), then one UpdateItem per override. Occurrence writes use ConflictResolution
/// AlwaysOverwrite: an occurrence has no ChangeKey of its own until it is an exception, and every write to the series
/// changes the master's key, so the keys the view returned are stale after the first write; the master's ChangeKey
/// was checked by the master write a moment before. The version returned is the master's ChangeKey read after the
/// last occurrence write (one GetItem IdOnly), so the engine's echo check recognises the master in the next
/// SyncFolderItems. A user edit landing between the last write and that read would be taken as ours: a window of
/// one round trip.</para>
/// <para><b>Pattern changes.</b> Exchange drops every exception when a master's Recurrence or times are set. So an
/// update sends Start, End, IsAllDayEvent, Recurrence and the time zones only when they differ from the stored master
/// (then the series is read again and every deletion and override is applied afresh); otherwise those fields are left
/// out and only the differences are written: new deletions, new or changed overrides (compared as the EWS elements
/// they write), and an override that disappeared is reset to the series' values (EWS cannot turn an exception back
/// into an occurrence; the reader drops exceptions that only repeat their occurrence). An EXDATE that disappeared
/// (an occurrence brought back) can only be undone by writing the pattern again, which the update then does.</para>
/// <para><b>Failures.</b> A create whose occurrence writes fail is rolled back (the master is deleted, with
/// SendToNone) and the failure returned: the engine then has nothing to link, and its retry creates the series again
/// instead of a second master next to a half-written one. An update first checks what it can without writing (every
/// override maps; when the pattern stays, every RECURRENCE-ID is an occurrence) and refuses the item untouched.
/// Past that point an update cannot be rolled back (the master's old state is gone); it returns the failure (<see cref="WriteStatus.Rejected"/> with the occurrence and Exchange's code when
/// Exchange refused the content, or the transient exception), never a success: the engine keeps its old versions,
/// reads the series again next run and plans again, instead of believing Exchange holds the overrides. (The next run
/// then sees both sides changed, and the conflict policy decides: with ExchangeWins the series as Exchange could hold
/// it goes to Nextcloud, which is right for an override Exchange refuses, and loses the rest of the edit after a
/// passing failure; the engine has no "write this again" outcome to do better.)</para>
/// <para>Nothing is sent to attendees: CreateItem, UpdateItem and DeleteItem carry SendToNone (S01). Responses are
/// never written for the user: no AcceptItem/DeclineItem, and an exception keeps the series organizer (S10).</para>
/// </remarks>
internal sealed class EwsSeriesWriter(EwsConnection connection, EwsMappingOptions mapping, int batchLimit, string? mailbox)
{
    /// <summary>How far apart original starts may be to be looked up in one calendar view.</summary>
    private static readonly TimeSpan ViewSpan = TimeSpan.FromDays(7);

    /// <summary>Master fields that carry the pattern: setting any of them makes Exchange drop the exceptions.</summary>
    private static readonly HashSet<string> PatternFields = new(
        ["calendar:Start", "calendar:End", "calendar:IsAllDayEvent", "calendar:Recurrence", "calendar:StartTimeZone", "calendar:EndTimeZone"],
        StringComparer.Ordinal);

    private static readonly string[] PatternElements = ["Start", "End", "IsAllDayEvent", "Recurrence", "StartTimeZone", "EndTimeZone"];

    /// <summary>
    /// Fields never written to an occurrence: UID and Recurrence belong to the series (Exchange refuses them on an
    /// occurrence); Start/End are sent as UTC instants, so the zones are not needed and stay the series'.
    /// </summary>
    private static readonly HashSet<string> NotForOccurrences = new(
        ["calendar:UID", "calendar:Recurrence", "calendar:StartTimeZone", "calendar:EndTimeZone"],
        StringComparer.Ordinal);

    /// <summary>A series as stored: the master's id and ChangeKey, the merged event and its exceptions' ItemIds by original start (UTC).</summary>
    private sealed record Snapshot(string Id, string ChangeKey, CalendarEvent Event, IReadOnlyDictionary<DateTime, string> ExceptionIds);

    /// <summary>What a series write did: the failure, if any, and whether occurrences were written.</summary>
    private sealed record Applied(WriteResult? Failure, bool WroteOccurrences);

    /// <summary>
    /// Replaces each found recurring master that has exceptions by the master with its exceptions' content
    /// (GetItem of their ItemIds, ⌈N / batch limit⌉ requests for N exceptions). A master whose exceptions cannot all be
    /// read becomes <see cref="EwsItemStatus.Unreadable"/> (it changed meanwhile; the next change feed names it again).
    /// </summary>
    public async Task<IReadOnlyList<EwsItemResult<EwsItem<ISyncItem>>>> WithExceptionsAsync(IReadOnlyList<EwsItemResult<EwsItem<ISyncItem>>> results, CancellationToken cancellationToken)
    {
        var wanted = results
            .Where(r => r.Status == EwsItemStatus.Found && r.Item is { Item: CalendarEvent, ModifiedOccurrenceIds.Count: > 0 })
            .SelectMany(r => r.Item!.ModifiedOccurrenceIds)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (wanted.Count == 0)
        {
            return results;
        }

        var exceptions = await ReadExceptionsAsync(wanted, cancellationToken).ConfigureAwait(false);
        return [.. results.Select(r =>
        {
            if (r.Status != EwsItemStatus.Found || r.Item is not { Item: CalendarEvent master, ModifiedOccurrenceIds.Count: > 0 } item)
            {
                return r;
            }

            var read = item.ModifiedOccurrenceIds.Select(id => (Id: id, Result: exceptions[id])).ToList();
            if (read.FirstOrDefault(e => e.Result.Status != EwsItemStatus.Found) is { Result: not null } missing)
            {
                return r with
                {
                    Status = EwsItemStatus.Unreadable,
                    Item = null,
                    MessageText = $"exception {Shorten(missing.Id)} of the series could not be read: {missing.Result.ResponseCode} {missing.Result.MessageText}",
                };
            }

            try
            {
                var merged = EwsCalendarItemReader.WithOccurrences(master, read.Select(e => e.Result.Item!.Item));
                return r with { Item = item with { Item = merged } };
            }
            catch (MappingException ex)
            {
                return r with { Status = EwsItemStatus.Unreadable, Item = null, MessageText = ex.Message };
            }
        })];
    }

    /// <summary>
    /// After CreateItem made the master: deletes the occurrences named by EXDATEs and writes the overrides. Returns the
    /// result to hand to the engine (the master's id and its final ChangeKey); on failure the master is deleted again.
    /// </summary>
    public async Task<WriteResult> CompleteCreateAsync(EwsFolderRef folder, WriteResult created, CalendarEvent ev, CancellationToken cancellationToken)
    {
        if (!created.IsSuccess || (ev.ExcludedDates.IsEmpty && ev.Overrides.IsEmpty))
        {
            return created;
        }

        var id = created.Id!;
        Applied applied;
        try
        {
            applied = await ApplyAsync(folder, id, ev, current: null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            await RollBackAsync(id).ConfigureAwait(false);
            throw;
        }

        if (applied.Failure is { } failure)
        {
            var rolledBack = await RollBackAsync(id).ConfigureAwait(false);
            return failure with { Id = null, Reason = failure.Reason + (rolledBack ? "; the series was not created" : "; the half-written series could not be deleted") };
        }

        return await FinalVersionAsync(id, created.Version, applied.WroteOccurrences, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// UpdateAsync of a recurring event: reads the stored series, updates the master (leaving the pattern fields out
    /// when they did not change, so Exchange keeps the exceptions) and writes only the occurrence differences.
    /// </summary>
    public async Task<WriteResult> UpdateAsync(EwsFolderRef folder, string id, string expectedVersion, CalendarEvent ev, CancellationToken cancellationToken)
    {
        var before = await ReadSeriesAsync(id, cancellationToken).ConfigureAwait(false);
        if (before.Failure is { } readFailure)
        {
            return readFailure;
        }

        var stored = before.Snapshot!;
        if (!string.Equals(stored.ChangeKey, expectedVersion, StringComparison.Ordinal))
        {
            return WriteResult.Failed(WriteStatus.PreconditionFailed, $"ChangeKey is {stored.ChangeKey}, expected {expectedVersion}", id);
        }

        ev = KeepOwnResponses(ev, stored.Event);
        XElement rendered;
        try
        {
            rendered = Render(ev);
        }
        catch (MappingException ex)
        {
            return WriteResult.Failed(WriteStatus.Rejected, ex.Message, id);
        }

        var zone = SeriesZone(ev);
        var storedZone = SeriesZone(stored.Event);
        var undeleted = Originals(stored.Event.ExcludedDates, storedZone).Except(Originals(ev.ExcludedDates, zone)).Any();
        var patternChanged = undeleted || !SamePattern(rendered, stored.Event);
        var changes = EwsItemChanges.Build(rendered);
        if (!patternChanged)
        {
            changes = EwsItemChanges.Without(changes, PatternFields);
        }

        // Refuse what cannot be written before anything is written: an override the mapping cannot hold, and (when
        // the occurrences stay where they are) a RECURRENCE-ID that names no occurrence. Their ids are kept for later.
        var located = new Dictionary<DateTime, string>();
        if (await CheckOverridesAsync(folder, id, ev, patternChanged ? null : stored, located, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        var master = await connection.SendAsync(new UpdateItemOperation(new EwsItemId(id, expectedVersion), changes), cancellationToken).ConfigureAwait(false);
        if (!master.IsSuccess)
        {
            return master;
        }

        // After the master write the stored exceptions may have been dropped (pattern) or inherit new values (an
        // exception keeps only what it overrides): compare with the series as it is now, not as it was.
        var hadOccurrences = !stored.Event.Overrides.IsEmpty || !stored.Event.ExcludedDates.IsEmpty || stored.ExceptionIds.Count > 0;
        Snapshot current;
        if (hadOccurrences)
        {
            var after = await ReadSeriesAsync(id, cancellationToken).ConfigureAwait(false);
            if (after.Failure is { } failure)
            {
                return failure.Status == WriteStatus.NotFound ? failure : WriteResult.Failed(WriteStatus.PreconditionFailed, "the series changed while it was written: " + failure.Reason, id);
            }

            current = after.Snapshot!;
        }
        else
        {
            current = new Snapshot(id, master.Version ?? string.Empty, ev with { Overrides = [], ExcludedDates = [] }, new Dictionary<DateTime, string>());
        }

        var stillDeleted = Originals(current.Event.ExcludedDates, SeriesZone(current.Event)).Except(Originals(ev.ExcludedDates, zone)).ToList();
        if (stillDeleted.Count > 0)
        {
            return WriteResult.Failed(WriteStatus.Rejected, $"Exchange keeps the occurrence(s) {string.Join(", ", stillDeleted.Select(Format))} deleted; EWS cannot restore a deleted occurrence", id);
        }

        var applied = await ApplyAsync(folder, id, ev, current, cancellationToken, located).ConfigureAwait(false);
        if (applied.Failure is { } occurrenceFailure)
        {
            return occurrenceFailure with { Id = id };
        }

        return await FinalVersionAsync(id, master.Version, applied.WroteOccurrences, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes and writes occurrences so that the series <paramref name="current"/> (null: fresh, no exceptions) becomes <paramref name="ev"/>.</summary>
    /// <summary>
    /// Before an update writes anything: every override must map, and with <paramref name="stored"/> (the pattern
    /// stays) every override's RECURRENCE-ID must be an exception or an occurrence of the stored series. Found
    /// occurrence ids go into <paramref name="located"/>. Returns the refusal, or null.
    /// </summary>
    private async Task<WriteResult?> CheckOverridesAsync(EwsFolderRef folder, string id, CalendarEvent ev, Snapshot? stored, Dictionary<DateTime, string> located, CancellationToken cancellationToken)
    {
        var zone = SeriesZone(ev);
        var deleted = Originals(ev.ExcludedDates, zone).ToHashSet();
        var originals = new List<DateTime>();
        foreach (var o in ev.Overrides)
        {
            if (o.RecurrenceId is not { } recurrenceId)
            {
                return WriteResult.Failed(WriteStatus.Rejected, "an override has no RECURRENCE-ID", id);
            }

            var original = OriginalOf(recurrenceId, zone);
            try
            {
                Render(AsOccurrence(ev, o));
            }
            catch (MappingException ex)
            {
                return WriteResult.Failed(WriteStatus.Rejected, $"the override of {Format(original)}: {ex.Message}", id);
            }

            if (!deleted.Contains(original))
            {
                originals.Add(original);
            }
        }

        if (stored is null)
        {
            return null;
        }

        var unknown = originals.Where(o => !stored.ExceptionIds.ContainsKey(o)).Distinct().Order().ToList();
        if (unknown.Count == 0)
        {
            return null;
        }

        var (found, ambiguous) = await FindOccurrencesAsync(folder, ev.Uid, unknown, cancellationToken).ConfigureAwait(false);
        if (ambiguous.Count > 0)
        {
            return WriteResult.Failed(WriteStatus.Rejected, $"more than one series in this calendar has UID {ev.Uid} (occurrence {Format(ambiguous[0])}); the occurrences cannot be told apart", id);
        }

        if (unknown.FirstOrDefault(o => !found.ContainsKey(o)) is var missing && missing != default)
        {
            return WriteResult.Failed(WriteStatus.Rejected, $"RECURRENCE-ID {Format(missing)} is not an occurrence of the series in Exchange", id);
        }

        foreach (var (original, occurrenceId) in found)
        {
            located[original] = occurrenceId;
        }

        return null;
    }

    private async Task<Applied> ApplyAsync(EwsFolderRef folder, string masterId, CalendarEvent ev, Snapshot? current, CancellationToken cancellationToken, IReadOnlyDictionary<DateTime, string>? located = null)
    {
        var zone = SeriesZone(ev);
        var deleted = Originals(ev.ExcludedDates, zone).ToHashSet();
        var alreadyDeleted = current is null ? [] : Originals(current.Event.ExcludedDates, SeriesZone(current.Event)).ToHashSet();
        var currentOverrides = new Dictionary<DateTime, CalendarEvent>();
        if (current is not null)
        {
            var currentZone = SeriesZone(current.Event);
            foreach (var o in current.Event.Overrides)
            {
                currentOverrides[OriginalOf(o.RecurrenceId!.Value, currentZone)] = o;
            }
        }

        var writes = new List<(DateTime Original, CalendarEvent Content)>();
        var wanted = new HashSet<DateTime>();
        foreach (var o in ev.Overrides)
        {
            if (o.RecurrenceId is not { } recurrenceId)
            {
                return new Applied(WriteResult.Failed(WriteStatus.Rejected, "an override has no RECURRENCE-ID"), false);
            }

            var original = OriginalOf(recurrenceId, zone);
            if (deleted.Contains(original) || !wanted.Add(original))
            {
                continue; // an EXDATE wins over an override of the same occurrence
            }

            var content = AsOccurrence(ev, o);
            if (currentOverrides.TryGetValue(original, out var stored) && SameOccurrence(content, AsOccurrence(ev, stored)))
            {
                continue;
            }

            writes.Add((original, content));
        }

        foreach (var (original, stored) in currentOverrides)
        {
            if (!wanted.Contains(original) && !deleted.Contains(original))
            {
                writes.Add((original, PlainOccurrence(ev, stored.RecurrenceId!.Value, original)));
            }
        }

        var deletions = deleted.Except(alreadyDeleted).Order().ToList();
        if (deletions.Count == 0 && writes.Count == 0)
        {
            return new Applied(null, false);
        }

        var known = new Dictionary<DateTime, string>(located ?? new Dictionary<DateTime, string>());
        foreach (var (original, exceptionId) in current?.ExceptionIds ?? new Dictionary<DateTime, string>())
        {
            known[original] = exceptionId;
        }

        var lookup = deletions.Concat(writes.Select(w => w.Original)).Where(o => !known.ContainsKey(o)).Distinct().Order().ToList();
        var (found, ambiguous) = await FindOccurrencesAsync(folder, ev.Uid, lookup, cancellationToken).ConfigureAwait(false);
        if (ambiguous.Count > 0)
        {
            return new Applied(WriteResult.Failed(WriteStatus.Rejected, $"more than one series in this calendar has UID {ev.Uid} (occurrence {Format(ambiguous[0])}); the occurrences cannot be told apart"), false);
        }

        string? IdOf(DateTime original) => known.TryGetValue(original, out var id) ? id : found.GetValueOrDefault(original);

        var wrote = false;

        // An EXDATE that names no occurrence has nothing to delete in Exchange (it does nothing in iCalendar either).
        var deleteIds = deletions.Select(IdOf).OfType<string>().ToList();
        foreach (var batch in deleteIds.Chunk(batchLimit))
        {
            var results = await connection.SendAsync(new DeleteItemOperation([.. batch.Select(i => new EwsItemId(i))]), cancellationToken).ConfigureAwait(false);
            wrote = true;
            if (results.FirstOrDefault(r => r.Status is not (WriteStatus.Success or WriteStatus.NotFound)) is { } refused)
            {
                return new Applied(WriteResult.Failed(WriteStatus.Rejected, $"deleting an occurrence of the series (EXDATE) failed: {refused.Status} {refused.Reason}", masterId), wrote);
            }
        }

        var updates = new List<(DateTime Original, EwsItemId Id, IReadOnlyList<XElement> Changes)>(writes.Count);
        foreach (var (original, content) in writes)
        {
            if (IdOf(original) is not { } occurrenceId)
            {
                return new Applied(WriteResult.Failed(WriteStatus.Rejected, $"RECURRENCE-ID {Format(original)} is not an occurrence of the series in Exchange", masterId), wrote);
            }

            try
            {
                updates.Add((original, new EwsItemId(occurrenceId), EwsItemChanges.Without(EwsItemChanges.Build(Render(content)), NotForOccurrences)));
            }
            catch (MappingException ex)
            {
                return new Applied(WriteResult.Failed(WriteStatus.Rejected, $"the override of {Format(original)}: {ex.Message}", masterId), wrote);
            }
        }

        foreach (var batch in updates.Chunk(batchLimit))
        {
            var results = await connection.SendAsync(new UpdateOccurrencesOperation([.. batch.Select(u => (u.Id, u.Changes))]), cancellationToken).ConfigureAwait(false);
            wrote = true;
            for (var k = 0; k < batch.Length; k++)
            {
                if (!results[k].IsSuccess)
                {
                    // Gone meanwhile (someone deleted the occurrence or the series): a passing reason, the next run plans again.
                    var status = results[k].Status == WriteStatus.NotFound ? WriteStatus.PreconditionFailed : WriteStatus.Rejected;
                    return new Applied(WriteResult.Failed(status, $"writing the occurrence of {Format(batch[k].Original)} failed: {results[k].Status} {results[k].Reason}", masterId), wrote);
                }
            }
        }

        return new Applied(null, wrote);
    }

    /// <summary>
    /// The not-yet-modified occurrences of the series with <paramref name="uid"/> at the given original starts, from
    /// calendar views of at most <see cref="ViewSpan"/> each. Original starts matched by more than one item are
    /// returned as ambiguous (Exchange allows two series with one UID).
    /// </summary>
    private async Task<(Dictionary<DateTime, string> Found, List<DateTime> Ambiguous)> FindOccurrencesAsync(EwsFolderRef folder, string uid, List<DateTime> originals, CancellationToken cancellationToken)
    {
        var found = new Dictionary<DateTime, string>();
        var ambiguous = new List<DateTime>();
        var i = 0;
        while (i < originals.Count)
        {
            var first = originals[i];
            var group = originals.Skip(i).TakeWhile(o => o - first <= ViewSpan).ToHashSet();
            i += group.Count;

            var complete = await LookUpAsync(group.Min(), group.Max(), group).ConfigureAwait(false);
            if (!complete && group.Count > 1)
            {
                // Exchange cut the view short (a busy calendar): ask for each missing original start on its own.
                foreach (var original in group.Where(o => !found.ContainsKey(o)).ToList())
                {
                    await LookUpAsync(original, original, [original]).ConfigureAwait(false);
                }
            }
        }

        return (found, ambiguous);

        async Task<bool> LookUpAsync(DateTime from, DateTime to, HashSet<DateTime> wanted)
        {
            // A minute either side: an occurrence overlaps the view even when it lasts no time at all.
            var view = await connection.SendAsync(new FindCalendarViewOperation(folder, from.AddMinutes(-1), to.AddMinutes(1)), cancellationToken).ConfigureAwait(false);
            foreach (var entry in view.Entries)
            {
                if (entry.OriginalStartUtc is not { } original || !wanted.Contains(original)
                    || !string.Equals(entry.Uid, uid, StringComparison.Ordinal) || entry.CalendarItemType is not ("Occurrence" or "Exception"))
                {
                    continue;
                }

                if (found.TryGetValue(original, out var known))
                {
                    if (!string.Equals(known, entry.ItemId.Id, StringComparison.Ordinal))
                    {
                        ambiguous.Add(original);
                    }
                }
                else
                {
                    found[original] = entry.ItemId.Id;
                }
            }

            return view.IsComplete;
        }
    }

    /// <summary>
    /// S10: the connector never answers an invitation for the user. The mailbox owner's own attendee entry keeps the
    /// response Exchange holds (on the series and on each occurrence), whatever PARTSTAT the other side says; a
    /// response is the user's act in Outlook or OWA, not a field to synchronise into Exchange.
    /// </summary>
    private CalendarEvent KeepOwnResponses(CalendarEvent ev, CalendarEvent stored)
    {
        if (mailbox is null)
        {
            return ev;
        }

        var zone = SeriesZone(stored);
        var storedOverrides = stored.Overrides.ToDictionary(o => OriginalOf(o.RecurrenceId!.Value, zone));
        var evZone = SeriesZone(ev);
        return Keep(ev, stored) with
        {
            Overrides = [.. ev.Overrides.Select(o => Keep(o, o.RecurrenceId is { } rid && storedOverrides.TryGetValue(OriginalOf(rid, evZone), out var s) ? s : stored))],
        };

        CalendarEvent Keep(CalendarEvent target, CalendarEvent source) => target with
        {
            Attendees = [.. target.Attendees.Select(a =>
                string.Equals(a.Email, mailbox, StringComparison.OrdinalIgnoreCase)
                    && source.Attendees.FirstOrDefault(b => string.Equals(b.Email, a.Email, StringComparison.OrdinalIgnoreCase)) is { } own
                    ? a with { Status = own.Status }
                    : a)],
        };
    }

    /// <summary>The master with its exceptions, or why it cannot be read.</summary>
    private async Task<(Snapshot? Snapshot, WriteResult? Failure)> ReadSeriesAsync(string id, CancellationToken cancellationToken)
    {
        var answer = await connection.SendAsync(new GetItemOperation<EwsItem<CalendarEvent>>([new EwsItemId(id)], r => EwsCalendarItemReader.Read(r, mapping), null, "Best"), cancellationToken).ConfigureAwait(false);
        var master = answer[0];
        switch (master.Status)
        {
            case EwsItemStatus.NotFound:
                return (null, WriteResult.Failed(WriteStatus.NotFound, master.MessageText, id));
            case EwsItemStatus.Failed when master.ResponseCode == "ErrorInvalidIdMalformed":
                return (null, WriteResult.Failed(WriteStatus.NotFound, master.ResponseCode, id));
            case EwsItemStatus.Found:
                break;
            default:
                return (null, WriteResult.Failed(WriteStatus.Rejected, $"the stored series cannot be read: {master.ResponseCode} {master.MessageText}", id));
        }

        var item = master.Item!;
        var exceptionIds = new Dictionary<DateTime, string>();
        var occurrences = new List<CalendarEvent>();
        if (item.ModifiedOccurrenceIds.Count > 0)
        {
            var exceptions = await ReadExceptionsAsync(item.ModifiedOccurrenceIds, cancellationToken).ConfigureAwait(false);
            var zone = SeriesZone(item.Item);
            foreach (var exceptionId in item.ModifiedOccurrenceIds)
            {
                var read = exceptions[exceptionId];
                if (read.Status != EwsItemStatus.Found || read.Item!.Item.RecurrenceId is not { } recurrenceId)
                {
                    return (null, WriteResult.Failed(WriteStatus.PreconditionFailed, $"exception {Shorten(exceptionId)} of the series could not be read: {read.ResponseCode} {read.MessageText}", id));
                }

                exceptionIds[OriginalOf(recurrenceId, zone)] = exceptionId;
                occurrences.Add(read.Item.Item);
            }
        }

        var merged = EwsCalendarItemReader.WithOccurrences(item.Item, occurrences);
        return (new Snapshot(id, item.ChangeKey ?? string.Empty, merged, exceptionIds), null);
    }

    private async Task<Dictionary<string, EwsItemResult<EwsItem<CalendarEvent>>>> ReadExceptionsAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var results = new Dictionary<string, EwsItemResult<EwsItem<CalendarEvent>>>(StringComparer.Ordinal);
        foreach (var batch in ids.Chunk(batchLimit))
        {
            var answer = await connection.SendAsync(new GetItemOperation<EwsItem<CalendarEvent>>([.. batch.Select(i => new EwsItemId(i))], r => EwsCalendarItemReader.Read(r, mapping), null, "Best"), cancellationToken).ConfigureAwait(false);
            foreach (var r in answer)
            {
                results[r.Requested.Id] = r;
            }
        }

        return results;
    }

    /// <summary>The master's ChangeKey after its occurrences were written (they change it, and their answers do not say it).</summary>
    private async Task<WriteResult> FinalVersionAsync(string id, string? version, bool wroteOccurrences, CancellationToken cancellationToken)
    {
        if (!wroteOccurrences)
        {
            return WriteResult.Success(id, version);
        }

        var answer = await connection.SendAsync(new GetItemOperation<string?>([new EwsItemId(id)], EwsItemId.ReadChangeKey, null, null, "IdOnly"), cancellationToken).ConfigureAwait(false);
        return answer[0] switch
        {
            { Status: EwsItemStatus.Found, Item: { } changeKey } => WriteResult.Success(id, changeKey),
            { Status: EwsItemStatus.NotFound } => WriteResult.Failed(WriteStatus.NotFound, "the series was deleted while its occurrences were written", id),

            // Written, but the version is unknown: the engine learns it next run by comparing content.
            _ => WriteResult.Success(id, null),
        };
    }

    /// <summary>Deletes a master whose occurrences could not be written; true when it is gone.</summary>
    private async Task<bool> RollBackAsync(string id)
    {
        try
        {
            // Not the caller's token: a cancelled create must not leave half a series behind either.
            var results = await connection.SendAsync(new DeleteItemOperation([new EwsItemId(id)]), CancellationToken.None).ConfigureAwait(false);
            return results[0].Status is WriteStatus.Success or WriteStatus.NotFound;
        }
        catch (Exception ex) when (ex is StoreException or HttpRequestException or OperationCanceledException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>True when the rendered master carries the same pattern fields as the stored master would.</summary>
    private bool SamePattern(XElement rendered, CalendarEvent stored)
    {
        XElement storedXml;
        try
        {
            storedXml = Render(stored with { Overrides = [], ExcludedDates = [] });
        }
        catch (MappingException)
        {
            return false;
        }

        XNamespace t = EwsXml.Types;
        return PatternElements.All(name => Same(rendered.Element(t + name), storedXml.Element(t + name)));

        static bool Same(XElement? a, XElement? b) => a is null ? b is null : b is not null && XNode.DeepEquals(a, b);
    }

    /// <summary>Whether two occurrences write the same EWS fields (what Exchange would hold after the write).</summary>
    private bool SameOccurrence(CalendarEvent a, CalendarEvent b)
    {
        try
        {
            return XNode.DeepEquals(Render(a), Render(b));
        }
        catch (MappingException)
        {
            return false;
        }
    }

    /// <summary>An override as a standalone event for the writer: the series' UID, no recurrence of its own.</summary>
    private static CalendarEvent AsOccurrence(CalendarEvent series, CalendarEvent o) =>
        o with { Uid = series.Uid, Recurrence = null, ExcludedDates = [], Overrides = [], AdditionalDates = [] };

    /// <summary>The occurrence at <paramref name="original"/> with the series' own values (to reset an exception).</summary>
    private static CalendarEvent PlainOccurrence(CalendarEvent series, CalendarTime recurrenceId, DateTime original)
    {
        CalendarTime start;
        CalendarTime? end;
        if (series.Start is { IsDate: true } seriesStart)
        {
            var days = series.End is { IsDate: true } seriesEnd ? seriesEnd.Date.DayNumber - seriesStart.Date.DayNumber : 1;
            var date = recurrenceId.IsDate ? recurrenceId.Date : DateOnly.FromDateTime(original);
            start = CalendarTime.FromDate(date);
            end = CalendarTime.FromDate(date.AddDays(days));
        }
        else
        {
            var length = series.Start is { } s && series.End is { } e ? EwsCalendarItemReader.InstantOf(e) - EwsCalendarItemReader.InstantOf(s) : TimeSpan.Zero;
            start = CalendarTime.FromUtc(original);
            end = CalendarTime.FromUtc(original + length);
        }

        return series with { RecurrenceId = recurrenceId, Start = start, End = end, Recurrence = null, ExcludedDates = [], Overrides = [], AdditionalDates = [] };
    }

    private XElement Render(CalendarEvent ev)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var w = XmlWriter.Create(text, EwsItemXml.WriterSettings))
        {
            EwsCalendarItemWriter.Write(w, ev, mapping);
        }

        return XElement.Parse(text.ToString());
    }

    /// <summary>The zone the writer puts a series' times in (its DTSTART's, or the mailbox's for dates and floating times).</summary>
    private string SeriesZone(CalendarEvent ev) =>
        ev.Start is { } start ? EwsTime.ToEws(start, mapping.MailboxTimeZone).Zone : mapping.MailboxTimeZone ?? EwsTime.Utc;

    /// <summary>The UTC instant Exchange gives the occurrence a RECURRENCE-ID or EXDATE names (dates: midnight in the series' zone).</summary>
    private static DateTime OriginalOf(CalendarTime time, string zone) =>
        time.IsDate ? EwsTime.ToUtc(time.Date.ToDateTime(TimeOnly.MinValue), zone) : EwsTime.ToEws(time, zone).Utc;

    private static IEnumerable<DateTime> Originals(IEnumerable<CalendarTime> times, string zone) => times.Select(t => OriginalOf(t, zone));

    private static string Format(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Shorten(string id) => id.Length <= 16 ? id : id[..16] + "…";
}

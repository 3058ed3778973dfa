namespace Connector.Sync.Engine;

/// <summary>
/// The explicit decision table: what to do with one item given what each side shows. Pure; every
/// cell is tested under each policy, each followed by a second run that must plan nothing.
/// </summary>
public static class DecisionTable
{
    /// <summary>
    /// The action for one item, or null for nothing. <paramref name="sameContent"/> says whether both
    /// present items hold the same normalised content; <paramref name="newerSide"/> which one was
    /// modified later (for <see cref="ConflictPolicy.NewestWins"/>), null when unknown.
    /// </summary>
    public static SyncAction? Decide(string uid, Observation exchange, Observation nextcloud, bool sameContent, Side? newerSide, SyncOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return (exchange, nextcloud) switch
        {
            (Observation.Unchanged, Observation.Unchanged) => null,

            (Observation.Changed, Observation.Unchanged) => new(SyncActionKind.Update, Side.Nextcloud, uid, "changed in Exchange"),
            (Observation.Unchanged, Observation.Changed) => new(SyncActionKind.Update, Side.Exchange, uid, "changed in Nextcloud"),

            (Observation.Changed, Observation.Changed) when sameContent => new(SyncActionKind.Link, Side.Nextcloud, uid, "same content on both sides"),
            (Observation.Changed, Observation.Changed) => Conflict(uid, newerSide, options),

            (Observation.Deleted, Observation.Unchanged) => new(SyncActionKind.Delete, Side.Nextcloud, uid, "deleted in Exchange"),
            (Observation.Unchanged, Observation.Deleted) => new(SyncActionKind.Delete, Side.Exchange, uid, "deleted in Nextcloud"),

            (Observation.Deleted, Observation.Changed) => options.EditBeatsDelete
                ? new(SyncActionKind.Create, Side.Exchange, uid, "deleted in Exchange but edited in Nextcloud: the edit wins")
                : new(SyncActionKind.Delete, Side.Nextcloud, uid, "deleted in Exchange, edited in Nextcloud: the deletion wins"),
            (Observation.Changed, Observation.Deleted) => options.EditBeatsDelete
                ? new(SyncActionKind.Create, Side.Nextcloud, uid, "deleted in Nextcloud but edited in Exchange: the edit wins")
                : new(SyncActionKind.Delete, Side.Exchange, uid, "deleted in Nextcloud, edited in Exchange: the deletion wins"),

            (Observation.Changed or Observation.Unchanged, Observation.Absent) => new(SyncActionKind.Create, Side.Nextcloud, uid, "only in Exchange"),
            (Observation.Absent, Observation.Changed or Observation.Unchanged) => new(SyncActionKind.Create, Side.Exchange, uid, "only in Nextcloud"),

            (Observation.Deleted or Observation.Absent, Observation.Deleted or Observation.Absent) => new(SyncActionKind.Forget, Side.Nextcloud, uid, "gone on both sides"),

            _ => throw new InvalidOperationException($"no decision for Exchange {exchange}, Nextcloud {nextcloud}"),
        };
    }

    private static SyncAction Conflict(string uid, Side? newerSide, SyncOptions options)
    {
        var winner = options.ConflictPolicy switch
        {
            ConflictPolicy.NextcloudWins => Side.Nextcloud,
            ConflictPolicy.NewestWins => newerSide ?? Side.Exchange,
            _ => Side.Exchange,
        };
        var loser = winner == Side.Exchange ? Side.Nextcloud : Side.Exchange;
        return new SyncAction(SyncActionKind.Update, loser, uid, $"changed on both sides: {winner} wins ({options.ConflictPolicy})");
    }
}

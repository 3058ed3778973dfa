using System.Data;
using System.Data.Common;
using Connector.Sync.State;

namespace Connector.State;

public abstract partial class RelationalStateStore
{
    /// <summary>
    /// One transaction: the tokens (if given; a null side keeps its stored token), then the removals, then the
    /// relation upserts (keyed by pair and UID; every field is replaced). Either all of it is stored or none.
    /// A UID listed twice in <paramref name="upserts"/> is stored once, the last one winning (a paged change
    /// feed can report an item twice, S04); a UID both removed and upserted ends upserted: the upserts are the
    /// batch's final word, as in the engine's in-memory fake.
    /// </summary>
    /// <exception cref="InvalidOperationException">Tokens were given for a pair that does not exist.</exception>
    public async Task CommitAsync(long pairId, IReadOnlyList<ItemRelation> upserts, IReadOnlyList<string> removedUids, PairTokens? tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upserts);
        ArgumentNullException.ThrowIfNull(removedUids);
        var relations = DistinctByUid(pairId, upserts);
        foreach (var uid in removedUids)
        {
            ArgumentNullException.ThrowIfNull(uid, nameof(removedUids));
        }

        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (tokens is not null)
        {
            await using var command = Command(connection, transaction, """
                UPDATE folder_pairs SET
                    exchange_token = COALESCE(@exchange_token, exchange_token),
                    nextcloud_token = COALESCE(@nextcloud_token, nextcloud_token),
                    first_sync_completed = COALESCE(@first_sync_completed, first_sync_completed)
                WHERE pair_id = @pair_id
                """);
            Add(command, "exchange_token", tokens.ExchangeToken, DbType.String);
            Add(command, "nextcloud_token", tokens.NextcloudToken, DbType.String);
            Add(command, "first_sync_completed", tokens.FirstSyncCompleted, DbType.Boolean);
            Add(command, "pair_id", pairId, DbType.Int64);
            if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                throw new InvalidOperationException($"Folder pair {pairId} does not exist; its tokens cannot be saved.");
            }
        }

        if (removedUids.Count > 0)
        {
            await RemoveRelationsAsync(connection, transaction, pairId, removedUids, cancellationToken);
        }

        if (relations.Count > 0)
        {
            await UpsertRelationsAsync(connection, transaction, pairId, relations, cancellationToken);
        }

        // Not cancellable past this point: a commit that reached the server must not be reported as cancelled.
        cancellationToken.ThrowIfCancellationRequested();
        await transaction.CommitAsync(CancellationToken.None);
    }

    private static IReadOnlyList<ItemRelation> DistinctByUid(long pairId, IReadOnlyList<ItemRelation> upserts)
    {
        var lastIndex = new Dictionary<string, int>(upserts.Count, StringComparer.Ordinal);
        for (var i = 0; i < upserts.Count; i++)
        {
            var relation = upserts[i];
            ArgumentNullException.ThrowIfNull(relation, nameof(upserts));
            if (string.IsNullOrEmpty(relation.Uid))
            {
                throw new ArgumentException($"Relation {i} has no UID.", nameof(upserts));
            }

            if (relation.PairId != 0 && relation.PairId != pairId)
            {
                throw new ArgumentException($"Relation '{relation.Uid}' belongs to pair {relation.PairId}, not {pairId}.", nameof(upserts));
            }

            lastIndex[relation.Uid] = i;
        }

        if (lastIndex.Count == upserts.Count)
        {
            return upserts;
        }

        var distinct = new List<ItemRelation>(lastIndex.Count);
        for (var i = 0; i < upserts.Count; i++)
        {
            if (lastIndex[upserts[i].Uid] == i)
            {
                distinct.Add(upserts[i]);
            }
        }

        return distinct;
    }
}

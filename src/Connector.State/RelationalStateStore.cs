using System.Data;
using System.Data.Common;
using Connector.Sync.State;
using Connector.Sync.Stores;

namespace Connector.State;

/// <summary>
/// What the SQLite and PostgreSQL stores share: the SQL both dialects understand (upserts with
/// <c>ON CONFLICT</c>, <c>RETURNING</c>, row values), row mapping, argument checks and the migration runner.
/// Each subclass supplies connections, its time encoding, the migration lock, claiming and the bulk
/// relation writes. All SQL is parameterised.
/// </summary>
/// <remarks>
/// Times are stored in UTC to the microsecond (<see cref="StateTime"/>). Database errors (a foreign key, a
/// unique key, a lost connection) surface as the provider's <see cref="DbException"/>.
/// </remarks>
public abstract partial class RelationalStateStore : IStateStore
{
    private const string UserColumns =
        "user_id, mailbox, sync_mode, enabled, identity_name, due_at, last_success_at, last_attempt_at, last_error, consecutive_failures";

    private const string PairColumns =
        "pair_id, user_id, kind, exchange_collection_id, nextcloud_collection_id, exchange_token, nextcloud_token, first_sync_completed, state, state_reason";

    private const string RelationColumns =
        "pair_id, uid, exchange_id, exchange_version, nextcloud_id, nextcloud_version, content_hash, last_error, error_exchange_version, error_nextcloud_version, updated_at";

    private protected RelationalStateStore(StateStoreOptions? options)
    {
        Options = StateStoreOptions.Validated(options);
    }

    private protected StateStoreOptions Options { get; }

    /// <summary>The folder under <c>Migrations/</c> that holds this provider's scripts.</summary>
    private protected abstract string Provider { get; }

    /// <summary>The <c>schema_version</c> table in this dialect (created by the migration runner itself).</summary>
    private protected abstract string SchemaVersionTableSql { get; }

    /// <summary>An open connection, ready to use (pragmas applied).</summary>
    private protected abstract ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Binds a time (or null) in this provider's encoding.</summary>
    private protected abstract void AddTime(DbCommand command, string name, DateTimeOffset? value);

    private protected abstract DateTimeOffset ReadTime(DbDataReader reader, int ordinal);

    /// <summary>
    /// Runs inside the migration transaction before anything is read: serialises migrations across
    /// processes (PostgreSQL: an advisory lock; SQLite: the transaction is already <c>BEGIN IMMEDIATE</c>).
    /// </summary>
    private protected abstract Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>Runs before the migration transaction starts (SQLite: switch the file to WAL).</summary>
    private protected virtual Task PrepareForMigrationAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Inserts or replaces (keyed by pair and UID) <paramref name="relations"/>, whose UIDs are distinct.</summary>
    private protected abstract Task UpsertRelationsAsync(DbConnection connection, DbTransaction transaction, long pairId, IReadOnlyList<ItemRelation> relations, CancellationToken cancellationToken);

    private protected abstract Task RemoveRelationsAsync(DbConnection connection, DbTransaction transaction, long pairId, IReadOnlyList<string> uids, CancellationToken cancellationToken);

    /// <summary>
    /// The claim statement: leases up to <c>@max</c> enabled users due at <c>@now</c> whose lease is free or
    /// expired (<c>lease_expires_at &lt;= @now</c>), earliest due first, to <c>@lease_owner</c> until
    /// <c>@lease_expires_at</c>, returning <see cref="UserColumns"/> (see <see cref="ClaimReturning"/>).
    /// </summary>
    private protected abstract string ClaimSql { get; }

    public abstract ValueTask DisposeAsync();

    /// <summary>
    /// Applies, in one transaction, every script of this provider that <c>schema_version</c> does not list yet.
    /// Safe to run twice and from several processes at once: the second waits for the first's lock and then
    /// finds nothing to do. Refuses to run against a schema newer than this code knows.
    /// </summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var scripts = MigrationScripts.For(Provider);
        await using var connection = await OpenAsync(cancellationToken);
        await PrepareForMigrationAsync(connection, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockForMigrationAsync(connection, transaction, cancellationToken);
        await ExecuteAsync(connection, transaction, SchemaVersionTableSql, cancellationToken);

        var applied = new HashSet<int>();
        await using (var command = Command(connection, transaction, "SELECT version FROM schema_version"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetInt32(0));
            }
        }

        var newest = applied.Count == 0 ? 0 : applied.Max();
        if (newest > scripts.Count)
        {
            throw new InvalidOperationException(
                $"The state database has schema version {newest}, newer than this connector knows ({scripts.Count}). "
                + "A newer connector version migrated it; run that version (or newer) against it.");
        }

        foreach (var script in scripts.Where(s => !applied.Contains(s.Version)))
        {
            await ExecuteAsync(connection, transaction, script.Sql, cancellationToken);
            await using var record = Command(connection, transaction,
                "INSERT INTO schema_version (version, name, applied_at) VALUES (@version, @name, @applied_at)");
            Add(record, "version", script.Version, DbType.Int32);
            Add(record, "name", script.Name, DbType.String);
            AddTime(record, "applied_at", TimeProvider.System.GetUtcNow());
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Inserts the user or overwrites every field of <see cref="UserRecord"/> (due time and outcome included);
    /// a lease the user is under is left as it is.
    /// </summary>
    public async Task UpsertUserAsync(UserRecord user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentException.ThrowIfNullOrEmpty(user.UserId, nameof(user));
        ArgumentNullException.ThrowIfNull(user.Mailbox, nameof(user));
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, $"""
            INSERT INTO users ({UserColumns})
            VALUES (@user_id, @mailbox, @sync_mode, @enabled, @identity_name, @due_at, @last_success_at, @last_attempt_at, @last_error, @consecutive_failures)
            ON CONFLICT (user_id) DO UPDATE SET
                mailbox = excluded.mailbox, sync_mode = excluded.sync_mode, enabled = excluded.enabled,
                identity_name = excluded.identity_name, due_at = excluded.due_at, last_success_at = excluded.last_success_at,
                last_attempt_at = excluded.last_attempt_at, last_error = excluded.last_error,
                consecutive_failures = excluded.consecutive_failures
            """);
        Add(command, "user_id", user.UserId, DbType.String);
        Add(command, "mailbox", user.Mailbox, DbType.String);
        Add(command, "sync_mode", (int)user.SyncMode, DbType.Int32);
        Add(command, "enabled", user.Enabled, DbType.Boolean);
        Add(command, "identity_name", user.IdentityName, DbType.String);
        AddOutcome(command, user);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<UserRecord?> GetUserAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, $"SELECT {UserColumns} FROM users WHERE user_id = @user_id");
        Add(command, "user_id", userId, DbType.String);
        var users = await ReadUsersAsync(command, cancellationToken);
        return users.Count == 0 ? null : users[0];
    }

    /// <summary>Every user, by user id.</summary>
    public async Task<IReadOnlyList<UserRecord>> ListUsersAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, $"SELECT {UserColumns} FROM users ORDER BY user_id");
        return await ReadUsersAsync(command, cancellationToken);
    }

    /// <summary>
    /// Leases, in one transaction, up to <paramref name="max"/> enabled users due at <paramref name="now"/>
    /// whose lease is free or expired, to <paramref name="workerId"/> until <paramref name="now"/> +
    /// <paramref name="leaseDuration"/>; returns them by due time. A user this worker already holds is not
    /// returned again. How concurrent claims are kept apart is the provider's (see <see cref="ClaimSql"/>).
    /// </summary>
    public async Task<IReadOnlyList<UserRecord>> ClaimDueUsersAsync(string workerId, DateTimeOffset now, TimeSpan leaseDuration, int max, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(workerId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseDuration, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        if (max == 0)
        {
            return [];
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = Command(connection, transaction, ClaimSql);
        Add(command, "lease_owner", workerId, DbType.String);
        AddTime(command, "now", now);
        AddTime(command, "lease_expires_at", StateTime.Add(now, leaseDuration));
        Add(command, "max", max, DbType.Int32);
        var users = await ReadUsersAsync(command, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        users.Sort((a, b) => a.DueAt != b.DueAt ? a.DueAt.CompareTo(b.DueAt) : string.CompareOrdinal(a.UserId, b.UserId));
        return users;
    }

    /// <summary>
    /// Moves the lease's expiry to <paramref name="now"/> + <paramref name="leaseDuration"/> if
    /// <paramref name="workerId"/> still owns it. A lease that expired but was not taken over by anyone is
    /// still this worker's (no one else can have worked on the user), so renewing it succeeds.
    /// </summary>
    public async Task<bool> RenewLeaseAsync(string userId, string workerId, DateTimeOffset now, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentException.ThrowIfNullOrEmpty(workerId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseDuration, TimeSpan.Zero);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null,
            "UPDATE users SET lease_expires_at = @lease_expires_at WHERE user_id = @user_id AND lease_owner = @lease_owner");
        AddTime(command, "lease_expires_at", StateTime.Add(now, leaseDuration));
        Add(command, "user_id", userId, DbType.String);
        Add(command, "lease_owner", workerId, DbType.String);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// Frees the lease and writes the run's outcome: <see cref="UserRecord.DueAt"/>, <see cref="UserRecord.LastSuccessAt"/>,
    /// <see cref="UserRecord.LastAttemptAt"/>, <see cref="UserRecord.LastError"/> and
    /// <see cref="UserRecord.ConsecutiveFailures"/> (the other fields are the user source's, see
    /// <see cref="UpsertUserAsync"/>). When <paramref name="workerId"/> no longer owns the lease nothing is
    /// written: the worker that took the user over records its own outcome.
    /// </summary>
    public async Task ReleaseLeaseAsync(string workerId, UserRecord outcome, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(workerId);
        ArgumentNullException.ThrowIfNull(outcome);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, """
            UPDATE users SET lease_owner = NULL, lease_expires_at = NULL,
                due_at = @due_at, last_success_at = @last_success_at, last_attempt_at = @last_attempt_at,
                last_error = @last_error, consecutive_failures = @consecutive_failures
            WHERE user_id = @user_id AND lease_owner = @lease_owner
            """);
        AddOutcome(command, outcome);
        Add(command, "user_id", outcome.UserId, DbType.String);
        Add(command, "lease_owner", workerId, DbType.String);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The user's pairs, by pair id.</summary>
    public async Task<IReadOnlyList<FolderPair>> GetPairsAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, $"SELECT {PairColumns} FROM folder_pairs WHERE user_id = @user_id ORDER BY pair_id");
        Add(command, "user_id", userId, DbType.String);
        var pairs = new List<FolderPair>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            pairs.Add(ReadPair(reader));
        }

        return pairs;
    }

    /// <summary>
    /// Writes every field of the pair, tokens included. <see cref="FolderPair.PairId"/> 0 inserts; since
    /// (user, Exchange collection, Nextcloud collection) is unique, inserting a pairing that is already stored
    /// overwrites that row and returns its id, so a pairing saved twice stays one pair. Another id updates
    /// that pair, which must exist and belong to <see cref="FolderPair.UserId"/>.
    /// </summary>
    public async Task<FolderPair> SavePairAsync(FolderPair pair, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pair);
        ArgumentException.ThrowIfNullOrEmpty(pair.UserId, nameof(pair));
        ArgumentNullException.ThrowIfNull(pair.ExchangeCollectionId, nameof(pair));
        ArgumentNullException.ThrowIfNull(pair.NextcloudCollectionId, nameof(pair));
        ArgumentOutOfRangeException.ThrowIfNegative(pair.PairId, nameof(pair));
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, pair.PairId == 0
            ? $"""
              INSERT INTO folder_pairs (user_id, kind, exchange_collection_id, nextcloud_collection_id, exchange_token, nextcloud_token, first_sync_completed, state, state_reason)
              VALUES (@user_id, @kind, @exchange_collection_id, @nextcloud_collection_id, @exchange_token, @nextcloud_token, @first_sync_completed, @state, @state_reason)
              ON CONFLICT (user_id, exchange_collection_id, nextcloud_collection_id) DO UPDATE SET
                  kind = excluded.kind, exchange_token = excluded.exchange_token, nextcloud_token = excluded.nextcloud_token,
                  first_sync_completed = excluded.first_sync_completed, state = excluded.state, state_reason = excluded.state_reason
              RETURNING {PairColumns}
              """
            : $"""
              UPDATE folder_pairs SET kind = @kind, exchange_collection_id = @exchange_collection_id,
                  nextcloud_collection_id = @nextcloud_collection_id, exchange_token = @exchange_token,
                  nextcloud_token = @nextcloud_token, first_sync_completed = @first_sync_completed,
                  state = @state, state_reason = @state_reason
              WHERE pair_id = @pair_id AND user_id = @user_id
              RETURNING {PairColumns}
              """);
        Add(command, "pair_id", pair.PairId, DbType.Int64);
        Add(command, "user_id", pair.UserId, DbType.String);
        Add(command, "kind", (int)pair.Kind, DbType.Int32);
        Add(command, "exchange_collection_id", pair.ExchangeCollectionId, DbType.String);
        Add(command, "nextcloud_collection_id", pair.NextcloudCollectionId, DbType.String);
        Add(command, "exchange_token", pair.ExchangeToken, DbType.String);
        Add(command, "nextcloud_token", pair.NextcloudToken, DbType.String);
        Add(command, "first_sync_completed", pair.FirstSyncCompleted, DbType.Boolean);
        Add(command, "state", pair.State.ToString(), DbType.String);
        Add(command, "state_reason", pair.StateReason, DbType.String);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? ReadPair(reader)
            : throw new InvalidOperationException($"Folder pair {pair.PairId} of user '{pair.UserId}' does not exist.");
    }

    /// <summary>The pair's relations, by UID.</summary>
    public async Task<IReadOnlyList<ItemRelation>> GetRelationsAsync(long pairId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, $"SELECT {RelationColumns} FROM item_relations WHERE pair_id = @pair_id ORDER BY uid");
        Add(command, "pair_id", pairId, DbType.Int64);
        var relations = new List<ItemRelation>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            relations.Add(ReadRelation(reader));
        }

        return relations;
    }

    /// <summary>Appends a line and deletes the user's lines beyond <see cref="StateStoreOptions.LogLinesPerUser"/>, oldest first.</summary>
    public async Task AppendLogAsync(SyncLogEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(entry.UserId, nameof(entry));
        ArgumentNullException.ThrowIfNull(entry.Level, nameof(entry));
        ArgumentNullException.ThrowIfNull(entry.Message, nameof(entry));
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = Command(connection, transaction, "INSERT INTO sync_log (user_id, at, level, message) VALUES (@user_id, @at, @level, @message)"))
        {
            Add(insert, "user_id", entry.UserId, DbType.String);
            AddTime(insert, "at", entry.At);
            Add(insert, "level", entry.Level, DbType.String);
            Add(insert, "message", entry.Message, DbType.String);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        // The newest LogLinesPerUser lines stay; the subquery finds the newest line to delete (none: NULL, nothing goes).
        await using (var prune = Command(connection, transaction, """
            DELETE FROM sync_log WHERE user_id = @user_id AND (at, log_id) <= (
                SELECT at, log_id FROM sync_log WHERE user_id = @user_id ORDER BY at DESC, log_id DESC LIMIT 1 OFFSET @keep)
            """))
        {
            Add(prune, "user_id", entry.UserId, DbType.String);
            Add(prune, "keep", Options.LogLinesPerUser, DbType.Int32);
            await prune.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<SyncLogEntry>> GetLogAsync(string userId, int max, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null,
            "SELECT user_id, at, level, message FROM sync_log WHERE user_id = @user_id ORDER BY at DESC, log_id DESC LIMIT @max");
        Add(command, "user_id", userId, DbType.String);
        Add(command, "max", max, DbType.Int32);
        var entries = new List<SyncLogEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new SyncLogEntry(reader.GetString(0), ReadTime(reader, 1), reader.GetString(2), reader.GetString(3)));
        }

        return entries;
    }

    /// <summary>Deletes the user's pairs with their tokens and relations, in one transaction; the user, its lease and its log stay.</summary>
    public async Task ResetUserAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var relations = Command(connection, transaction,
            "DELETE FROM item_relations WHERE pair_id IN (SELECT pair_id FROM folder_pairs WHERE user_id = @user_id)"))
        {
            Add(relations, "user_id", userId, DbType.String);
            await relations.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var pairs = Command(connection, transaction, "DELETE FROM folder_pairs WHERE user_id = @user_id"))
        {
            Add(pairs, "user_id", userId, DbType.String);
            await pairs.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private protected static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // The SQL is constant text; values always travel as parameters.
        command.CommandText = sql;
#pragma warning restore CA2100
        return command;
    }

    private protected static DbParameter Add(DbCommand command, string name, object? value, DbType type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    private protected static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Reads rows of <see cref="UserColumns"/>, in the order the command returns them.</summary>
    private async Task<List<UserRecord>> ReadUsersAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var users = new List<UserRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            users.Add(new UserRecord
            {
                UserId = reader.GetString(0),
                Mailbox = reader.GetString(1),
                SyncMode = (ItemKind)reader.GetInt32(2),
                Enabled = reader.GetBoolean(3),
                IdentityName = NullableString(reader, 4),
                DueAt = ReadTime(reader, 5),
                LastSuccessAt = NullableTime(reader, 6),
                LastAttemptAt = NullableTime(reader, 7),
                LastError = NullableString(reader, 8),
                ConsecutiveFailures = reader.GetInt32(9),
            });
        }

        return users;
    }

    /// <summary>The columns a claim returns (<see cref="UserColumns"/>), for a <c>RETURNING</c> clause.</summary>
    private protected static string ClaimReturning => UserColumns;

    private void AddOutcome(DbCommand command, UserRecord user)
    {
        AddTime(command, "due_at", user.DueAt);
        AddTime(command, "last_success_at", user.LastSuccessAt);
        AddTime(command, "last_attempt_at", user.LastAttemptAt);
        Add(command, "last_error", user.LastError, DbType.String);
        Add(command, "consecutive_failures", user.ConsecutiveFailures, DbType.Int32);
    }

    private static FolderPair ReadPair(DbDataReader reader) => new()
    {
        PairId = reader.GetInt64(0),
        UserId = reader.GetString(1),
        Kind = (ItemKind)reader.GetInt32(2),
        ExchangeCollectionId = reader.GetString(3),
        NextcloudCollectionId = reader.GetString(4),
        ExchangeToken = NullableString(reader, 5),
        NextcloudToken = NullableString(reader, 6),
        FirstSyncCompleted = reader.GetBoolean(7),
        State = Enum.Parse<PairState>(reader.GetString(8)),
        StateReason = NullableString(reader, 9),
    };

    private ItemRelation ReadRelation(DbDataReader reader) => new()
    {
        PairId = reader.GetInt64(0),
        Uid = reader.GetString(1),
        ExchangeId = NullableString(reader, 2),
        ExchangeVersion = NullableString(reader, 3),
        NextcloudId = NullableString(reader, 4),
        NextcloudVersion = NullableString(reader, 5),
        ContentHash = NullableString(reader, 6),
        LastError = NullableString(reader, 7),
        ErrorExchangeVersion = NullableString(reader, 8),
        ErrorNextcloudVersion = NullableString(reader, 9),
        UpdatedAt = ReadTime(reader, 10),
    };

    private static string? NullableString(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private DateTimeOffset? NullableTime(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : ReadTime(reader, ordinal);
}

using System.Data;
using System.Data.Common;
using Connector.Sync.State;
using Microsoft.Data.Sqlite;

namespace Connector.State;

/// <summary>
/// The embedded state store: one SQLite file, used by one worker process (leases still work between the
/// tasks of that process). WAL journal, foreign keys on, a busy timeout so that concurrent writers in the
/// process wait for each other instead of failing; every write transaction is <c>BEGIN IMMEDIATE</c>.
/// </summary>
/// <remarks>
/// <c>synchronous=NORMAL</c>: in WAL mode a power cut can lose the last committed transactions but never
/// corrupts the file or splits a transaction, so at worst the last batches and their tokens are lost
/// together and the next run repeats them (S05, S15). A process crash loses nothing committed.
/// </remarks>
public sealed class SqliteStateStore : RelationalStateStore
{
    /// <summary>How long a statement waits for another connection's write lock before failing.</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(30);

    private readonly string _connectionString;
    private readonly string _pragmas;

    /// <summary>A store on the SQLite file <paramref name="databasePath"/> (created by <see cref="RelationalStateStore.MigrateAsync"/> if missing).</summary>
    public SqliteStateStore(string databasePath, StateStoreOptions? options = null, TimeSpan? busyTimeout = null)
        : base(options)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        var timeout = busyTimeout ?? DefaultBusyTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero, nameof(busyTimeout));
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = (int)Math.Ceiling(timeout.TotalSeconds),
        }.ToString();
        // Per connection: pooled connections keep them, a new one needs them (cheap either way).
        _pragmas = $"PRAGMA busy_timeout = {(long)timeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL;";
    }

    private protected override string Provider => "Sqlite";

    private protected override string SchemaVersionTableSql => """
        CREATE TABLE IF NOT EXISTS schema_version (
            version    INTEGER NOT NULL PRIMARY KEY,
            name       TEXT    NOT NULL,
            applied_at TEXT    NOT NULL
        ) STRICT
        """;

    /// <summary>
    /// One <c>UPDATE … RETURNING</c>; the transaction around it is <c>BEGIN IMMEDIATE</c> and SQLite has one
    /// writer at a time, so no other claim can interleave.
    /// </summary>
    private protected override string ClaimSql { get; } = $"""
        UPDATE users SET lease_owner = @lease_owner, lease_expires_at = @lease_expires_at
        WHERE user_id IN (
            SELECT user_id FROM users
            WHERE enabled = 1 AND due_at <= @now AND (lease_owner IS NULL OR lease_expires_at <= @now)
            ORDER BY due_at, user_id
            LIMIT @max)
        RETURNING {ClaimReturning}
        """;

    public override ValueTask DisposeAsync()
    {
        // Closes the pooled connections to this file, so that it can be moved or deleted.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }

    private protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await ExecuteAsync(connection, null, _pragmas, cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private protected override void AddTime(DbCommand command, string name, DateTimeOffset? value) =>
        Add(command, name, value is { } time ? StateTime.ToSqlite(time) : null, DbType.String);

    private protected override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) =>
        StateTime.FromSqlite(reader.GetString(ordinal));

    private protected override async Task PrepareForMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // Persistent in the file; cannot change inside a transaction.
        await ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL", cancellationToken);
    }

    private protected override Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        Task.CompletedTask; // BeginTransaction is BEGIN IMMEDIATE: the write lock is already held.

    /// <summary>One prepared statement, re-bound per row: SQLite runs in-process, so there is no round trip to save.</summary>
    private protected override async Task UpsertRelationsAsync(DbConnection connection, DbTransaction transaction, long pairId, IReadOnlyList<ItemRelation> relations, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, """
            INSERT INTO item_relations (pair_id, uid, exchange_id, exchange_version, nextcloud_id, nextcloud_version,
                content_hash, last_error, error_exchange_version, error_nextcloud_version, updated_at)
            VALUES (@pair_id, @uid, @exchange_id, @exchange_version, @nextcloud_id, @nextcloud_version,
                @content_hash, @last_error, @error_exchange_version, @error_nextcloud_version, @updated_at)
            ON CONFLICT (pair_id, uid) DO UPDATE SET
                exchange_id = excluded.exchange_id, exchange_version = excluded.exchange_version,
                nextcloud_id = excluded.nextcloud_id, nextcloud_version = excluded.nextcloud_version,
                content_hash = excluded.content_hash, last_error = excluded.last_error,
                error_exchange_version = excluded.error_exchange_version,
                error_nextcloud_version = excluded.error_nextcloud_version, updated_at = excluded.updated_at
            """);
        Add(command, "pair_id", pairId, DbType.Int64);
        var uid = Add(command, "uid", null, DbType.String);
        var exchangeId = Add(command, "exchange_id", null, DbType.String);
        var exchangeVersion = Add(command, "exchange_version", null, DbType.String);
        var nextcloudId = Add(command, "nextcloud_id", null, DbType.String);
        var nextcloudVersion = Add(command, "nextcloud_version", null, DbType.String);
        var contentHash = Add(command, "content_hash", null, DbType.String);
        var lastError = Add(command, "last_error", null, DbType.String);
        var errorExchangeVersion = Add(command, "error_exchange_version", null, DbType.String);
        var errorNextcloudVersion = Add(command, "error_nextcloud_version", null, DbType.String);
        var updatedAt = Add(command, "updated_at", null, DbType.String);
        await command.PrepareAsync(cancellationToken);
        foreach (var relation in relations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            uid.Value = relation.Uid;
            exchangeId.Value = (object?)relation.ExchangeId ?? DBNull.Value;
            exchangeVersion.Value = (object?)relation.ExchangeVersion ?? DBNull.Value;
            nextcloudId.Value = (object?)relation.NextcloudId ?? DBNull.Value;
            nextcloudVersion.Value = (object?)relation.NextcloudVersion ?? DBNull.Value;
            contentHash.Value = (object?)relation.ContentHash ?? DBNull.Value;
            lastError.Value = (object?)relation.LastError ?? DBNull.Value;
            errorExchangeVersion.Value = (object?)relation.ErrorExchangeVersion ?? DBNull.Value;
            errorNextcloudVersion.Value = (object?)relation.ErrorNextcloudVersion ?? DBNull.Value;
            updatedAt.Value = StateTime.ToSqlite(relation.UpdatedAt);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private protected override async Task RemoveRelationsAsync(DbConnection connection, DbTransaction transaction, long pairId, IReadOnlyList<string> uids, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "DELETE FROM item_relations WHERE pair_id = @pair_id AND uid = @uid");
        Add(command, "pair_id", pairId, DbType.Int64);
        var uid = Add(command, "uid", null, DbType.String);
        await command.PrepareAsync(cancellationToken);
        foreach (var value in uids)
        {
            cancellationToken.ThrowIfCancellationRequested();
            uid.Value = value;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}

using System.Data;
using System.Data.Common;
using Connector.Sync.State;
using Npgsql;
using NpgsqlTypes;

namespace Connector.State;

/// <summary>
/// The state store for several worker replicas sharing one PostgreSQL database. Tables live in the first
/// schema of the connection's search path (<c>Search Path=connector</c> to keep them apart). Claims use
/// <c>FOR UPDATE SKIP LOCKED</c>, so replicas claiming at the same moment never block on or take each other's
/// users; migrations take an advisory lock, so replicas starting together migrate once.
/// </summary>
/// <remarks>
/// Leases compare the <c>now</c> each replica passes in: replicas need synchronised clocks (NTP), and a lease
/// should be much longer than their possible skew.
/// </remarks>
public sealed class PostgresStateStore : RelationalStateStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;

    /// <summary>A store on <paramref name="dataSource"/>, which the caller keeps and disposes.</summary>
    public PostgresStateStore(NpgsqlDataSource dataSource, StateStoreOptions? options = null)
        : this(dataSource, ownsDataSource: false, options)
    {
    }

    /// <summary>A store with its own data source (connection pool) for <paramref name="connectionString"/>, disposed with the store.</summary>
    public PostgresStateStore(string connectionString, StateStoreOptions? options = null)
        : this(NpgsqlDataSource.Create(connectionString), ownsDataSource: true, options)
    {
    }

    private PostgresStateStore(NpgsqlDataSource dataSource, bool ownsDataSource, StateStoreOptions? options)
        : base(options)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
    }

    private protected override string Provider => "Postgres";

    private protected override string SchemaVersionTableSql => """
        CREATE TABLE IF NOT EXISTS schema_version (
            version    integer     NOT NULL PRIMARY KEY,
            name       text        NOT NULL,
            applied_at timestamptz NOT NULL
        )
        """;

    /// <summary>
    /// One statement: the CTE locks up to <c>@max</c> due, enabled, unleased (or expired) users by due time,
    /// skipping rows another claim has locked, and the UPDATE leases them. A row another replica leased and
    /// committed after this statement's snapshot is re-checked against the WHERE clause under the row lock
    /// (READ COMMITTED re-evaluation) and dropped, so two replicas never get the same user.
    /// </summary>
    private protected override string ClaimSql { get; } = $"""
        WITH due AS (
            SELECT user_id FROM users
            WHERE enabled AND due_at <= @now AND (lease_owner IS NULL OR lease_expires_at <= @now)
            ORDER BY due_at, user_id
            LIMIT @max
            FOR UPDATE SKIP LOCKED)
        UPDATE users SET lease_owner = @lease_owner, lease_expires_at = @lease_expires_at
        FROM due WHERE users.user_id = due.user_id
        RETURNING {string.Join(", ", ClaimReturning.Split(", ").Select(column => "users." + column))}
        """;

    public override async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync();
        }
    }

    private protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    private protected override void AddTime(DbCommand command, string name, DateTimeOffset? value) =>
        Add(command, name, value is { } time ? StateTime.Normalize(time) : null, DbType.DateTimeOffset);

    private protected override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) =>
        reader.GetFieldValue<DateTimeOffset>(ordinal);

    private protected override async Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        // One lock per schema, held until the transaction ends: concurrent CREATE TABLE IF NOT EXISTS is not
        // safe in PostgreSQL (two sessions can both decide to create), so migrations must not overlap.
        await ExecuteAsync(connection, transaction,
            "SELECT pg_advisory_xact_lock(hashtextextended('connector.state.migrate:' || current_schema(), 0))", cancellationToken);
    }

    /// <summary>
    /// One multi-row statement: the batch travels as one array per column and <c>unnest</c> turns it back into
    /// rows, so a batch costs one round trip and one statement however many rows it has.
    /// </summary>
    private protected override async Task UpsertRelationsAsync(DbConnection connection, DbTransaction transaction, long pairId, IReadOnlyList<ItemRelation> relations, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, """
            INSERT INTO item_relations (pair_id, uid, exchange_id, exchange_version, nextcloud_id, nextcloud_version,
                content_hash, last_error, error_exchange_version, error_nextcloud_version, updated_at)
            SELECT @pair_id, r.* FROM unnest(@uid, @exchange_id, @exchange_version, @nextcloud_id, @nextcloud_version,
                @content_hash, @last_error, @error_exchange_version, @error_nextcloud_version, @updated_at) AS r
            ON CONFLICT (pair_id, uid) DO UPDATE SET
                exchange_id = excluded.exchange_id, exchange_version = excluded.exchange_version,
                nextcloud_id = excluded.nextcloud_id, nextcloud_version = excluded.nextcloud_version,
                content_hash = excluded.content_hash, last_error = excluded.last_error,
                error_exchange_version = excluded.error_exchange_version,
                error_nextcloud_version = excluded.error_nextcloud_version, updated_at = excluded.updated_at
            """);
        Add(command, "pair_id", pairId, DbType.Int64);
        AddTextArray(command, "uid", relations, r => r.Uid);
        AddTextArray(command, "exchange_id", relations, r => r.ExchangeId);
        AddTextArray(command, "exchange_version", relations, r => r.ExchangeVersion);
        AddTextArray(command, "nextcloud_id", relations, r => r.NextcloudId);
        AddTextArray(command, "nextcloud_version", relations, r => r.NextcloudVersion);
        AddTextArray(command, "content_hash", relations, r => r.ContentHash);
        AddTextArray(command, "last_error", relations, r => r.LastError);
        AddTextArray(command, "error_exchange_version", relations, r => r.ErrorExchangeVersion);
        AddTextArray(command, "error_nextcloud_version", relations, r => r.ErrorNextcloudVersion);
        var updatedAt = new DateTimeOffset[relations.Count];
        for (var i = 0; i < updatedAt.Length; i++)
        {
            updatedAt[i] = StateTime.Normalize(relations[i].UpdatedAt);
        }

        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("updated_at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = updatedAt });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private protected override async Task RemoveRelationsAsync(DbConnection connection, DbTransaction transaction, long pairId, IReadOnlyList<string> uids, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "DELETE FROM item_relations WHERE pair_id = @pair_id AND uid = ANY(@uids)");
        Add(command, "pair_id", pairId, DbType.Int64);
        command.Parameters.Add(new NpgsqlParameter<string[]>("uids", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. uids] });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddTextArray(DbCommand command, string name, IReadOnlyList<ItemRelation> relations, Func<ItemRelation, string?> column)
    {
        var values = new string?[relations.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = column(relations[i]);
        }

        command.Parameters.Add(new NpgsqlParameter<string?[]>(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = values });
    }
}

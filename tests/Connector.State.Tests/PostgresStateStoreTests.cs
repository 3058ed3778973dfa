using Connector.Testing;
using Npgsql;

namespace Connector.State.Tests;

/// <summary>What only the PostgreSQL store does: schema placement, schema version, a data source the caller owns.</summary>
public sealed class PostgresStateStoreTests
{
    [ServerFact(TestServer.Postgres)]
    public async Task MigrateAsync_CreatesTablesInTheSearchPathSchema_WithSchemaVersion1()
    {
        await using var schema = await PostgresTestSchema.CreateAsync(CancellationToken.None);
        await using (var store = new PostgresStateStore(schema.ConnectionString))
        {
            await store.MigrateAsync(CancellationToken.None);
        }

        await using var db = NpgsqlDataSource.Create(schema.ConnectionString);
        Assert.Equal(1, await Scalar<int>(db, "SELECT max(version) FROM schema_version"));
        Assert.Equal(5L, await Scalar<long>(db, $"SELECT count(*) FROM information_schema.tables WHERE table_schema = '{schema.Name}'"));
        Assert.Equal(0L, await Scalar<long>(db, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'item_relations'"));
        // S22: tokens and versions are unbounded text (six columns).
        Assert.Equal(6L, await Scalar<long>(db, $"SELECT count(*) FROM information_schema.columns WHERE table_schema = '{schema.Name}' AND table_name IN ('folder_pairs', 'item_relations') AND (column_name LIKE '%token' OR column_name LIKE '%version') AND data_type = 'text'"));
        Assert.Equal(0L, await Scalar<long>(db, $"SELECT count(*) FROM information_schema.columns WHERE table_schema = '{schema.Name}' AND table_name IN ('folder_pairs', 'item_relations') AND (column_name LIKE '%token' OR column_name LIKE '%version') AND data_type <> 'text'"));
    }

    [ServerFact(TestServer.Postgres)]
    public async Task MigrateAsync_SchemaNewerThanTheCode_IsRefused()
    {
        await using var schema = await PostgresTestSchema.CreateAsync(CancellationToken.None);
        await using var store = new PostgresStateStore(schema.ConnectionString);
        await store.MigrateAsync(CancellationToken.None);
        await schema.ExecuteInSchemaAsync("INSERT INTO schema_version (version, name, applied_at) VALUES (99, '0099_future', now())", CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.MigrateAsync(CancellationToken.None));
        Assert.Contains("schema version 99", error.Message);
    }

    [ServerFact(TestServer.Postgres)]
    public async Task Dispose_WithTheCallersDataSource_LeavesItOpen()
    {
        await using var schema = await PostgresTestSchema.CreateAsync(CancellationToken.None);
        await using var db = NpgsqlDataSource.Create(schema.ConnectionString);
        await using (var store = new PostgresStateStore(db))
        {
            await store.MigrateAsync(CancellationToken.None);
        }

        Assert.Equal(1, await Scalar<int>(db, "SELECT 1"));
    }

    private static async Task<T> Scalar<T>(NpgsqlDataSource db, string sql)
    {
        await using var command = db.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}

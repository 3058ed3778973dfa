using Microsoft.Data.Sqlite;

namespace Connector.State.Tests;

/// <summary>What only the SQLite store does: the file's settings and its schema version.</summary>
public sealed class SqliteStateStoreTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("connector-state-").FullName;

    private string DatabasePath => Path.Combine(_folder, "state.db");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task MigrateAsync_NewFile_IsWalWithForeignKeysAndSchemaVersion1()
    {
        await using (var store = new SqliteStateStore(DatabasePath))
        {
            await store.MigrateAsync(CancellationToken.None);
        }

        await using var connection = Open();
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode"));
        Assert.Equal(1L, Scalar(connection, "SELECT max(version) FROM schema_version"));
        Assert.Equal("0001_initial", Scalar(connection, "SELECT name FROM schema_version WHERE version = 1"));
        Assert.Equal(4L, Scalar(connection, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('users', 'folder_pairs', 'item_relations', 'sync_log')"));
    }

    [Fact]
    public async Task MigrateAsync_SchemaNewerThanTheCode_IsRefused()
    {
        await using var store = new SqliteStateStore(DatabasePath);
        await store.MigrateAsync(CancellationToken.None);
        await using (var connection = Open())
        {
            Scalar(connection, "INSERT INTO schema_version (version, name, applied_at) VALUES (99, '0099_future', '2030-01-01T00:00:00.000000Z')");
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.MigrateAsync(CancellationToken.None));
        Assert.Contains("schema version 99", error.Message);
    }

    [Fact]
    public async Task Times_AreFixedWidthUtcText()
    {
        await using var store = new SqliteStateStore(DatabasePath);
        await store.MigrateAsync(CancellationToken.None);
        await store.UpsertUserAsync(new() { UserId = "alice", Mailbox = "a@example.org", DueAt = new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.FromHours(1)) }, CancellationToken.None);

        await using var connection = Open();
        Assert.Equal("2025-03-01T08:00:00.000000Z", Scalar(connection, "SELECT due_at FROM users"));
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}

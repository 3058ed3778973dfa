using Connector.State;
using Connector.Sync.State;
using Npgsql;

namespace Connector.Benchmarks;

/// <summary>
/// A migrated, empty state store for one benchmark: SQLite in a temporary folder, or PostgreSQL
/// (<c>CONNECTOR_TEST_POSTGRES</c>, from <c>./build.sh servers</c>) in a schema of its own, dropped at the end.
/// </summary>
internal sealed class BenchStateStore : IAsyncDisposable
{
    private readonly string? _sqliteFolder;
    private readonly string? _postgresSchema;

    private BenchStateStore(IStateStore store, string? sqliteFolder, string? postgresSchema)
    {
        Store = store;
        _sqliteFolder = sqliteFolder;
        _postgresSchema = postgresSchema;
    }

    public IStateStore Store { get; }

    public static async Task<BenchStateStore> CreateAsync(string provider)
    {
        BenchStateStore bench;
        if (provider == "Sqlite")
        {
            var folder = Directory.CreateTempSubdirectory("connector-bench-").FullName;
            bench = new BenchStateStore(new SqliteStateStore(Path.Combine(folder, "state.db")), folder, null);
        }
        else
        {
            var server = ServerConnectionString();
            var schema = "bench_" + Guid.NewGuid().ToString("N")[..16];
            await ExecuteAsync(server, $"CREATE SCHEMA {schema}");
            bench = new BenchStateStore(new PostgresStateStore(new NpgsqlConnectionStringBuilder(server) { SearchPath = schema }.ConnectionString), null, schema);
        }

        await bench.Store.MigrateAsync(CancellationToken.None);
        await bench.Store.UpsertUserAsync(new UserRecord { UserId = "bench", Mailbox = "bench@example.org" }, CancellationToken.None);
        return bench;
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        if (_sqliteFolder is not null)
        {
            Directory.Delete(_sqliteFolder, recursive: true);
        }

        if (_postgresSchema is not null)
        {
            await ExecuteAsync(ServerConnectionString(), $"DROP SCHEMA {_postgresSchema} CASCADE");
        }
    }

    private static string ServerConnectionString() =>
        Environment.GetEnvironmentVariable("CONNECTOR_TEST_POSTGRES")
        ?? throw new InvalidOperationException("CONNECTOR_TEST_POSTGRES is not set: run ./build.sh servers and export what it prints.");

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

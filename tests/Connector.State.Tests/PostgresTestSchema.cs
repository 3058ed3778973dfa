using Connector.Testing;
using Npgsql;

namespace Connector.State.Tests;

/// <summary>
/// A schema of its own on the test PostgreSQL, with a random name, so that a test sees an empty database
/// while others run at the same time; <see cref="ConnectionString"/> puts it first on the search path.
/// Dropped with everything in it on dispose.
/// </summary>
internal sealed class PostgresTestSchema : IAsyncDisposable
{
    private PostgresTestSchema(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    /// <summary>The test server's connection string with <c>Search Path</c> set to this schema and a small pool.</summary>
    public string ConnectionString { get; }

    public static async Task<PostgresTestSchema> CreateAsync(CancellationToken cancellationToken)
    {
        var name = "state_test_" + Guid.NewGuid().ToString("N")[..20];
        await ExecuteAsync($"CREATE SCHEMA {name}", cancellationToken);
        var builder = new NpgsqlConnectionStringBuilder(TestServerEnvironment.Postgres) { SearchPath = name, MaxPoolSize = 8 };
        return new PostgresTestSchema(name, builder.ConnectionString);
    }

    public async ValueTask DisposeAsync() => await ExecuteAsync($"DROP SCHEMA IF EXISTS {Name} CASCADE", CancellationToken.None);

    /// <summary>Runs <paramref name="sql"/> in this schema.</summary>
    public async Task ExecuteInSchemaAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(TestServerEnvironment.Postgres);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

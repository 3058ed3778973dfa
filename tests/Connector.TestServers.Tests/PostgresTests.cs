using Connector.Testing;
using Npgsql;

namespace Connector.TestServers.Tests;

public sealed class PostgresTests
{
    [ServerFact(TestServer.Postgres)]
    public async Task Postgres_Connect_IsVersion15OnConnectorTestDatabase()
    {
        await using var connection = new NpgsqlConnection(TestServerEnvironment.Postgres);
        await connection.OpenAsync();

        Assert.Equal(15, connection.PostgreSqlVersion.Major);
        Assert.Equal("connector_test", connection.Database);
    }

    [ServerFact(TestServer.Postgres)]
    public async Task Postgres_CreateInsertSelectDrop_RoundTrips()
    {
        await using var connection = new NpgsqlConnection(TestServerEnvironment.Postgres);
        await connection.OpenAsync();

        await ExecuteAsync(connection, "DROP TABLE IF EXISTS servers_check");
        await ExecuteAsync(connection, "CREATE TABLE servers_check (id integer PRIMARY KEY, name text NOT NULL, seen timestamptz NOT NULL)");
        try
        {
            var seen = new DateTime(2025, 1, 2, 10, 0, 0, DateTimeKind.Utc);
            await using (var insert = new NpgsqlCommand("INSERT INTO servers_check (id, name, seen) VALUES ($1, $2, $3)", connection))
            {
                insert.Parameters.AddWithValue(1);
                insert.Parameters.AddWithValue("Grüße ⇄ Nextcloud");
                insert.Parameters.AddWithValue(seen);
                Assert.Equal(1, await insert.ExecuteNonQueryAsync());
            }

            await using var select = new NpgsqlCommand("SELECT name, seen FROM servers_check WHERE id = $1", connection);
            select.Parameters.AddWithValue(1);
            await using var reader = await select.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal("Grüße ⇄ Nextcloud", reader.GetString(0));
            Assert.Equal(seen, reader.GetDateTime(1));
            Assert.False(await reader.ReadAsync());
        }
        finally
        {
            await ExecuteAsync(connection, "DROP TABLE servers_check");
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

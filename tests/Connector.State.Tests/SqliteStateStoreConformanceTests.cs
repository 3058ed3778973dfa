using Connector.Sync.State;
using Connector.Testing.Conformance;
using Microsoft.Data.Sqlite;

namespace Connector.State.Tests;

/// <summary>The state store suite on SQLite: a new file in a temporary folder per test.</summary>
public sealed class SqliteStateStoreConformanceTests : StateStoreConformanceTests
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "connector-state-" + Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_folder, "state.db");

    protected override int LogLinesPerUser => 20;

    protected override IStateStore CreateStore() =>
        new SqliteStateStore(DatabasePath, new StateStoreOptions { LogLinesPerUser = LogLinesPerUser });

    protected override Task SetUpDatabaseAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_folder);
        return Task.CompletedTask;
    }

    protected override Task TearDownDatabaseAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    protected override async Task RefuseRelationWritesAsync(string uid, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken);
        var literal = "'" + uid.Replace("'", "''", StringComparison.Ordinal) + "'";
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            CREATE TRIGGER refuse_insert BEFORE INSERT ON item_relations WHEN NEW.uid = {literal} BEGIN SELECT RAISE(ABORT, 'refused by test'); END;
            CREATE TRIGGER refuse_update BEFORE UPDATE ON item_relations WHEN NEW.uid = {literal} OR OLD.uid = {literal} BEGIN SELECT RAISE(ABORT, 'refused by test'); END;
            CREATE TRIGGER refuse_delete BEFORE DELETE ON item_relations WHEN OLD.uid = {literal} BEGIN SELECT RAISE(ABORT, 'refused by test'); END;
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

using Connector.Sync.State;
using Connector.Testing;
using Connector.Testing.Conformance;

namespace Connector.State.Tests;

/// <summary>The state store suite on the real PostgreSQL 15 build.sh starts: a schema of its own per test.</summary>
[ConformanceServers(TestServer.Postgres)]
public sealed class PostgresStateStoreConformanceTests : StateStoreConformanceTests
{
    private PostgresTestSchema? _schema;

    protected override int LogLinesPerUser => 20;

    private PostgresTestSchema Schema => _schema ?? throw new InvalidOperationException("The schema is created in SetUpDatabaseAsync.");

    protected override IStateStore CreateStore() =>
        new PostgresStateStore(Schema.ConnectionString, new StateStoreOptions { LogLinesPerUser = LogLinesPerUser });

    protected override async Task SetUpDatabaseAsync(CancellationToken cancellationToken) =>
        _schema = await PostgresTestSchema.CreateAsync(cancellationToken);

    protected override async Task TearDownDatabaseAsync()
    {
        if (_schema is not null)
        {
            await _schema.DisposeAsync();
        }
    }

    protected override Task RefuseRelationWritesAsync(string uid, CancellationToken cancellationToken)
    {
        var literal = "'" + uid.Replace("'", "''", StringComparison.Ordinal) + "'";
        return Schema.ExecuteInSchemaAsync($"""
            CREATE FUNCTION refuse_relation() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF (TG_OP <> 'INSERT' AND OLD.uid = {literal}) OR (TG_OP <> 'DELETE' AND NEW.uid = {literal}) THEN
                    RAISE EXCEPTION 'refused by test';
                END IF;
                RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
            END $$;
            CREATE TRIGGER refuse_relation BEFORE INSERT OR UPDATE OR DELETE ON item_relations
                FOR EACH ROW EXECUTE FUNCTION refuse_relation();
            """, cancellationToken);
    }
}

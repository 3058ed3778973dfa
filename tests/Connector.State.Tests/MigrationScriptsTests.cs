namespace Connector.State.Tests;

public sealed class MigrationScriptsTests
{
    [Fact]
    public void Providers_HaveTheSameNumberedScripts()
    {
        var sqlite = MigrationScripts.For("Sqlite");
        var postgres = MigrationScripts.For("Postgres");

        Assert.NotEmpty(sqlite);
        Assert.Equal(sqlite.Select(s => (s.Version, s.Name)), postgres.Select(s => (s.Version, s.Name)));
        Assert.Equal(Enumerable.Range(1, sqlite.Count), sqlite.Select(s => s.Version));
    }

    [Fact]
    public void Scripts_AreIdempotent_EveryCreateSaysIfNotExists()
    {
        foreach (var script in MigrationScripts.For("Sqlite").Concat(MigrationScripts.For("Postgres")))
        {
            var creates = script.Sql.Split('\n').Where(l => l.TrimStart().StartsWith("CREATE ", StringComparison.Ordinal));
            Assert.All(creates, l => Assert.Contains("IF NOT EXISTS", l));
        }
    }
}

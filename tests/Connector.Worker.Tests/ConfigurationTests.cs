using System.Collections;
using Connector.Sync.Engine;
using Connector.Sync.Stores;
using Connector.Worker.Configuration;

namespace Connector.Worker.Tests;

public sealed class ConfigurationTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("connector-config-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private ConnectorSettings Load(IDictionary? environment = null, string? envFile = null, IReadOnlyDictionary<string, string?>? commandLine = null) =>
        ConnectorSettings.Load(Build(environment, envFile, commandLine), folder);

    private Microsoft.Extensions.Configuration.IConfigurationRoot Build(IDictionary? environment = null, string? envFile = null, IReadOnlyDictionary<string, string?>? commandLine = null) =>
        ConnectorConfiguration.Build(new ConfigurationSources { BasePath = folder, Environment = environment ?? new Hashtable(), EnvFile = envFile, CommandLine = commandLine });

    private static Hashtable Env(params (string Key, string Value)[] pairs)
    {
        var table = new Hashtable();
        foreach (var (key, value) in pairs)
        {
            table[key] = value;
        }

        return table;
    }

    [Fact]
    public void NothingSet_GivesTheDocumentedDefaults()
    {
        var settings = Load();

        Assert.Equal(ItemKind.Event | ItemKind.Contact | ItemKind.Task, settings.Service.SyncMode);
        Assert.Equal(SyncType.Full, settings.Service.SyncType);
        Assert.Equal("Busy", settings.Service.SensitiveTitle);
        Assert.Equal(TimeSpan.FromSeconds(300), settings.Service.SyncInterval);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.Service.CriticalSyncInterval);
        Assert.Equal(50, settings.Service.BatchLimit);
        Assert.Equal(100, settings.Service.BatchSaveSize);
        Assert.Equal(4, settings.Service.MaxParallelProcessingUsers);
        Assert.Equal(100, settings.Service.MaxUsersPerAdmin);
        Assert.Equal(ConflictPolicy.ExchangeWins, settings.Service.ConflictPolicy);
        Assert.Equal(Path.Combine(folder, "admins.json"), settings.AdminsFilePath);
        Assert.Equal(Path.Combine(folder, "users.json"), settings.UsersFilePath);
        Assert.Null(settings.Service.SharedSecret);
        Assert.Equal(DatabaseProvider.Sqlite, settings.Database.Provider);
        Assert.Equal(Path.Combine(folder, "connector.db"), settings.Database.SqlitePath(folder));
        Assert.Contains(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), settings.Service.WorkerId, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryOption_IsReadFromItsEnvironmentVariable()
    {
        var settings = Load(Env(
            ("Service__SyncMode", "5"),
            ("Service__SyncType", "1"),
            ("Service__SensitiveSyncConfiguration__SensitiveTitle", "Blocked"),
            ("Service__SyncIntervalInSeconds", "600"),
            ("Service__CriticalSyncIntervalInSeconds", "15"),
            ("Service__BatchLimit", "200"),
            ("Service__BatchSaveSize", "500"),
            ("Service__MaxParallelProcessingUsers", "16"),
            ("Service__MaxUsersPerAdmin", "250"),
            ("Service__MaxConcurrentUsersPerAdmin", "8"),
            ("Service__LeaseDurationInSeconds", "90"),
            ("Service__IdentityQuarantineInSeconds", "60"),
            ("Service__ConflictPolicy", "newestwins"),
            ("Service__AdminsFile", "/etc/connector/admins.json"),
            ("Service__UsersFile", "conf/users.json"),
            ("Service__SharedSecret", "0123456789abcdef0123"),
            ("Service__WorkerId", "replica-a"),
            ("Database__Provider", "Postgres"),
            ("Database__ConnectionString", "Host=db;Database=connector;Username=c;Password=p")));

        Assert.Equal(ItemKind.Event | ItemKind.Task, settings.Service.SyncMode);
        Assert.Equal(SyncType.Sensitive, settings.Service.SyncType);
        Assert.Equal("Blocked", settings.Service.SensitiveTitle);
        Assert.Equal(TimeSpan.FromSeconds(600), settings.Service.SyncInterval);
        Assert.Equal(TimeSpan.FromSeconds(15), settings.Service.CriticalSyncInterval);
        Assert.Equal(200, settings.Service.BatchLimit);
        Assert.Equal(500, settings.Service.BatchSaveSize);
        Assert.Equal(16, settings.Service.MaxParallelProcessingUsers);
        Assert.Equal(250, settings.Service.MaxUsersPerAdmin);
        Assert.Equal(8, settings.Service.MaxConcurrentUsersPerAdmin);
        Assert.Equal(TimeSpan.FromSeconds(90), settings.Service.LeaseDuration);
        Assert.Equal(TimeSpan.FromSeconds(60), settings.Service.Quarantine);
        Assert.Equal(ConflictPolicy.NewestWins, settings.Service.ConflictPolicy);
        Assert.Equal("/etc/connector/admins.json", settings.AdminsFilePath);
        Assert.Equal(Path.Combine(folder, "conf", "users.json"), settings.UsersFilePath);
        Assert.Equal("0123456789abcdef0123", settings.Service.SharedSecret);
        Assert.Equal("replica-a", settings.Service.WorkerId);
        Assert.Equal(DatabaseProvider.Postgres, settings.Database.Provider);
        Assert.Equal("Host=db;Database=connector;Username=c;Password=p", settings.Database.ConnectionString);
        Assert.DoesNotContain("Password=p", settings.Database.ToString(), StringComparison.Ordinal);

        var engine = settings.Service.ToSyncOptions();
        Assert.Equal(200, engine.BatchLimit);
        Assert.Equal(500, engine.BatchSaveSize);
        Assert.Equal(ConflictPolicy.NewestWins, engine.ConflictPolicy);
    }

    [Theory]
    [InlineData("Service__SyncMode", "0")]
    [InlineData("Service__SyncMode", "8")]
    [InlineData("Service__SyncMode", "calendars")]
    [InlineData("Service__SyncType", "2")]
    [InlineData("Service__SensitiveSyncConfiguration__SensitiveTitle", "   ")]
    [InlineData("Service__SyncIntervalInSeconds", "5")]
    [InlineData("Service__SyncIntervalInSeconds", "1.5")]
    [InlineData("Service__CriticalSyncIntervalInSeconds", "0")]
    [InlineData("Service__CriticalSyncIntervalInSeconds", "301")]
    [InlineData("Service__BatchLimit", "0")]
    [InlineData("Service__BatchLimit", "501")]
    [InlineData("Service__BatchSaveSize", "-1")]
    [InlineData("Service__MaxParallelProcessingUsers", "0")]
    [InlineData("Service__MaxUsersPerAdmin", "0")]
    [InlineData("Service__MaxConcurrentUsersPerAdmin", "0")]
    [InlineData("Service__LeaseDurationInSeconds", "5")]
    [InlineData("Service__IdentityQuarantineInSeconds", "1")]
    [InlineData("Service__ConflictPolicy", "LastWriterWins")]
    [InlineData("Service__ConflictPolicy", "1")]
    [InlineData("Service__AdminsFile", " ")]
    [InlineData("Service__UsersFile", "")]
    [InlineData("Service__WorkerId", " ")]
    [InlineData("Database__Provider", "MySql")]
    public void BadValue_GivesOneLineNamingTheKeyTheValueAndWhatIsAllowed(string key, string value)
    {
        var ex = Assert.Throws<ConfigurationException>(() => Load(Env((key, value))));

        var line = Assert.Single(ex.Errors);
        Assert.StartsWith($"{key}={value}: not allowed; expected ", line, StringComparison.Ordinal);
    }

    [Fact]
    public void PostgresWithoutConnectionString_IsAnError()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Load(Env(("Database__Provider", "Postgres"))));

        Assert.Contains("Database__ConnectionString", Assert.Single(ex.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void SeveralBadValues_AreAllReported_OneLineEach()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Load(Env(("Service__SyncMode", "9"), ("Service__BatchLimit", "x"), ("Service__SyncType", "-1"))));

        Assert.Equal(3, ex.Errors.Count);
        Assert.Contains(ex.Errors, e => e.StartsWith("Service__SyncMode=9", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("Service__BatchLimit=x", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("Service__SyncType=-1", StringComparison.Ordinal));
    }

    [Fact]
    public void Sources_LaterWins_AppSettings_EnvFile_Environment_CommandLine()
    {
        File.WriteAllText(Path.Combine(folder, "appsettings.json"), """
            { "Service": { "SyncMode": 1, "BatchLimit": 11, "BatchSaveSize": 12, "MaxUsersPerAdmin": 13 } }
            """);
        File.WriteAllText(Path.Combine(folder, ".env"), "Service__BatchLimit=21\nService__BatchSaveSize=22\nService__MaxUsersPerAdmin=23\n");

        var settings = Load(Env(("Service__BatchSaveSize", "32"), ("Service__MaxUsersPerAdmin", "33")), commandLine: new Dictionary<string, string?> { ["Service:MaxUsersPerAdmin"] = "43" });

        Assert.Equal(ItemKind.Event, settings.Service.SyncMode); // appsettings.json only
        Assert.Equal(21, settings.Service.BatchLimit); // .env over appsettings.json
        Assert.Equal(32, settings.Service.BatchSaveSize); // environment over .env
        Assert.Equal(43, settings.Service.MaxUsersPerAdmin); // command line over environment
    }

    [Fact]
    public void EnvFile_NamedByOption_IsRead_AndAMissingNamedFileIsAnError()
    {
        File.WriteAllText(Path.Combine(folder, "prod.env"), "Service__SyncMode=2\n");

        Assert.Equal(ItemKind.Contact, Load(envFile: "prod.env").Service.SyncMode);
        var ex = Assert.Throws<ConfigurationException>(() => Load(envFile: "missing.env"));
        Assert.Contains("missing.env", Assert.Single(ex.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void EnvFile_Syntax_CommentsExportQuotesAndEscapes()
    {
        var pairs = DotEnvFile.Parse(
            """
            # a comment

            export Service__SyncMode=3
            Service__SensitiveSyncConfiguration__SensitiveTitle="Out of office # not a comment"
            PASSWORD='p@ss "word" \n'
            DOUBLE="line1\nline2 \"quoted\""
            PLAIN=value with spaces # trailing comment
            HASH=abc#def
            EMPTY=
            """,
            ".env");

        var values = pairs.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("3", values["Service__SyncMode"]);
        Assert.Equal("Out of office # not a comment", values["Service__SensitiveSyncConfiguration__SensitiveTitle"]);
        Assert.Equal("p@ss \"word\" \\n", values["PASSWORD"]);
        Assert.Equal("line1\nline2 \"quoted\"", values["DOUBLE"]);
        Assert.Equal("value with spaces", values["PLAIN"]);
        Assert.Equal("abc#def", values["HASH"]);
        Assert.Equal(string.Empty, values["EMPTY"]);
        Assert.Equal("Service:SyncMode", DotEnvFile.ToConfigurationKey("Service__SyncMode"));
    }

    [Theory]
    [InlineData("JUST_A_WORD", "line 1: expected KEY=VALUE")]
    [InlineData("KEY=\"unterminated", "line 1: the value's closing \" is missing")]
    [InlineData("BAD KEY=1", "line 1: 'BAD KEY' is not a valid variable name")]
    public void EnvFile_BadLine_NamesFileAndLine(string text, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => DotEnvFile.Parse(text, "my.env"));

        Assert.Equal($"my.env, {expected}", ex.Message);
    }

    [Fact]
    public void EnvFile_BadLine_IsAConfigurationError()
    {
        File.WriteAllText(Path.Combine(folder, ".env"), "Service__SyncMode=1\nnonsense\n");

        var ex = Assert.Throws<ConfigurationException>(() => Build());

        Assert.Contains("line 2", Assert.Single(ex.Errors), StringComparison.Ordinal);
    }
}

using System.Globalization;
using Connector.Sync.Engine;
using Connector.Sync.Stores;
using Microsoft.Extensions.Configuration;

namespace Connector.Worker.Configuration;

/// <summary>How Exchange items reach Nextcloud (<c>Service__SyncType</c>).</summary>
public enum SyncType
{
    /// <summary>Everything is copied.</summary>
    Full = 0,

    /// <summary>Exchange items reach Nextcloud masked: times and free/busy, the title replaced (S17).</summary>
    Sensitive = 1,
}

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>The <c>Service</c> section: what to sync, how often, how much at once.</summary>
public sealed record ServiceSettings
{
    public const ItemKind DefaultSyncMode = ItemKind.Event | ItemKind.Contact | ItemKind.Task;
    public const string DefaultSensitiveTitle = "Busy";
    public const int DefaultSyncIntervalInSeconds = 300;
    public const int DefaultCriticalSyncIntervalInSeconds = 30;
    public const int DefaultMaxParallelProcessingUsers = 4;
    public const int DefaultMaxUsersPerAdmin = 100;
    public const int DefaultMaxConcurrentUsersPerAdmin = 4;
    public const int DefaultLeaseDurationInSeconds = 120;
    public const int DefaultQuarantineInSeconds = 900;
    public const string DefaultAdminsFile = "./admins.json";
    public const string DefaultUsersFile = "./users.json";

    public ItemKind SyncMode { get; init; } = DefaultSyncMode;

    public SyncType SyncType { get; init; } = SyncType.Full;

    public string SensitiveTitle { get; init; } = DefaultSensitiveTitle;

    public TimeSpan SyncInterval { get; init; } = TimeSpan.FromSeconds(DefaultSyncIntervalInSeconds);

    public TimeSpan CriticalSyncInterval { get; init; } = TimeSpan.FromSeconds(DefaultCriticalSyncIntervalInSeconds);

    public int BatchLimit { get; init; } = SyncOptions.DefaultBatchLimit;

    public int BatchSaveSize { get; init; } = SyncOptions.DefaultBatchSaveSize;

    public int MaxParallelProcessingUsers { get; init; } = DefaultMaxParallelProcessingUsers;

    public int MaxUsersPerAdmin { get; init; } = DefaultMaxUsersPerAdmin;

    /// <summary>Users one identity syncs at the same time in this worker (its concurrency budget).</summary>
    public int MaxConcurrentUsersPerAdmin { get; init; } = DefaultMaxConcurrentUsersPerAdmin;

    public ConflictPolicy ConflictPolicy { get; init; } = ConflictPolicy.ExchangeWins;

    public string AdminsFile { get; init; } = DefaultAdminsFile;

    public string UsersFile { get; init; } = DefaultUsersFile;

    /// <summary>Webhook signing secret (read by the HTTP surface); null: webhooks are refused.</summary>
    public string? SharedSecret { get; init; }

    public string WorkerId { get; init; } = DefaultWorkerId();

    /// <summary>How long a claimed user stays this worker's without renewal; renewed every third of it.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(DefaultLeaseDurationInSeconds);

    /// <summary>How long an identity whose credentials were rejected is left alone before it is tried again.</summary>
    public TimeSpan Quarantine { get; init; } = TimeSpan.FromSeconds(DefaultQuarantineInSeconds);

    public static string DefaultWorkerId() => string.Create(CultureInfo.InvariantCulture, $"{System.Environment.MachineName}-{System.Environment.ProcessId}");

    /// <summary>The engine options these settings give (sensitive mode plugs in elsewhere: <see cref="Running.SyncOptionsFactory"/>).</summary>
    public SyncOptions ToSyncOptions(bool dryRun = false) => new()
    {
        ConflictPolicy = ConflictPolicy,
        BatchLimit = BatchLimit,
        BatchSaveSize = BatchSaveSize,
        DryRun = dryRun,
    };
}

/// <summary>The <c>Database</c> section.</summary>
public sealed record DatabaseSettings
{
    public const string DefaultSqliteFile = "./connector.db";

    public DatabaseProvider Provider { get; init; } = DatabaseProvider.Sqlite;

    /// <summary>SQLite: a file path (or <c>Data Source=path</c>); PostgreSQL: an Npgsql connection string.</summary>
    public string ConnectionString { get; init; } = DefaultSqliteFile;

    /// <summary>Sqlite: the database file, resolved against <paramref name="basePath"/>.</summary>
    public string SqlitePath(string basePath)
    {
        var value = ConnectionString.Trim();
        const string prefix = "Data Source=";
        if (value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            value = value[prefix.Length..].Split(';')[0].Trim();
        }

        return Path.GetFullPath(value, basePath);
    }

    public override string ToString() => Provider == DatabaseProvider.Sqlite
        ? $"SQLite {ConnectionString}"
        : "PostgreSQL " + RedactPassword(ConnectionString);

    /// <summary>A connection string fit for a log line: the password replaced by ***.</summary>
    public static string RedactPassword(string connectionString) => string.Join(
        ';',
        connectionString.Split(';').Select(part =>
        {
            var key = part.Split('=', 2)[0].Trim();
            return key.Equals("Password", StringComparison.OrdinalIgnoreCase) || key.Equals("Pwd", StringComparison.OrdinalIgnoreCase)
                ? key + "=***"
                : part;
        }));
}

/// <summary>
/// Every worker option, read from configuration and validated at start. <see cref="Load"/> reports
/// every bad value at once, one line each: <c>Service__SyncMode=9: …allowed…</c>.
/// </summary>
public sealed record ConnectorSettings
{
    public ServiceSettings Service { get; init; } = new();

    public DatabaseSettings Database { get; init; } = new();

    /// <summary>Relative paths (admins, users, SQLite file) resolve against this folder.</summary>
    public string BasePath { get; init; } = Directory.GetCurrentDirectory();

    public string AdminsFilePath => Path.GetFullPath(Service.AdminsFile, BasePath);

    public string UsersFilePath => Path.GetFullPath(Service.UsersFile, BasePath);

    /// <exception cref="ConfigurationException">One or more values are not allowed; every one is listed.</exception>
    public static ConnectorSettings Load(IConfiguration configuration, string? basePath = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var read = new SettingReader(configuration);
        var syncMode = read.Int("Service:SyncMode", (int)ServiceSettings.DefaultSyncMode, 1, 7, "a bit mask: 1 calendars + 2 contacts + 4 tasks, so 1 to 7");
        var syncType = read.Int("Service:SyncType", 0, 0, 1, "0 (Full) or 1 (Sensitive)");
        var title = read.Text("Service:SensitiveSyncConfiguration:SensitiveTitle", ServiceSettings.DefaultSensitiveTitle, "a non-empty title of at most 255 characters", t => t.Trim().Length is > 0 and <= 255);
        var interval = read.Int("Service:SyncIntervalInSeconds", ServiceSettings.DefaultSyncIntervalInSeconds, 10, 86_400, "seconds from 10 to 86400");
        var critical = read.Int("Service:CriticalSyncIntervalInSeconds", Math.Min(ServiceSettings.DefaultCriticalSyncIntervalInSeconds, interval), 1, 86_400, "seconds from 1 to 86400, at most Service__SyncIntervalInSeconds");
        if (critical > interval && read.Has("Service:CriticalSyncIntervalInSeconds"))
        {
            read.Error("Service:CriticalSyncIntervalInSeconds", critical.ToString(CultureInfo.InvariantCulture), $"at most Service__SyncIntervalInSeconds ({interval.ToString(CultureInfo.InvariantCulture)})");
        }

        var batchLimit = read.Int("Service:BatchLimit", SyncOptions.DefaultBatchLimit, 1, 500, "items per fetch, 1 to 500");
        var batchSave = read.Int("Service:BatchSaveSize", SyncOptions.DefaultBatchSaveSize, 1, 10_000, "relations per transaction, 1 to 10000");
        var parallel = read.Int("Service:MaxParallelProcessingUsers", ServiceSettings.DefaultMaxParallelProcessingUsers, 1, 1000, "users in flight per worker, 1 to 1000");
        var perAdmin = read.Int("Service:MaxUsersPerAdmin", ServiceSettings.DefaultMaxUsersPerAdmin, 1, 100_000, "users per identity, 1 to 100000");
        var concurrentPerAdmin = read.Int("Service:MaxConcurrentUsersPerAdmin", ServiceSettings.DefaultMaxConcurrentUsersPerAdmin, 1, 1000, "users one identity syncs at once per worker, 1 to 1000");
        var lease = read.Int("Service:LeaseDurationInSeconds", ServiceSettings.DefaultLeaseDurationInSeconds, 15, 3600, "seconds from 15 to 3600");
        var quarantine = read.Int("Service:IdentityQuarantineInSeconds", ServiceSettings.DefaultQuarantineInSeconds, 10, 86_400, "seconds from 10 to 86400");
        var policy = read.Enum("Service:ConflictPolicy", ConflictPolicy.ExchangeWins);
        var admins = read.Text("Service:AdminsFile", ServiceSettings.DefaultAdminsFile, "a file path", t => t.Trim().Length > 0);
        var users = read.Text("Service:UsersFile", ServiceSettings.DefaultUsersFile, "a file path", t => t.Trim().Length > 0);
        var secret = read.Optional("Service:SharedSecret");
        // Its length is checked with the HTTP settings (the webhook is the one that uses it).
        var workerId = read.Text("Service:WorkerId", ServiceSettings.DefaultWorkerId(), "a non-empty name of at most 200 characters", t => t.Trim().Length is > 0 and <= 200);
        var provider = read.Enum("Database:Provider", DatabaseProvider.Sqlite);
        var connection = read.Optional("Database:ConnectionString");
        if (provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(connection))
        {
            read.Error("Database:ConnectionString", connection ?? "(not set)", "an Npgsql connection string, e.g. Host=db;Database=connector;Username=connector;Password=… (required with Database__Provider=Postgres)");
        }

        read.ThrowIfErrors();
        return new ConnectorSettings
        {
            BasePath = basePath ?? Directory.GetCurrentDirectory(),
            Service = new ServiceSettings
            {
                SyncMode = (ItemKind)syncMode,
                SyncType = (SyncType)syncType,
                SensitiveTitle = title.Trim(),
                SyncInterval = TimeSpan.FromSeconds(interval),
                CriticalSyncInterval = TimeSpan.FromSeconds(critical),
                BatchLimit = batchLimit,
                BatchSaveSize = batchSave,
                MaxParallelProcessingUsers = parallel,
                MaxUsersPerAdmin = perAdmin,
                MaxConcurrentUsersPerAdmin = concurrentPerAdmin,
                LeaseDuration = TimeSpan.FromSeconds(lease),
                Quarantine = TimeSpan.FromSeconds(quarantine),
                ConflictPolicy = policy,
                AdminsFile = admins.Trim(),
                UsersFile = users.Trim(),
                SharedSecret = secret,
                WorkerId = workerId.Trim(),
            },
            Database = new DatabaseSettings
            {
                Provider = provider,
                ConnectionString = string.IsNullOrWhiteSpace(connection) ? DatabaseSettings.DefaultSqliteFile : connection,
            },
        };
    }

    /// <summary>Reads values and collects one error line per bad one.</summary>
    private sealed class SettingReader(IConfiguration configuration)
    {
        private readonly List<string> errors = [];

        public bool Has(string key) => !string.IsNullOrWhiteSpace(configuration[key]);

        public string? Optional(string key) => string.IsNullOrWhiteSpace(configuration[key]) ? null : configuration[key];

        public int Int(string key, int fallback, int min, int max, string allowed)
        {
            var raw = configuration[key];
            if (string.IsNullOrWhiteSpace(raw))
            {
                return fallback;
            }

            if (!int.TryParse(raw.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            {
                Error(key, raw, allowed);
                return fallback;
            }

            return value;
        }

        public string Text(string key, string fallback, string allowed, Func<string, bool> valid)
        {
            var raw = configuration[key];
            if (raw is null)
            {
                return fallback;
            }

            if (!valid(raw))
            {
                Error(key, raw, allowed);
                return fallback;
            }

            return raw;
        }

        public T Enum<T>(string key, T fallback)
            where T : struct, Enum
        {
            var raw = configuration[key];
            if (string.IsNullOrWhiteSpace(raw))
            {
                return fallback;
            }

            // Names only: a number would silently accept values that are not members.
            if (raw.Trim().All(char.IsAsciiLetter) && System.Enum.TryParse<T>(raw.Trim(), ignoreCase: true, out var value))
            {
                return value;
            }

            Error(key, raw, "one of " + string.Join(", ", System.Enum.GetNames<T>()));
            return fallback;
        }

        public void Error(string key, string value, string allowed) =>
            errors.Add($"{EnvironmentName(key)}={value}: not allowed; expected {allowed}");

        public void ThrowIfErrors()
        {
            if (errors.Count > 0)
            {
                throw new ConfigurationException(errors);
            }
        }

        /// <summary>Administrators set these as environment variables: name them that way.</summary>
        private static string EnvironmentName(string key) => key.Replace(ConfigurationPath.KeyDelimiter, "__", StringComparison.Ordinal);
    }
}

using Connector.State;
using Connector.Sync.Resilience;
using Connector.Sync.State;
using Connector.Sync.Stores;
using Connector.Worker.Configuration;
using Connector.Worker.Identities;
using Connector.Worker.Observability;
using Connector.Worker.Pool;
using Connector.Worker.Running;
using Connector.Worker.Scheduling;
using Connector.Worker.Status;
using Connector.Worker.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connector.Worker;

/// <summary>
/// Everything a worker (or a one-off CLI command) needs, built from validated settings: the state
/// store (migrated), the identities and their pool, the user source and directory, the runner and
/// the status source. <see cref="CreateAsync"/> fails with every configuration problem at once.
/// </summary>
public sealed class WorkerRuntime : IAsyncDisposable
{
    private readonly NextcloudStoreFactory nextcloudFactory;
    private readonly ExchangeStoreFactories exchangeFactories;
    private bool ownsExchangeFactories;

    private WorkerRuntime(
        ConnectorSettings settings,
        IStateStore state,
        IReadOnlyList<AdminIdentity> identities,
        IReadOnlyList<string> warnings,
        IdentityPool pool,
        IUserSource users,
        ExchangeStoreFactories exchangeFactories,
        WorkerMetrics metrics,
        ILoggerFactory loggerFactory,
        TimeProvider time)
    {
        Settings = settings;
        State = state;
        Identities = identities;
        Warnings = warnings;
        Pool = pool;
        UserSource = users;
        this.exchangeFactories = exchangeFactories;
        Metrics = metrics;
        nextcloudFactory = new NextcloudStoreFactory(settings.Service.BatchLimit);
        Directory = new UserDirectory(users, state, pool, settings.Service, loggerFactory.CreateLogger<UserDirectory>(), time);
        Runner = new UserSyncRunner(settings.Service, state, exchangeFactories, nextcloudFactory, pool, metrics, loggerFactory.CreateLogger<UserSyncRunner>(), time);
        Status = new WorkerStatusSource(state, pool, time);
    }

    public ConnectorSettings Settings { get; }

    public IStateStore State { get; }

    public IReadOnlyList<AdminIdentity> Identities { get; }

    /// <summary>Things an administrator should fix but that do not stop the worker (e.g. a file others can read).</summary>
    public IReadOnlyList<string> Warnings { get; }

    public IdentityPool Pool { get; }

    public IUserSource UserSource { get; }

    public UserDirectory Directory { get; }

    public UserSyncRunner Runner { get; }

    public WorkerStatusSource Status { get; }

    public WorkerMetrics Metrics { get; }

    public ExchangeStoreFactories ExchangeFactories => exchangeFactories;

    public NextcloudStoreFactory NextcloudFactory => nextcloudFactory;

    /// <summary>
    /// Loads admins.json (rejecting identities no store serves) and opens the state store, then migrates it.
    /// </summary>
    /// <exception cref="ConfigurationException">admins.json is missing or wrong (every problem listed).</exception>
    public static async Task<WorkerRuntime> CreateAsync(
        ConnectorSettings settings,
        CancellationToken cancellationToken,
        IUserSource? users = null,
        ExchangeStoreFactories? exchangeFactories = null,
        WorkerMetrics? metrics = null,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? time = null)
    {
        var runtime = Create(settings, users, exchangeFactories, metrics, loggerFactory, time);
        try
        {
            await runtime.State.MigrateAsync(cancellationToken);
        }
        catch
        {
            await runtime.DisposeAsync();
            throw;
        }

        return runtime;
    }

    /// <summary>As <see cref="CreateAsync"/> without the migration (the daemon migrates before it starts the host).</summary>
    /// <exception cref="ConfigurationException">admins.json is missing or wrong (every problem listed).</exception>
    public static WorkerRuntime Create(
        ConnectorSettings settings,
        IUserSource? users = null,
        ExchangeStoreFactories? exchangeFactories = null,
        WorkerMetrics? metrics = null,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var owned = exchangeFactories is null;
        exchangeFactories ??= ExchangeStoreFactories.Default();
        loggerFactory ??= NullLoggerFactory.Instance;
        time ??= TimeProvider.System;
        var admins = AdminsFile.Load(settings.AdminsFilePath);
        var unsupported = exchangeFactories.Unsupported(admins.Identities, settings.AdminsFilePath);
        if (unsupported.Count > 0)
        {
            throw new ConfigurationException(unsupported);
        }

        var state = OpenStateStore(settings);
        var service = settings.Service;
        var pool = new IdentityPool(admins.Identities, service.MaxUsersPerAdmin, service.MaxConcurrentUsersPerAdmin, service.Quarantine, new ThrottleGates(time), time);
        var warnings = admins.Warnings.ToList();
        if (settings.Service.SyncType == SyncType.Sensitive && (settings.Service.SyncMode & ItemKind.Task) != 0)
        {
            warnings.Add("Service__SyncMode includes tasks (4) but Service__SyncType=1 (Sensitive): tasks are not synced in sensitive mode (a task is only its private title and notes); events are masked, contacts sync as they are");
        }

        return new WorkerRuntime(settings, state, admins.Identities, warnings, pool, users ?? new UsersFile(settings.UsersFilePath), exchangeFactories, metrics ?? new WorkerMetrics(), loggerFactory, time)
        {
            ownsExchangeFactories = owned,
        };
    }

    public static IStateStore OpenStateStore(ConnectorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Database.Provider == DatabaseProvider.Postgres)
        {
            return new PostgresStateStore(settings.Database.ConnectionString);
        }

        var path = settings.Database.SqlitePath(settings.BasePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return new SqliteStateStore(path);
    }

    public async ValueTask DisposeAsync()
    {
        nextcloudFactory.Dispose();
        if (ownsExchangeFactories)
        {
            exchangeFactories.Dispose();
        }

        Pool.Dispose();
        await State.DisposeAsync();
    }
}

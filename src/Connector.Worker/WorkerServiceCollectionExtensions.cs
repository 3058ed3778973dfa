using Connector.Worker.Configuration;
using Connector.Worker.Observability;
using Connector.Worker.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Connector.Worker;

public static class WorkerServiceCollectionExtensions
{
    /// <summary>
    /// The worker as hosted services: the <see cref="WorkerRuntime"/> (state store, identities, users,
    /// runner), the <see cref="SyncScheduler"/> (also the <see cref="IUserNudger"/> the webhook calls)
    /// and the <see cref="IWorkerStatusSource"/> for status and readiness. Migrate
    /// <see cref="WorkerRuntime.State"/> before starting the host.
    /// </summary>
    /// <exception cref="ConfigurationException">When resolved: admins.json is wrong.</exception>
    public static IServiceCollection AddConnectorWorker(this IServiceCollection services, ConnectorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton(settings);
        services.AddSingleton(settings.Service);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WorkerMetrics>();
        services.AddSingleton(sp => WorkerRuntime.Create(
            settings,
            metrics: sp.GetRequiredService<WorkerMetrics>(),
            loggerFactory: sp.GetService<ILoggerFactory>(),
            time: sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp =>
        {
            var runtime = sp.GetRequiredService<WorkerRuntime>();
            return new SyncScheduler(settings.Service, runtime.State, runtime.Directory, runtime.Runner, runtime.Metrics, sp.GetService<ILogger<SyncScheduler>>(), sp.GetRequiredService<TimeProvider>());
        });
        services.AddHostedService(sp => sp.GetRequiredService<SyncScheduler>());
        services.AddSingleton<IUserNudger>(sp => sp.GetRequiredService<SyncScheduler>());
        services.AddSingleton<IWorkerStatusSource>(sp => sp.GetRequiredService<WorkerRuntime>().Status);
        return services;
    }
}

using System.CommandLine;
using Connector.Host.Hosting;
using Connector.Worker;
using Connector.Worker.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Connector.Host.Commands;

/// <summary>
/// <c>run</c>: the daemon. Configuration → validation (every bad value, one line each, exit 3) → the
/// host (logging, HTTP, systemd/Windows service) → the worker's services → migrate the state store →
/// run until stopped (SIGTERM, Ctrl+C, service stop), then finish or checkpoint in-flight users.
/// </summary>
public static class RunCommand
{
    public static Command Create()
    {
        var command = new Command("run", "Run the worker: sync every consenting user on schedule, serve health, metrics, status and the webhook.");
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, parseResult.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, TextWriter error, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        Microsoft.Extensions.Configuration.IConfigurationRoot? configuration = null;
        ConnectorSettings? settings = null;
        try
        {
            configuration = CommandSupport.BuildConfiguration(parseResult);
            settings = ConnectorSettings.Load(configuration);
        }
        catch (ConfigurationException ex)
        {
            errors.AddRange(ex.Errors);
        }

        WebApplicationBuilder? builder = null;
        if (configuration is not null)
        {
            try
            {
                builder = ConnectorHosting.CreateBuilder(configuration, []);
            }
            catch (OptionsValidationException ex)
            {
                errors.AddRange(ex.Failures);
            }
        }

        if (errors.Count > 0 || settings is null || builder is null)
        {
            await CommandSupport.PrintAsync(error, errors);
            return ExitCodes.Configuration;
        }

        builder.Services.AddConnectorWorker(settings);
        await using var app = builder.Build();
        WorkerRuntime runtime;
        try
        {
            runtime = app.Services.GetRequiredService<WorkerRuntime>();
            await runtime.State.MigrateAsync(cancellationToken);
        }
        catch (ConfigurationException ex)
        {
            await CommandSupport.PrintAsync(error, ex.Errors);
            return ExitCodes.Configuration;
        }
        catch (System.Data.Common.DbException ex)
        {
            await CommandSupport.PrintAsync(error, [$"database ({settings.Database}): {ex.Message}"]);
            return ExitCodes.Configuration;
        }

        foreach (var warning in runtime.Warnings)
        {
            await error.WriteLineAsync("warning: " + warning);
        }

        app.MapConnectorEndpoints();
        await app.RunAsync();
        return ExitCodes.Success;
    }
}

using System.CommandLine;
using Connector.Worker;
using Connector.Worker.Configuration;
using Microsoft.Extensions.Configuration;

namespace Connector.Host.Commands;

/// <summary>The options every command shares and the configuration they load.</summary>
public static class CommandSupport
{
    /// <summary><c>--env-file PATH</c>: the .env file read between appsettings.json and the environment.</summary>
    public static readonly Option<string?> EnvFile = new("--env-file")
    {
        Description = "The .env file (KEY=VALUE lines, Section__Key names) read after appsettings.json and before environment variables. Default: ./.env when it exists.",
        Recursive = true,
    };

    /// <summary><c>--set Section__Key=value</c>, repeatable: wins over every other source.</summary>
    public static readonly Option<string[]> Set = new("--set")
    {
        Description = "Override one option, e.g. --set Service__SyncMode=1 (repeatable; wins over every other source).",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>The configuration as the options say, or the errors (exit code <see cref="ExitCodes.Configuration"/>).</summary>
    public static IConfigurationRoot BuildConfiguration(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var errors = new List<string>();
        foreach (var item in parseResult.GetValue(Set) ?? [])
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                errors.Add($"--set {item}: expected Section__Key=value");
                continue;
            }

            overrides[DotEnvFile.ToConfigurationKey(item[..equals].Trim())] = item[(equals + 1)..];
        }

        if (errors.Count > 0)
        {
            throw new ConfigurationException(errors);
        }

        return ConnectorConfiguration.Build(new ConfigurationSources { EnvFile = parseResult.GetValue(EnvFile), CommandLine = overrides });
    }

    /// <summary>Configuration and validated settings; on errors prints each and returns null.</summary>
    public static async Task<(IConfigurationRoot Configuration, ConnectorSettings Settings)?> LoadAsync(ParseResult parseResult, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            var configuration = BuildConfiguration(parseResult);
            return (configuration, ConnectorSettings.Load(configuration));
        }
        catch (ConfigurationException ex)
        {
            await PrintAsync(error, ex.Errors);
            return null;
        }
    }

    /// <summary>The worker's runtime (state store migrated); null after printing configuration errors.</summary>
    public static async Task<WorkerRuntime?> OpenRuntimeAsync(ConnectorSettings settings, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            var runtime = await WorkerRuntime.CreateAsync(settings, cancellationToken);
            foreach (var warning in runtime.Warnings)
            {
                await error.WriteLineAsync("warning: " + warning);
            }

            return runtime;
        }
        catch (ConfigurationException ex)
        {
            await PrintAsync(error, ex.Errors);
            return null;
        }
        catch (System.Data.Common.DbException ex)
        {
            await PrintAsync(error, [$"database ({settings.Database}): {ex.Message}"]);
            return null;
        }
    }

    /// <summary>
    /// Loads the configuration, opens the worker's runtime and runs <paramref name="action"/> on it: what the
    /// commands that read or change the state store share. <see cref="ExitCodes.Configuration"/> after printing the
    /// errors when either step fails.
    /// </summary>
    public static async Task<int> RunWithRuntimeAsync(ParseResult parseResult, TextWriter error, Func<WorkerRuntime, Task<int>> action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (await LoadAsync(parseResult, error) is not { } loaded)
        {
            return ExitCodes.Configuration;
        }

        await using var runtime = await OpenRuntimeAsync(loaded.Settings, error, cancellationToken);
        if (runtime is null)
        {
            return ExitCodes.Configuration;
        }

        return await action(runtime);
    }

    public static async Task PrintAsync(TextWriter error, IEnumerable<string> errors)
    {
        ArgumentNullException.ThrowIfNull(error);
        foreach (var line in errors)
        {
            await error.WriteLineAsync("error: " + line);
        }
    }
}

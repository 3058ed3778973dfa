using System.Collections;
using Microsoft.Extensions.Configuration;

namespace Connector.Worker.Configuration;

/// <summary>Where the configuration comes from; tests pass their own environment instead of the process's.</summary>
public sealed record ConfigurationSources
{
    /// <summary>Folder of <c>appsettings.json</c>; default the current directory.</summary>
    public string BasePath { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>The <c>.env</c> file (<c>--env-file</c>); default <c>./.env</c>. A missing default file is fine; a missing named file is an error.</summary>
    public string? EnvFile { get; init; }

    /// <summary>Environment variables; null reads the process's.</summary>
    public IDictionary? Environment { get; init; }

    /// <summary>Command-line overrides as <c>Section:Key</c> → value (win over everything).</summary>
    public IReadOnlyDictionary<string, string?>? CommandLine { get; init; }
}

/// <summary>
/// Builds the connector's configuration, later sources winning: <c>appsettings.json</c> &lt; the
/// <c>.env</c> file &lt; environment variables (<c>Service__SyncMode</c>) &lt; the command line.
/// Nothing here validates values; <see cref="ConnectorSettings.Load"/> does.
/// </summary>
public static class ConnectorConfiguration
{
    public const string DefaultEnvFile = ".env";

    /// <exception cref="ConfigurationException">The named .env file is missing or has a bad line.</exception>
    public static IConfigurationRoot Build(ConfigurationSources sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var builder = new ConfigurationBuilder()
            .SetBasePath(Path.GetFullPath(sources.BasePath))
            .AddJsonFile("appsettings.json", optional: true, reloadOnChange: false);

        builder.AddInMemoryCollection(ReadEnvFile(sources));
        builder.AddInMemoryCollection(FromEnvironment(sources.Environment ?? System.Environment.GetEnvironmentVariables()));
        if (sources.CommandLine is { } commandLine)
        {
            builder.AddInMemoryCollection(commandLine);
        }

        return builder.Build();
    }

    private static Dictionary<string, string?> ReadEnvFile(ConfigurationSources sources)
    {
        var path = Path.GetFullPath(sources.EnvFile ?? DefaultEnvFile, sources.BasePath);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (!File.Exists(path))
        {
            if (sources.EnvFile is not null)
            {
                throw new ConfigurationException([$"--env-file {sources.EnvFile}: the file does not exist"]);
            }

            return values;
        }

        try
        {
            foreach (var (key, value) in DotEnvFile.Parse(File.ReadAllText(path), path))
            {
                values[DotEnvFile.ToConfigurationKey(key)] = value;
            }
        }
        catch (FormatException ex)
        {
            throw new ConfigurationException([ex.Message]);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException([$"{path}: cannot read: {ex.Message}"]);
        }

        return values;
    }

    private static Dictionary<string, string?> FromEnvironment(IDictionary environment)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in environment)
        {
            if (entry.Key is string key && key.Length > 0)
            {
                values[DotEnvFile.ToConfigurationKey(key)] = entry.Value as string;
            }
        }

        return values;
    }
}

/// <summary>The configuration cannot be used; <see cref="Errors"/> has one line per problem, each naming the key, the value and what is allowed.</summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException()
        : this([])
    {
    }

    public ConfigurationException(string message)
        : this([message])
    {
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException) => Errors = [message];

    public ConfigurationException(IReadOnlyList<string> errors)
        : base(string.Join(System.Environment.NewLine, errors)) => Errors = errors;

    public IReadOnlyList<string> Errors { get; }
}

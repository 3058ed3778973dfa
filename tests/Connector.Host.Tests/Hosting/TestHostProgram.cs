using Connector.Host.Hosting;
using Connector.Worker.Observability;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Connector.Host.Tests.Hosting;

/// <summary>
/// The test assembly's entry point (GenerateProgramFile is off): <c>dotnet Connector.Host.Tests.dll
/// --connector-test-host</c> runs a host built by <see cref="ConnectorHosting"/> exactly as
/// `connector run` builds it, configured from environment variables, so that tests can watch a
/// real process (systemd notifications, standard output, signals).
/// </summary>
public static partial class TestHostProgram
{
    public const string Argument = "--connector-test-host";

    /// <summary>Logged at start under a secret-named property; it must never reach the output.</summary>
    public const string SecretProbe = "hunter2-process";

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] != Argument)
        {
            await Console.Error.WriteLineAsync("This is a test assembly: run it with dotnet test.");
            return 2;
        }

        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var builder = ConnectorHosting.CreateBuilder(configuration, args[1..]);
        builder.Services.AddSingleton<IWorkerStatusSource>(new FakeStatusSource());
        await using var app = builder.Build();
        app.MapConnectorEndpoints();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Connector.Host.Tests.TestHost");
        Started(logger, SecretProbe);
        await app.RunAsync();
        return 0;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Test host starting with {ClientSecret}")]
    private static partial void Started(ILogger logger, string clientSecret);
}

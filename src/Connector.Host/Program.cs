using System.CommandLine;
using Connector.Host.Commands;

namespace Connector.Host;

public static class Program
{
    // Signals are the host's business (`run` stops gracefully on SIGTERM/Ctrl+C through its lifetime,
    // systemd and Windows services included), so System.CommandLine does not install its own handler.
    public static Task<int> Main(string[] args) =>
        BuildRootCommand().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

    /// <summary>The command tree: run, sync, status, check, demo, reset, convert; --env-file and --set on all.</summary>
    public static RootCommand BuildRootCommand()
    {
        var root = new RootCommand("Exchange ⇄ Nextcloud Connector: keeps Exchange calendars, contacts and tasks and Nextcloud CalDAV/CardDAV in step.");
        root.Options.Add(CommandSupport.EnvFile);
        root.Options.Add(CommandSupport.Set);
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(SyncCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(CheckCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(ResetCommand.Create());
        root.Subcommands.Add(ConvertCommand.Create());
        return root;
    }
}

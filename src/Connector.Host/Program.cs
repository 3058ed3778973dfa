using System.CommandLine;
using Connector.Host.Commands;

namespace Connector.Host;

public static class Program
{
    public static Task<int> Main(string[] args) => BuildRootCommand().Parse(args).InvokeAsync();

    /// <summary>The command tree; later issues add run, sync, status, check, demo and reset.</summary>
    public static RootCommand BuildRootCommand()
    {
        var root = new RootCommand("Exchange ⇄ Nextcloud Connector: keeps Exchange calendars, contacts and tasks and Nextcloud CalDAV/CardDAV in step.");
        root.Subcommands.Add(ConvertCommand.Create());
        return root;
    }
}

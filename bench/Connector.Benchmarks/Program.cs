using BenchmarkDotNet.Running;

namespace Connector.Benchmarks;

public static class Program
{
    /// <summary>
    /// Run with: ./build.sh bench   (or: dotnet run -c Release --project bench/Connector.Benchmarks -- --filter '*').
    /// <c>ews-first-sync</c> runs the EWS first-sync measurement instead (<see cref="EwsFirstSyncBench"/>).
    /// </summary>
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == EwsFirstSyncBench.Command)
        {
            Environment.ExitCode = EwsFirstSyncBench.RunAsync(args[1..]).GetAwaiter().GetResult();
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}

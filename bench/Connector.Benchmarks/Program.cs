using BenchmarkDotNet.Running;

namespace Connector.Benchmarks;

public static class Program
{
    /// <summary>Run with: ./build.sh bench   (or: dotnet run -c Release --project bench/Connector.Benchmarks -- --filter '*')</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}

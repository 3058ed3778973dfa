using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Connector.State.Tests;

/// <summary>
/// A running Connector.State.LeaseWorker (built and copied next to this test assembly by the project reference),
/// started with <c>dotnet exec</c>. Disposing closes its standard input, which asks it to stop, and kills it if it
/// does not within a few seconds.
/// </summary>
internal sealed class LeaseWorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _errors = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LeaseWorkerProcess(string workerId, Process process)
    {
        WorkerId = workerId;
        _process = process;
    }

    public string WorkerId { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>What the worker wrote to standard error so far.</summary>
    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    public static async Task<LeaseWorkerProcess> StartAsync(string workerId, string connectionString, TimeSpan lease, int maxPerClaim, TimeSpan work, CancellationToken cancellationToken)
    {
        var workerDll = Path.Combine(AppContext.BaseDirectory, "Connector.State.LeaseWorker.dll");
        Assert.True(File.Exists(workerDll), $"{workerDll} is missing: the test project references the worker project so that it is copied here.");
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "exec", workerDll, workerId,
            ((int)lease.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            maxPerClaim.ToString(CultureInfo.InvariantCulture),
            ((int)work.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }

        // Through the environment, not the command line: the connection string holds a password.
        start.Environment["CONNECTOR_LEASE_WORKER_DB"] = connectionString;
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var worker = new LeaseWorkerProcess(workerId, process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data == "ready")
            {
                worker._ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (worker._errors)
                {
                    worker._errors.AppendLine(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await worker._ready.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch (TimeoutException)
        {
            await worker.DisposeAsync();
            Assert.Fail($"Lease worker {workerId} did not get ready within 60 s. Its standard error:\n{worker.Errors}");
        }

        return worker;
    }

    /// <summary>Kills the process (SIGKILL: no clean-up runs) and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Asks the worker to stop (closes its standard input) and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                await KillAsync();
            }
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    private static string DotnetHost()
    {
        // The dotnet CLI sets DOTNET_HOST_PATH for what it runs; the test host itself usually runs in dotnet.
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        return Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
    }
}

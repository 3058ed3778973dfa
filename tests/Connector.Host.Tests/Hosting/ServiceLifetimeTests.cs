using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Connector.Host.Tests.Hosting;

/// <summary>
/// Runs real processes under a fake service manager: a Unix datagram socket in NOTIFY_SOCKET, as
/// systemd provides for Type=notify units. Asserts READY=1 once serving, STOPPING=1 on SIGTERM, a
/// clean exit, and that standard output in JSON format is one object per line without secrets.
/// </summary>
public partial class ServiceLifetimeTests
{
    /// <summary>Bounds a broken run only; nothing here asserts how long anything took.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Systemd_HostFromConnectorHosting_ReadyThenStoppingOnSigterm()
    {
        var start = DotnetStart(typeof(TestHostProgram).Assembly.Location, TestHostProgram.Argument);

        var lines = await RunUnderNotifySocketAsync(start);

        Assert.DoesNotContain(lines, line => line.Contains(TestHostProgram.SecretProbe, StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("Test host starting with", StringComparison.Ordinal) && line.Contains("***", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Systemd_ConnectorRun_ReadyThenStoppingOnSigterm()
    {
        // The real binary and command: `connector run` with one EWS identity and no users, SQLite
        // in a temporary working directory. No user means no Exchange call.
        var directory = Directory.CreateTempSubdirectory("connector-run-");
        try
        {
            await File.WriteAllTextAsync(
                Path.Combine(directory.FullName, "admins.json"),
                """[ { "Name": "ews-1", "ExchangeType": 2, "Username": "svc-sync", "Password": "hunter2-admin", "EwsUrl": "http://127.0.0.1:9/EWS/Exchange.asmx" } ]""");
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "users.json"), "[]");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(Path.Combine(directory.FullName, "admins.json"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            var start = DotnetStart(typeof(Program).Assembly.Location, "run");
            start.WorkingDirectory = directory.FullName;

            var lines = await RunUnderNotifySocketAsync(start);

            Assert.DoesNotContain(lines, line => line.Contains("hunter2", StringComparison.Ordinal));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>Starts the process, checks the notify protocol, liveness and readiness, stops it with SIGTERM; returns standard output.</summary>
    private static async Task<string[]> RunUnderNotifySocketAsync(ProcessStartInfo start)
    {
        var socketDirectory = Directory.CreateTempSubdirectory("connector-notify-");
        try
        {
            var socketPath = Path.Combine(socketDirectory.FullName, "notify.sock");
            using var notifySocket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            notifySocket.Bind(new UnixDomainSocketEndPoint(socketPath));
            start.Environment["NOTIFY_SOCKET"] = socketPath;

            var output = new List<string>();
            var errors = new StringBuilder();
            using var process = StartProcess(start, output, errors);
            try
            {
                using var guard = new CancellationTokenSource(Guard);
                Assert.Contains("READY=1", await ReceiveUntilAsync(notifySocket, "READY=1", process, errors, guard.Token));

                // Ready means serving: the JSON log names the port Kestrel chose.
                var address = await ListeningAddressAsync(output, guard.Token);
                using (var client = new HttpClient())
                {
                    using var live = await client.GetAsync(new Uri(address, "/health/live"), guard.Token);
                    Assert.Equal(HttpStatusCode.OK, live.StatusCode);
                    using var ready = await client.GetAsync(new Uri(address, "/health/ready"), guard.Token);
                    Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
                }

                await SendSigtermAsync(process.Id);
                Assert.Contains("STOPPING=1", await ReceiveUntilAsync(notifySocket, "STOPPING=1", process, errors, guard.Token));
                await process.WaitForExitAsync(guard.Token);
                Assert.Equal(0, process.ExitCode);
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill();
                }
            }

            string[] lines;
            lock (output)
            {
                lines = [.. output];
            }

            // Logging__Format=json: every line of standard output is one JSON object.
            Assert.NotEmpty(lines);
            Assert.All(lines, line => Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(line).RootElement.ValueKind));
            return lines;
        }
        finally
        {
            socketDirectory.Delete(recursive: true);
        }
    }

    private static ProcessStartInfo DotnetStart(string assemblyPath, params string[] arguments)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath ? hostPath : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assemblyPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["Http__Listen"] = "http://127.0.0.1:0";
        start.Environment["Logging__Format"] = "json";
        start.Environment["Logging__Level"] = "Information";
        start.Environment["Service__WorkerId"] = "notify-test";
        foreach (var inherited in new[] { "Otlp__Endpoint", "Service__SharedSecret", "Database__Provider", "Database__ConnectionString" })
        {
            start.Environment.Remove(inherited);
        }

        return start;
    }

    private static Process StartProcess(ProcessStartInfo start, List<string> output, StringBuilder errors)
    {
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (!string.IsNullOrEmpty(e.Data))
            {
                lock (output)
                {
                    output.Add(e.Data);
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        Assert.True(process.Start());
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<string> ReceiveUntilAsync(Socket socket, string expected, Process process, StringBuilder errors, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        while (true)
        {
            // A process that died before notifying would otherwise leave the test waiting for the guard.
            using var poll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            poll.CancelAfter(TimeSpan.FromMilliseconds(500));
            try
            {
                var received = await socket.ReceiveAsync(buffer, SocketFlags.None, poll.Token);
                var message = Encoding.UTF8.GetString(buffer, 0, received);
                if (message.Split('\n').Contains(expected))
                {
                    return message;
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                if (process.HasExited && expected == "READY=1")
                {
                    lock (errors)
                    {
                        throw new Xunit.Sdk.XunitException($"the process exited with {process.ExitCode} before READY=1: {errors}");
                    }
                }
            }
        }
    }

    /// <summary>Standard output is read asynchronously, so the line may arrive just after READY=1.</summary>
    private static async Task<Uri> ListeningAddressAsync(List<string> output, CancellationToken cancellationToken)
    {
        while (true)
        {
            lock (output)
            {
                foreach (var line in output)
                {
                    var match = ListeningLine().Match(line);
                    if (match.Success)
                    {
                        return new Uri(match.Groups["url"].Value);
                    }
                }
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    private static async Task SendSigtermAsync(int processId)
    {
        using var kill = Process.Start("kill", ["-TERM", processId.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    [GeneratedRegex("Now listening on: \\\\?\"?(?<url>http://[0-9.]+:[0-9]+)")]
    private static partial Regex ListeningLine();
}

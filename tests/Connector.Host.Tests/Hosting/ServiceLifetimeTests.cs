using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Connector.Host.Tests.Hosting;

/// <summary>
/// Runs a real process built by ConnectorHosting under a fake service manager: a Unix datagram
/// socket in NOTIFY_SOCKET, as systemd provides for Type=notify units.
/// </summary>
public partial class ServiceLifetimeTests
{
    /// <summary>Bounds a broken run only; nothing here asserts how long anything took.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Systemd_NotifySocket_ReceivesReadyThenStoppingOnSigterm()
    {
        var directory = Directory.CreateTempSubdirectory("connector-notify-");
        try
        {
            var socketPath = Path.Combine(directory.FullName, "notify.sock");
            using var notifySocket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            notifySocket.Bind(new UnixDomainSocketEndPoint(socketPath));

            var output = new List<string>();
            using var process = StartTestHost(socketPath, output);
            try
            {
                using var guard = new CancellationTokenSource(Guard);
                Assert.Contains("READY=1", await ReceiveUntilAsync(notifySocket, "READY=1", guard.Token));

                // Ready means serving: the JSON log names the port Kestrel chose.
                var address = await ListeningAddressAsync(output, guard.Token);
                using (var client = new HttpClient())
                {
                    using var live = await client.GetAsync(new Uri(address, "/health/live"), guard.Token);
                    Assert.Equal(HttpStatusCode.OK, live.StatusCode);
                }

                await SendSigtermAsync(process.Id);
                Assert.Contains("STOPPING=1", await ReceiveUntilAsync(notifySocket, "STOPPING=1", guard.Token));
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

            // Logging__Format=json: every line of standard output is one JSON object, and the
            // secret logged at start was masked.
            string[] lines;
            lock (output)
            {
                lines = [.. output];
            }

            Assert.NotEmpty(lines);
            Assert.All(lines, line => Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(line).RootElement.ValueKind));
            Assert.DoesNotContain(lines, line => line.Contains(TestHostProgram.SecretProbe, StringComparison.Ordinal));
            Assert.Contains(lines, line => line.Contains("Test host starting with", StringComparison.Ordinal) && line.Contains("***", StringComparison.Ordinal));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static Process StartTestHost(string notifySocketPath, List<string> output)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath ? hostPath : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(TestHostProgram).Assembly.Location);
        start.ArgumentList.Add(TestHostProgram.Argument);
        start.Environment["NOTIFY_SOCKET"] = notifySocketPath;
        start.Environment["Http__Listen"] = "http://127.0.0.1:0";
        start.Environment["Logging__Format"] = "json";
        start.Environment["Logging__Level"] = "Information";
        start.Environment["Service__WorkerId"] = "notify-test";
        start.Environment.Remove("Otlp__Endpoint");

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
        process.ErrorDataReceived += (_, _) => { };
        Assert.True(process.Start());
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<string> ReceiveUntilAsync(Socket socket, string expected, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            var message = Encoding.UTF8.GetString(buffer, 0, received);
            if (message.Split('\n').Contains(expected))
            {
                return message;
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

using System.Text.Json;
using Connector.Emulator;
using Connector.Host.Commands;

namespace Connector.Host.Tests.Commands;

/// <summary>check, sync (dry run and real), status, reset and configuration errors, against the emulator and a vdir folder.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes through IAsyncLifetime.DisposeAsync.")]
public sealed class WorkerCommandsTests : IAsyncLifetime
{
    private readonly string folder = Directory.CreateTempSubdirectory("connector-cli-").FullName;
    private ExchangeEmulator emulator = null!;

    public async Task InitializeAsync()
    {
        emulator = await ExchangeEmulator.StartAsync(new EmulatorOptions { Port = 0, Seed = "demo" });
        WriteAdmins("Passw0rd!");
        File.WriteAllText(Path.Combine(folder, "users.json"), """
            [ { "UserId": "alice", "Mailbox": "alice@contoso.com", "VdirPath": "nextcloud/alice", "TimeZone": "Europe/Berlin" } ]
            """);
    }

    public async Task DisposeAsync()
    {
        await emulator.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    private void WriteAdmins(string password)
    {
        var path = Path.Combine(folder, "admins.json");
        File.WriteAllText(path, $$"""
            [ { "Name": "svc-sync", "ExchangeType": 2, "Username": "svc-sync", "Password": "{{password}}", "EwsUrl": "{{emulator.EwsUri}}" } ]
            """);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) => CliRunner.RunAsync(
        [
            .. args,
            "--set", $"Service__AdminsFile={Path.Combine(folder, "admins.json")}",
            "--set", $"Service__UsersFile={Path.Combine(folder, "users.json")}",
            "--set", $"Database__ConnectionString={Path.Combine(folder, "state.db")}",
        ]);

    [Fact]
    public async Task Check_Sync_Status_Reset()
    {
        var (exit, output, error) = await RunAsync("check");
        Assert.True(exit == ExitCodes.Success, output + error);
        Assert.Contains("ok    identity svc-sync (" + emulator.EwsUri + "): mailbox alice@contoso.com", output, StringComparison.Ordinal);
        Assert.Contains("ok    user alice: Nextcloud vdir ", output, StringComparison.Ordinal);

        (exit, output, error) = await RunAsync("sync", "--user", "alice", "--dry-run");
        Assert.True(exit == ExitCodes.Success, output + error);
        Assert.Contains("dry run", output, StringComparison.Ordinal);
        Assert.Contains("calendar: would create the Nextcloud collection \"Exchange Calendar\"", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(folder, "nextcloud", "alice")));

        (exit, output, error) = await RunAsync("sync", "--user", "alice");
        Assert.True(exit == ExitCodes.Success, output + error);
        Assert.Matches(@"calendar: created \d+ in Nextcloud", output);

        (exit, output, _) = await RunAsync("sync", "--user", "alice", "--dry-run");
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("calendar: would change nothing", output, StringComparison.Ordinal);

        (exit, output, _) = await RunAsync("status");
        Assert.Equal(ExitCodes.Success, exit);
        var row = output.Split('\n').Single(l => l.StartsWith("alice ", StringComparison.Ordinal));
        Assert.Contains("alice@contoso.com", row, StringComparison.Ordinal);
        Assert.Contains("svc-sync", row, StringComparison.Ordinal);
        Assert.DoesNotContain("never", row, StringComparison.Ordinal);
        Assert.Contains(output.Split('\n'), l => l.StartsWith("svc-sync ", StringComparison.Ordinal) && l.Contains("1/100", StringComparison.Ordinal) && l.TrimEnd().EndsWith("ok", StringComparison.Ordinal));

        (exit, output, _) = await RunAsync("status", "--json");
        Assert.Equal(ExitCodes.Success, exit);
        using (var json = JsonDocument.Parse(output))
        {
            var user = json.RootElement.GetProperty("users").EnumerateArray().Single();
            Assert.Equal("alice", user.GetProperty("userId").GetString());
            Assert.Equal("svc-sync", user.GetProperty("identity").GetString());
        }

        (exit, output, _) = await RunAsync("reset", "--user", "alice");
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("pairs and relations forgotten", output, StringComparison.Ordinal);

        // After a reset the existing collections are found again and items pair by UID: nothing is written twice.
        (exit, output, error) = await RunAsync("sync", "--user", "alice");
        Assert.True(exit == ExitCodes.Success, output + error);
        Assert.Contains("calendar: nothing to do", output, StringComparison.Ordinal);
        Assert.Single(Directory.EnumerateDirectories(Path.Combine(folder, "nextcloud", "alice")), d => Path.GetFileName(d).Contains("calendar", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Check_RejectedIdentity_SaysWhatFailed_ExitFour()
    {
        WriteAdmins("wrong-password");

        var (exit, output, error) = await RunAsync("check");

        Assert.Equal(ExitCodes.Failed, exit);
        Assert.Contains("FAIL  identity svc-sync", output, StringComparison.Ordinal);
        Assert.Contains("Exchange rejected the identity's credentials", output, StringComparison.Ordinal);
        Assert.Contains("1 check(s) failed", error, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownUser_IsAUsageError()
    {
        var (exit, _, error) = await RunAsync("sync", "--user", "nobody");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("user nobody is not in the users file", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadConfiguration_EveryBadValueOnItsOwnLine_ExitThree()
    {
        var (exit, _, error) = await RunAsync("status", "--set", "Service__SyncMode=9", "--set", "Service__BatchLimit=0");

        Assert.Equal(ExitCodes.Configuration, exit);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("error: Service__SyncMode=9: not allowed; expected a bit mask", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("error: Service__BatchLimit=0: not allowed; expected items per fetch, 1 to 500", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Microsoft365Identity_IsAcceptedAtStart()
    {
        File.WriteAllText(Path.Combine(folder, "admins.json"), """[ { "Name": "m365", "ExchangeType": 1, "TenantId": "t", "ClientId": "c", "ClientSecret": "s" } ]""");

        var (exit, _, error) = await RunAsync("status");

        Assert.True(exit == ExitCodes.Success, error);
        Assert.DoesNotContain("m365", error, StringComparison.Ordinal);
    }
}

using System.Collections;
using Connector.Emulator;
using Connector.Sync.State;
using Connector.Worker.Configuration;

namespace Connector.Worker.Tests;

/// <summary>
/// What the worker tests that run the real thing share: a temporary folder for admins.json, users.json and the
/// SQLite state, an Exchange emulator, the settings an administrator would write, and waiting for a user's run.
/// </summary>
internal sealed class WorkerTestBed : IAsyncDisposable
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromMinutes(3);

    private WorkerTestBed(string folder, ExchangeEmulator emulator)
    {
        Folder = folder;
        Emulator = emulator;
    }

    /// <summary>The temporary folder (the settings' base path); deleted on dispose.</summary>
    public string Folder { get; }

    public ExchangeEmulator Emulator { get; }

    /// <param name="folderPrefix">Prefix of the temporary folder's name, e.g. <c>connector-credentials-</c>.</param>
    /// <param name="options">The emulator's options; default: any free port, the demo seed.</param>
    public static async Task<WorkerTestBed> StartAsync(string folderPrefix, EmulatorOptions? options = null)
    {
        var folder = Directory.CreateTempSubdirectory(folderPrefix).FullName;
        var emulator = await ExchangeEmulator.StartAsync(options ?? new EmulatorOptions { Port = 0, Seed = "demo" }, CancellationToken.None);
        return new WorkerTestBed(folder, emulator);
    }

    /// <summary>
    /// Writes admins.json and (unless null) users.json, readable by the owner only as the README tells administrators,
    /// and loads the settings from them with the state in state.db and <paramref name="environment"/> on top.
    /// </summary>
    public ConnectorSettings WriteSettings(string admins, string? users, params (string Key, string Value)[] environment)
    {
        WriteOwnerOnly("admins.json", admins);
        if (users is not null)
        {
            WriteOwnerOnly("users.json", users);
        }

        var variables = new Hashtable { ["Database__ConnectionString"] = "state.db" };
        foreach (var (key, value) in environment)
        {
            variables[key] = value;
        }

        return ConnectorSettings.Load(ConnectorConfiguration.Build(new ConfigurationSources { BasePath = Folder, Environment = variables }), Folder);
    }

    /// <summary>The user's record once <paramref name="condition"/> holds; with <paramref name="failOnError"/> a failed run fails the test at once.</summary>
    public static async Task<UserRecord> WaitForAsync(WorkerRuntime runtime, string userId, Func<UserRecord, bool> condition, bool failOnError = false)
    {
        var deadline = DateTime.UtcNow + WaitLimit;
        while (DateTime.UtcNow < deadline)
        {
            var user = await runtime.State.GetUserAsync(userId, CancellationToken.None);
            if (user is not null && condition(user))
            {
                return user;
            }

            if (failOnError)
            {
                Assert.True(user?.ConsecutiveFailures is null or 0, $"the run failed: {user?.LastError}");
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{userId} did not reach the expected state within 3 minutes");
    }

    /// <summary>When the user's next successful run after <paramref name="after"/> (or the first one) ended; a failed run fails the test.</summary>
    public static async Task<DateTimeOffset> WaitForSuccessAsync(WorkerRuntime runtime, string userId, DateTimeOffset? after) =>
        (await WaitForAsync(runtime, userId, u => u.LastSuccessAt is { } success && (after is null || success > after), failOnError: true)).LastSuccessAt!.Value;

    public async ValueTask DisposeAsync()
    {
        await Emulator.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }

    private void WriteOwnerOnly(string fileName, string text)
    {
        var path = Path.Combine(Folder, fileName);
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}

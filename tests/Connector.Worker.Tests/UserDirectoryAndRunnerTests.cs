using Connector.Sync.Stores;
using Connector.Worker.Configuration;
using Connector.Worker.Running;
using Connector.Worker.Users;

namespace Connector.Worker.Tests;

/// <summary>The user directory on SQLite (users in and out of the source) and the runner in sensitive mode.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes through IAsyncLifetime.DisposeAsync.")]
public sealed class UserDirectoryAndRunnerTests : IAsyncLifetime
{
    private WorkerTestBed bed = null!;

    public async Task InitializeAsync() => bed = await WorkerTestBed.StartAsync("connector-directory-");

    public async Task DisposeAsync() => await bed.DisposeAsync();

    private ConnectorSettings Settings(params (string Key, string Value)[] more) => bed.WriteSettings(
        $$"""[ { "Name": "svc-sync", "ExchangeType": 2, "Username": "svc-sync", "Password": "Passw0rd!", "EwsUrl": "{{bed.Emulator.EwsUri}}" } ]""",
        users: null,
        more);

    private sealed class ListSource : IUserSource
    {
        public List<ConsentingUser> Users { get; } = [];

        public Task<IReadOnlyList<ConsentingUser>> ListUsersAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ConsentingUser>>([.. Users]);
    }

    private ConsentingUser Vdir(string id, ItemKind? mode = null) =>
        new() { UserId = id, Mailbox = id + "@contoso.com", Nextcloud = new NextcloudAccount { VdirPath = Path.Combine(bed.Folder, "nc", id) }, SyncMode = mode };

    [Fact]
    public async Task Refresh_AddsUsersDueNow_KeepsTheirSchedule_DisablesUnlistedOnes_AndAssignsIdentities()
    {
        var source = new ListSource();
        source.Users.AddRange([Vdir("alice", ItemKind.Event), Vdir("bob")]);
        await using var runtime = await WorkerRuntime.CreateAsync(Settings(("Service__SyncMode", "3")), CancellationToken.None, users: source);

        var users = await runtime.Directory.RefreshAsync(CancellationToken.None);

        Assert.Equal(["alice", "bob"], users.Select(u => u.UserId));
        Assert.All(users, u => Assert.Equal("svc-sync", u.IdentityName));
        Assert.All(users, u => Assert.True(u.DueAt <= DateTimeOffset.UtcNow));
        Assert.Equal(ItemKind.Event, users[0].SyncMode);
        Assert.Equal(ItemKind.Event | ItemKind.Contact, users[1].SyncMode);

        var later = DateTimeOffset.UtcNow.AddHours(1);
        await runtime.State.UpsertUserAsync(users[1] with { DueAt = later }, CancellationToken.None);
        source.Users.RemoveAt(0);
        users = await runtime.Directory.RefreshAsync(CancellationToken.None);

        Assert.False(users[0].Enabled);
        Assert.Null(users[0].IdentityName);
        Assert.Equal(later, users[1].DueAt, TimeSpan.FromMilliseconds(1));
        Assert.Null(runtime.Directory.Find("alice"));

        source.Users.Add(Vdir("alice"));
        users = await runtime.Directory.RefreshAsync(CancellationToken.None);
        Assert.True(users[0].Enabled);
        Assert.Equal("svc-sync", users[0].IdentityName);
    }

    [Fact]
    public async Task MixedBackends_UsersGoToIdentitiesOfTheirMailboxType_AndOneWithoutATypeGetsNone()
    {
        var settings = bed.WriteSettings(
            $$"""
            [ { "Name": "svc-sync", "ExchangeType": 2, "Username": "svc-sync", "Password": "Passw0rd!", "EwsUrl": "{{bed.Emulator.EwsUri}}" },
              { "Name": "m365", "ExchangeType": 1, "TenantId": "t", "ClientId": "c", "ClientSecret": "s" } ]
            """,
            users: null);
        var source = new ListSource();
        source.Users.AddRange(
        [
            Vdir("alice") with { ExchangeType = Identities.ExchangeType.ExchangeServer },
            Vdir("bob") with { ExchangeType = Identities.ExchangeType.ExchangeServer },
            Vdir("dave") with { Mailbox = "dave@fabrikam.onmicrosoft.com", ExchangeType = Identities.ExchangeType.Microsoft365 },
            Vdir("erin"),
            Vdir("frank") with { Identity = "SVC-SYNC" },
            Vdir("gina") with { Identity = "no-such-identity" },
        ]);
        await using var runtime = await WorkerRuntime.CreateAsync(settings, CancellationToken.None, users: source);

        var users = (await runtime.Directory.RefreshAsync(CancellationToken.None)).ToDictionary(u => u.UserId);

        Assert.Equal("svc-sync", users["alice"].IdentityName);
        Assert.Equal("svc-sync", users["bob"].IdentityName);
        Assert.Equal("m365", users["dave"].IdentityName);
        Assert.Null(users["erin"].IdentityName);
        Assert.Equal("svc-sync", users["frank"].IdentityName); // pinned, names compared case-insensitively
        Assert.Null(users["gina"].IdentityName);
    }

    [Fact]
    public async Task SensitiveMode_NextcloudGetsTimeBlocksAndContacts_ButNoTasks()
    {
        var source = new ListSource();
        source.Users.Add(Vdir("alice"));
        var settings = Settings(("Service__SyncMode", "7"), ("Service__SyncType", "1"), ("Service__SensitiveSyncConfiguration__SensitiveTitle", "Blocked"));
        await using var runtime = await WorkerRuntime.CreateAsync(settings, CancellationToken.None, users: source);
        var user = (await runtime.Directory.RefreshAsync(CancellationToken.None)).Single();

        var outcome = await runtime.Runner.RunAsync(user, source.Users[0], dryRun: false, CancellationToken.None);

        Assert.Equal(UserRunStatus.Success, outcome.Status);
        Assert.Equal([ItemKind.Event, ItemKind.Contact], outcome.Kinds.Select(k => k.Kind));
        Assert.Contains(runtime.Warnings, w => w.Contains("tasks are not synced in sensitive mode", StringComparison.Ordinal));
        var files = Directory.EnumerateFiles(Path.Combine(bed.Folder, "nc", "alice"), "*.ics", SearchOption.AllDirectories).Select(File.ReadAllText).ToList();
        Assert.NotEmpty(files);
        Assert.All(files, text =>
        {
            Assert.Contains("SUMMARY:Blocked", text, StringComparison.Ordinal);
            Assert.Contains("X-CONNECTOR-MASKED:TRUE", text, StringComparison.Ordinal);
            Assert.DoesNotContain("ATTENDEE", text, StringComparison.Ordinal);
            Assert.DoesNotContain("LOCATION", text, StringComparison.Ordinal);
        });
        Assert.All(files, text => Assert.DoesNotContain("BEGIN:VTODO", text, StringComparison.Ordinal));

        // Contacts are not event details: they sync as they are (the product's "calendars and contacts in sensitive mode").
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(bed.Folder, "nc", "alice"), "*.vcf", SearchOption.AllDirectories));
    }
}

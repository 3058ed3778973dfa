using System.Net;

namespace Connector.Emulator.Tests;

public sealed class AccessTests
{
    [Fact]
    public async Task WrongPassword_Is401WithBasicChallenge()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var response = await scope.PostAsync(EmulatorScope.Envelope(Soap.SyncFolderItems("calendar", 1)), password: "wrong");

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
    }

    [Fact]
    public async Task BearerToken_Authenticates()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var response = await scope.PostAsync(EmulatorScope.Envelope(Soap.SyncFolderItems("calendar", 1)), bearer: "tester-token");

        response.AssertSuccess();
    }

    [Fact]
    public async Task Impersonation_NotAllowed_IsErrorImpersonateUserDenied()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var response = await scope.CallAsync(Soap.SyncFolderItems("calendar", 1), impersonate: "alice@contoso.com", user: "limited");

        Assert.Equal(HttpStatusCode.InternalServerError, response.Status);
        Assert.Equal("ErrorImpersonateUserDenied", response.FaultCode);
    }

    [Fact]
    public async Task Impersonation_Allowed_WorksOnTheImpersonatedMailbox()
    {
        await using var scope = await EmulatorScope.StartAsync();
        (await scope.CallAsync(Soap.CreateItem(Soap.Event("Bob's", "2026-03-02T10:00:00", "2026-03-02T11:00:00")), impersonate: "bob@contoso.com", user: "limited")).AssertSuccess();

        Assert.Single(scope.Emulator.Mailbox("bob@contoso.com").Items("calendar"));
        Assert.Empty(scope.Emulator.Mailbox("limited@contoso.com").Items("calendar"));
    }

    [Fact]
    public async Task Impersonation_UnknownMailbox_IsErrorNonExistentMailbox()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var response = await scope.CallAsync(Soap.SyncFolderItems("calendar", 1), impersonate: "nobody@contoso.com");

        Assert.Equal("ErrorNonExistentMailbox", response.FaultCode);
    }

    [Fact]
    public async Task ItemOfAnotherMailbox_IsErrorAccessDenied()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var (id, _) = (await scope.CallAsync(Soap.CreateItem(Soap.Event("Alice's", "2026-03-02T10:00:00", "2026-03-02T11:00:00")), impersonate: "alice@contoso.com")).AssertSuccess().FirstItemId();

        var response = await scope.CallAsync(Soap.GetItem(Soap.ItemId(id)), impersonate: "bob@contoso.com");

        Assert.Equal(["ErrorAccessDenied"], response.ResponseCodes);
    }

    [Fact]
    public async Task AccountWithoutMailbox_NeedsImpersonation()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var response = await scope.CallAsync(Soap.SyncFolderItems("calendar", 1), user: "nomailbox");

        Assert.Equal(["ErrorMissingEmailAddress"], response.ResponseCodes);
    }

    [Fact]
    public async Task AnchorMailbox_IsRecordedWithTheImpersonatedMailbox()
    {
        await using var scope = await EmulatorScope.StartAsync();
        await scope.CallAsync(Soap.SyncFolderItems("calendar", 1), impersonate: "alice@contoso.com", anchorMailbox: "alice@contoso.com");
        await scope.CallAsync(Soap.SyncFolderItems("calendar", 1), impersonate: "alice@contoso.com");

        var records = scope.Emulator.Requests.Snapshot();
        Assert.Equal(2, records.Count);
        Assert.Equal("alice@contoso.com", records[0].AnchorMailbox);
        Assert.True(records[0].AnchorMatchesImpersonation);
        Assert.Null(records[1].AnchorMailbox);
        Assert.False(records[1].AnchorMatchesImpersonation);
        Assert.All(records, r => Assert.Equal("SyncFolderItems", r.Operation));
        Assert.All(records, r => Assert.Equal("tester", r.Identity));
    }
}

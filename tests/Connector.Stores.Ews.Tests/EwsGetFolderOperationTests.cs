using Connector.Stores.Ews.Http;
using Connector.Stores.Ews.Operations;

namespace Connector.Stores.Ews.Tests;

public sealed class EwsGetFolderOperationTests
{
    [Fact]
    public async Task GetFolder_DistinguishedFolders_FindsCalendarContactsAndTasks()
    {
        await using var scope = await EwsEmulatorScope.StartAsync();
        var folders = await scope.Connect().SendAsync(
            new GetFolderOperation([EwsFolderRef.Distinguished(EwsFolderRef.Calendar), EwsFolderRef.Distinguished(EwsFolderRef.Contacts), EwsFolderRef.Distinguished(EwsFolderRef.Tasks)]),
            CancellationToken.None);

        Assert.Equal(3, folders.Count);
        Assert.Equal(["calendar", "contacts", "tasks"], folders.Select(f => f.Requested.DistinguishedId));
        Assert.All(folders, f =>
        {
            Assert.True(f.Found, f.ResponseCode);
            Assert.Equal("NoError", f.ResponseCode);
            Assert.False(string.IsNullOrEmpty(f.FolderId!.Id));
            Assert.False(string.IsNullOrEmpty(f.FolderId.ChangeKey));
            Assert.False(string.IsNullOrEmpty(f.DisplayName));
        });
        Assert.Equal(3, folders.Select(f => f.FolderId!.Id).Distinct().Count());
        Assert.Equal("Calendar", folders[0].DisplayName);
    }

    [Fact]
    public async Task GetFolder_Impersonating_SendsHeaderAndAnchorMailbox()
    {
        await using var scope = await EwsEmulatorScope.StartAsync();
        await scope.Connect(EwsEmulatorScope.Bob).SendAsync(new GetFolderOperation([EwsFolderRef.Distinguished("calendar")]), CancellationToken.None);

        var request = Assert.Single(scope.Emulator.Requests.Snapshot());
        Assert.Equal("GetFolder", request.Operation);
        Assert.Equal(EwsEmulatorScope.ServiceUser, request.Identity);
        Assert.Equal(EwsEmulatorScope.Bob, request.ImpersonatedMailbox);
        Assert.True(request.AnchorMatchesImpersonation);
        var body = Assert.Single(scope.SentBodies);
        Assert.Contains("<t:RequestServerVersion Version=\"Exchange2016\" />", body, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildEnvelope_WithoutImpersonation_HasNoImpersonationHeader()
    {
        using var http = new HttpClient();
        var connection = new EwsConnection(http, new EwsConnectionOptions { EwsUrl = new Uri("http://127.0.0.1/EWS/Exchange.asmx"), UserName = "u", Password = "p" });
        var body = System.Text.Encoding.UTF8.GetString(connection.BuildEnvelope(new GetFolderOperation([EwsFolderRef.Distinguished("calendar")])));

        Assert.DoesNotContain("ExchangeImpersonation", body, StringComparison.Ordinal);
        Assert.Empty(SchemaValidatingHandler.Validate(body));
    }
}

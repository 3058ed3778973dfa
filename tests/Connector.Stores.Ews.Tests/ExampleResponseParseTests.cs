using System.Xml.Linq;
using Connector.Domain;
using Connector.Stores.Ews.Http;
using Connector.Stores.Ews.Mapping;
using Connector.Stores.Ews.Operations;
using Connector.Sync.Stores;
using Microsoft.AspNetCore.Http;

namespace Connector.Stores.Ews.Tests;

/// <summary>
/// Every EWS example response in shared/protocols/examples (Microsoft's documentation) is read by the client's own
/// operation: the file is served as the HTTP answer, and the operation runs through <see cref="EwsConnection"/>
/// (envelope, response messages, the operation's parse step, the item mapping). Responses of operations the
/// client does not send are listed explicitly, with the reason. (The emulator accepting every example request is
/// Connector.Emulator.Tests' ExampleRequestTests.)
/// </summary>
public sealed class ExampleResponseParseTests
{
    private static readonly XNamespace T = EwsXml.Types;
    private static readonly XNamespace M = EwsXml.Messages;

    /// <summary>Responses of operations the connector never sends: FindItem and SyncFolderHierarchy.</summary>
    public static readonly IReadOnlyDictionary<string, string> WithoutClientOperation = new Dictionary<string, string>
    {
        ["ews-calendarview-finditem.04-FindItemResponse.xml"] = "FindItem: the store lists folders with SyncFolderItems (a change feed), never FindItem/CalendarView",
        ["ews-finditem.02-FindItemResponse.xml"] = "FindItem: as above",
        ["ews-syncfolderhierarchy.02-SyncFolderHierarchyResponse.xml"] = "SyncFolderHierarchy: the store syncs the distinguished folders it finds with GetFolder",
    };

    public static TheoryData<string> ParsedResponses => new(ResponseFiles().Where(f => !WithoutClientOperation.ContainsKey(f)));

    private static string ExamplesFolder => Path.Combine(SharedFixtures.SharedDirectory, "protocols", "examples");

    private static IEnumerable<string> ResponseFiles() =>
        Directory.GetFiles(ExamplesFolder, "ews-*Response.xml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal);

    [Fact]
    public void EveryExampleResponse_IsParsedHereOrListedWithoutAClientOperation()
    {
        var files = ResponseFiles().ToList();
        Assert.NotEmpty(files);
        Assert.All(WithoutClientOperation.Keys, f => Assert.Contains(f, files));
        Assert.All(files.Where(f => !WithoutClientOperation.ContainsKey(f)), f => Assert.NotNull(OperationFor(f)));
    }

    [Theory]
    [MemberData(nameof(ParsedResponses))]
    public async Task ExampleResponse_ParsesWithTheClientOperation(string file)
    {
        var example = await File.ReadAllTextAsync(Path.Combine(ExamplesFolder, file));
        await using var server = await CannedServer.StartAsync(http =>
        {
            http.Response.ContentType = "text/xml; charset=utf-8";
            return http.Response.WriteAsync(example);
        });
        using var httpClient = new HttpClient();
        var connection = new EwsConnection(httpClient, new EwsConnectionOptions { EwsUrl = server.EwsUri, UserName = "svc", Password = "pw" });

        var check = OperationFor(file)!;
        await check(connection, XDocument.Parse(example));
    }

    /// <summary>Sends the operation whose answer <paramref name="file"/> is, and checks what it read.</summary>
    /// <remarks>Expected values are read from the same file with LINQ to XML, independently of the client's reader.</remarks>
    private static Func<EwsConnection, XDocument, Task>? OperationFor(string file) => Operation(file) switch
    {
        "GetFolderResponse" => async (c, x) =>
        {
            var folder = Assert.Single(await c.SendAsync(new GetFolderOperation([EwsFolderRef.Distinguished("inbox")]), CancellationToken.None));
            Assert.True(folder.Found, file);
            var id = x.Descendants(T + "FolderId").Single();
            Assert.Equal(((string?)id.Attribute("Id"), (string?)id.Attribute("ChangeKey")), (folder.FolderId!.Id, folder.FolderId.ChangeKey));
            Assert.Equal(x.Descendants(T + "DisplayName").SingleOrDefault()?.Value, folder.DisplayName);
        },
        "CreateItemResponse" => async (c, x) =>
        {
            var result = Assert.Single(await c.SendAsync(new CreateItemOperation(EwsFolderRef.Distinguished("calendar"), [new XElement(T + "CalendarItem", new XElement(T + "Subject", "x"))]), CancellationToken.None));
            Assert.True(result.IsSuccess, $"{file}: {result.Reason}");
            var id = x.Descendants(T + "ItemId").Single();
            Assert.Equal(((string?)id.Attribute("Id"), (string?)id.Attribute("ChangeKey")), (result.Id, result.Version));
        },
        "UpdateItemResponse" => async (c, x) =>
        {
            var result = await c.SendAsync(new UpdateItemOperation(new EwsItemId("id", "ck"), new XElement(T + "Contact", new XElement(T + "GivenName", "x"))), CancellationToken.None);
            Assert.True(result.IsSuccess, $"{file}: {result.Reason}");
            Assert.Equal((string?)x.Descendants(T + "ItemId").Single().Attribute("ChangeKey"), result.Version);
        },
        "DeleteItemResponse" => async (c, _) =>
        {
            var result = Assert.Single(await c.SendAsync(new DeleteItemOperation([new EwsItemId("id", "ck")]), CancellationToken.None));
            Assert.True(result.IsSuccess, $"{file}: {result.Reason}");
        },
        "SyncFolderItemsResponse" => async (c, x) =>
        {
            var page = await c.SendAsync(new SyncFolderItemsOperation(EwsFolderRef.Distinguished("inbox"), null), CancellationToken.None);
            Assert.Equal(SyncFolderItemsStatus.Changes, page.Status);
            Assert.Equal(x.Descendants(M + "SyncState").Single().Value.Trim(), page.SyncState);
            Assert.Equal(bool.Parse(x.Descendants(M + "IncludesLastItemInRange").Single().Value), page.IncludesLastItemInRange);
            var expected = x.Descendants(M + "Changes").Single().Elements().Select(e => (e.Name.LocalName, (string?)e.Descendants(T + "ItemId").First().Attribute("Id"))).ToList();
            Assert.Equal(expected, page.Changes.Select(ch => (ch.Type.ToString(), (string?)ch.ItemId.Id)).ToList());
        },
        "GetItemResponse" when file.Contains("task", StringComparison.Ordinal) => async (c, x) =>
        {
            var result = Assert.Single(await c.SendAsync(new GetItemOperation<EwsItem<TaskItem>>([new EwsItemId("id")], r => EwsTaskMapping.Read(r)), CancellationToken.None));
            Assert.Equal(EwsItemStatus.Found, result.Status);
            var id = x.Descendants(T + "ItemId").Single();
            Assert.Equal(((string?)id.Attribute("Id"), (string?)id.Attribute("ChangeKey")), (result.Item!.ItemId, result.Item.ChangeKey));
            Assert.Equal(x.Descendants(T + "Subject").SingleOrDefault()?.Value, result.Item.Item.Summary);
        },
        "GetItemResponse" => async (c, x) =>
        {
            var result = Assert.Single(await c.SendAsync(new GetItemOperation<EwsItem<CalendarEvent>>([new EwsItemId("id")], r => EwsCalendarItemReader.Read(r)), CancellationToken.None));
            Assert.Equal(EwsItemStatus.Found, result.Status);
            var id = x.Descendants(T + "ItemId").Single();
            Assert.Equal(((string?)id.Attribute("Id"), (string?)id.Attribute("ChangeKey")), (result.Item!.ItemId, result.Item.ChangeKey));
            Assert.Equal(x.Descendants(T + "Subject").SingleOrDefault()?.Value, result.Item.Item.Summary);
        },
        _ => null,
    };

    /// <summary>"ews-getitem-task.02-GetItemResponse.xml" → "GetItemResponse".</summary>
    private static string Operation(string file) => Path.GetFileNameWithoutExtension(file).Split('-').Last();
}

using System.Xml;
using Connector.Stores.Ews.Http;
using Connector.Stores.Ews.Operations;

namespace Connector.Stores.Ews.Tests;

public sealed class EwsGetItemOperationTests
{
    // A stand-in for the mapping layer: the element name and its t:Subject and t:UID.
    private static (string Element, string? Subject, string? Uid) ReadRaw(XmlReader item)
    {
        var element = item.LocalName;
        string? subject = null;
        string? uid = null;
        EwsXml.ForEachChild(item, property =>
        {
            switch (property.LocalName)
            {
                case "Subject":
                    subject = EwsXml.ReadText(property);
                    break;
                case "UID":
                    uid = EwsXml.ReadText(property);
                    break;
                default:
                    property.Skip();
                    break;
            }
        });
        return (element, subject, uid);
    }

    [Fact]
    public async Task GetItem_BatchWithBogusId_ReturnsRawItemsAndNotFound()
    {
        await using var scope = await EwsEmulatorScope.StartAsync();
        var ids = (await scope.ListAsync(await scope.FolderAsync("calendar"))).Take(4).ToList();

        // A well-formed id of an item that no longer exists: moved to Deleted Items, it has a new id.
        var bogus = ids[3];
        Assert.True((await scope.Connect().SendAsync(new DeleteItemOperation([bogus]), CancellationToken.None))[0].IsSuccess);
        var batch = new List<EwsItemId> { ids[0], bogus, ids[1], ids[2] };

        var results = await scope.Connect().SendAsync(new GetItemOperation<(string Element, string? Subject, string? Uid)>(batch, ReadRaw), CancellationToken.None);

        Assert.Equal(4, results.Count);
        Assert.Equal(batch, results.Select(r => r.Requested));
        Assert.Equal(EwsItemStatus.NotFound, results[1].Status);
        Assert.Equal("ErrorItemNotFound", results[1].ResponseCode);
        foreach (var found in new[] { results[0], results[2], results[3] })
        {
            Assert.Equal(EwsItemStatus.Found, found.Status);
            Assert.Equal("CalendarItem", found.Item.Element);
            Assert.False(string.IsNullOrEmpty(found.Item.Subject));
            Assert.False(string.IsNullOrEmpty(found.Item.Uid)); // AllProperties includes UID, Default does not
        }
    }

    [Fact]
    public async Task GetItem_MalformedId_IsPerItemFailure()
    {
        await using var scope = await EwsEmulatorScope.StartAsync();
        var ids = await scope.ListAsync(await scope.FolderAsync("contacts"));

        var results = await scope.Connect().SendAsync(new GetItemOperation<string>([new EwsItemId("not-an-id"), ids[0]], r => { var n = r.LocalName; r.Skip(); return n; }), CancellationToken.None);

        Assert.Equal(EwsItemStatus.Failed, results[0].Status);
        Assert.Equal("ErrorInvalidIdMalformed", results[0].ResponseCode);
        Assert.Equal(EwsItemStatus.Found, results[1].Status);
        Assert.Equal("Contact", results[1].Item);
    }

    [Fact]
    public async Task GetItem_AdditionalPropertiesAndBodyType_AreSentValid()
    {
        await using var scope = await EwsEmulatorScope.StartAsync();
        var ids = await scope.ListAsync(await scope.FolderAsync("calendar"));

        var results = await scope.Connect().SendAsync(
            new GetItemOperation<string>(
                [ids[0]],
                r => r.ReadOuterXml(),
                writer =>
                {
                    writer.WriteStartElement("t", "ExtendedFieldURI", EwsXml.Types);
                    writer.WriteAttributeString("DistinguishedPropertySetId", "PublicStrings");
                    writer.WriteAttributeString("PropertyName", "ConnectorSyncId");
                    writer.WriteAttributeString("PropertyType", "String");
                    writer.WriteEndElement();
                },
                bodyType: "Text"),
            CancellationToken.None);

        Assert.Equal(EwsItemStatus.Found, results[0].Status);
        Assert.Contains("BodyType=\"Text\"", results[0].Item, StringComparison.Ordinal);
    }

    [Fact]
    public async Task S21_CallbackThrowsForOneItem_ThatItemIsUnreadableRestFound()
    {
        await using var scope = await EwsEmulatorScope.StartAsync();
        var ids = (await scope.ListAsync(await scope.FolderAsync("tasks"))).Take(3).ToList();
        var calls = 0;

        var results = await scope.Connect().SendAsync(
            new GetItemOperation<string>(ids, r =>
            {
                if (++calls == 2)
                {
                    throw new FormatException("bad due date");
                }

                r.Skip();
                return "ok";
            }),
            CancellationToken.None);

        Assert.Equal([EwsItemStatus.Found, EwsItemStatus.Unreadable, EwsItemStatus.Found], results.Select(r => r.Status));
        Assert.Contains("bad due date", results[1].MessageText, StringComparison.Ordinal);
        Assert.Null(results[1].Item);
    }
}

using System.Xml.Linq;
using Connector.Stores.Ews.Operations;
using Connector.Testing;

namespace Connector.Stores.Ews.Tests;

public sealed class EwsFindCalendarViewOperationTests
{
    [Fact]
    public void MicrosoftsCalendarViewResponse_Parses_AndSaysTheViewWasCutShort()
    {
        // shared/protocols/examples: MaxEntriesReturned=5 of 33 items, so IncludesLastItemInRange is false.
        var path = Path.Combine(SharedFixtures.SharedDirectory, "protocols", "examples", "ews-calendarview-finditem.04-FindItemResponse.xml");
        var body = XDocument.Load(path).Root!.Elements().Single(e => e.Name.LocalName == "Body");
        using var reader = body.Elements().Single().CreateReader();
        reader.MoveToContent();

        var view = new FindCalendarViewOperation(EwsFolderRef.ById("AAMk"), new DateTime(2013, 8, 21, 17, 30, 0, DateTimeKind.Utc), new DateTime(2013, 9, 20, 17, 30, 0, DateTimeKind.Utc)).Parse(reader);

        Assert.False(view.IsComplete);
        Assert.Equal(5, view.Entries.Count);
        Assert.Equal(new DateTime(2013, 8, 21, 19, 30, 0, DateTimeKind.Utc), view.Entries[0].StartUtc);
        Assert.Equal("DwAA", view.Entries[0].ItemId.ChangeKey);
        Assert.All(view.Entries, e => Assert.Null(e.OriginalStartUtc));
    }
}

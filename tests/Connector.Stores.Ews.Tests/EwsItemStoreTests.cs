using Connector.Domain;
using Connector.Sync.Stores;
using Connector.Testing.Conformance;

namespace Connector.Stores.Ews.Tests;

public sealed class EwsItemStoreTests
{
    [Fact]
    public async Task CreateAndUpdate_EventWithAttendees_SendsNothing()
    {
        // S01: the other side already invited the attendees; Exchange must not send a second invitation or update.
        await using var scope = await EwsEmulatorScope.StartAsync();
        var store = new EwsItemStore(scope.Http, new EwsStoreOptions
        {
            EwsUrl = scope.Emulator.EwsUri,
            UserName = EwsEmulatorScope.ServiceUser,
            Password = EwsEmulatorScope.ServicePassword,
            Mailbox = EwsEmulatorScope.Alice,
            MailboxTimeZone = "Europe/Berlin",
        });
        var calendar = Assert.Single(await store.DiscoverCollectionsAsync(ItemKind.Event, CancellationToken.None));
        scope.Emulator.ClearOutbox();
        var ev = ConformanceItems.Event("s01-" + Guid.NewGuid().ToString("N"));
        var bob = new Attendee { Email = EwsEmulatorScope.Bob, Name = "Bob", Status = ParticipationStatus.NeedsAction };

        var created = await store.CreateAsync(calendar, ev with { Attendees = ev.Attendees.Add(bob) }, CancellationToken.None);
        Assert.True(created.IsSuccess, $"{created.Status} {created.Reason}");
        var updated = await store.UpdateAsync(calendar, created.Id!, created.Version!, ConformanceItems.Event(ev.Uid, revision: 2), CancellationToken.None);
        Assert.True(updated.IsSuccess, $"{updated.Status} {updated.Reason}");
        Assert.NotEqual(created.Version, updated.Version);

        Assert.Empty(scope.Emulator.AllOutbox());
    }

    [Fact]
    public async Task CalendarReader_ZoneDefinitionThenZoneId_Returns()
    {
        // Regression: StartTimeZone (a full definition) before StartTimeZoneId, as Exchange 2010+ and the emulator
        // answer AllProperties, left StartTimeZoneId unread (a short-circuited ??=) and the reader spun forever.
        const string Xml = """
            <t:CalendarItem xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">
              <t:UID>zone-order</t:UID><t:Start>2025-03-10T08:00:00Z</t:Start><t:End>2025-03-10T09:00:00Z</t:End>
              <t:TimeZone>(UTC+01:00) Central European Time (Berlin)</t:TimeZone>
              <t:StartTimeZone Id="W. Europe Standard Time" /><t:EndTimeZone Id="W. Europe Standard Time" />
              <t:StartTimeZoneId>W. Europe Standard Time</t:StartTimeZoneId><t:EndTimeZoneId>W. Europe Standard Time</t:EndTimeZoneId>
            </t:CalendarItem>
            """;
        var read = Task.Run(() => global::Connector.Stores.Ews.Mapping.EwsCalendarItemReader.Read(System.Xml.XmlReader.Create(new StringReader(Xml))));

        var ev = await read.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("zone-order", ev.Item.Uid);
        Assert.Equal("Europe/Berlin", ev.Item.Start!.Value.TimeZoneId);
    }
}

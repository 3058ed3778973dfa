using Connector.Domain;
using Connector.Sync.Engine;
using Connector.Sync.Stores;
using Connector.Sync.Tests.Fakes;

namespace Connector.Sync.Tests.Engine;

/// <summary>S03 for contacts: pairs by UID, then by name + e-mail, never creating a contact twice.</summary>
public sealed class ContactPairingTests
{
    private static Contact Person(string uid, string name, params string[] emails) => new()
    {
        Uid = uid,
        FormattedName = name,
        Emails = [.. emails.Select(e => new TypedValue { Value = e, Types = ["work"] })],
    };

    [Fact]
    public void Matcher_PairsByNormalisedNameAndAnySharedAddress()
    {
        var matches = ContactMatcher.Match(
            [Person("ex-1", "Anna  Müller", "Anna@Example.org"), Person("ex-2", "Bob Stone", "bob@example.org")],
            [Person("nc-1", "anna müller", "private@example.net", "anna@example.org"), Person("nc-2", "Bob Stone", "robert@example.org")]);

        Assert.Equal([("ex-1", "nc-1")], matches);
    }

    [Fact]
    public void Matcher_UsesStructuredNameWhenThereIsNoDisplayName()
    {
        var exchange = new Contact { Uid = "ex", Name = new StructuredName { Given = "Carla", Family = "Diaz" }, Emails = [new TypedValue { Value = "c@x.org" }] };
        var nextcloud = Person("nc", "Carla Diaz", "c@x.org");

        Assert.Equal([("ex", "nc")], ContactMatcher.Match([exchange], [nextcloud]));
    }

    [Fact]
    public void Matcher_PairsNothingWhenAKeyIsAmbiguous()
    {
        // Two different "John Smith" without an address on one side: merging could lose a person.
        var matches = ContactMatcher.Match(
            [Person("ex-1", "John Smith"), Person("ex-2", "John Smith")],
            [Person("nc-1", "John Smith")]);

        Assert.Empty(matches);
    }

    [Fact]
    public void Matcher_NeverPairsNamelessContactsOrDifferentAddresses()
    {
        Assert.Empty(ContactMatcher.Match([Person("ex", "", "a@x.org")], [Person("nc", "", "a@x.org")]));
        Assert.Empty(ContactMatcher.Match([Person("ex", "Ann", "a@x.org")], [Person("nc", "Ann", "b@x.org")]));
        Assert.Empty(ContactMatcher.Match([Person("ex", "Ann", "a@x.org")], [Person("nc", "Ann")]));
    }

    [Fact]
    public async Task S03_ContactsOnBothSidesUnderDifferentUids_ArePairedNotDuplicated()
    {
        var h = await SyncHarness.CreateAsync();
        h.Exchange.Put(Person("AAMkAD-ex-1", "Anna Müller", "anna@example.org"));
        h.Exchange.Put(Person("AAMkAD-ex-2", "Bob Stone", "bob@example.org"));
        h.Exchange.Put(Person("AAMkAD-ex-3", "Only In Exchange", "oie@example.org"));
        h.Nextcloud.Put(Person("vcard-1", "anna müller", "anna@example.org"));
        h.Nextcloud.Put(Person("vcard-2", "Bob Stone", "bob@example.org") with { Title = "Engineer" });
        h.Nextcloud.Put(Person("vcard-4", "Only In Nextcloud", "oin@example.org"));

        var first = await h.RunAsync();

        Assert.Equal(4, h.Exchange.Items.Count);
        Assert.Equal(4, h.Nextcloud.Items.Count);
        Assert.Equal(h.Exchange.All.Select(i => i.Uid).Order(), h.Nextcloud.All.Select(i => i.Uid).Order());
        Assert.Equal("vcard-1", h.Exchange.ByUid("vcard-1")?.Uid);

        // Bob differed (title only in Nextcloud): ExchangeWins puts Exchange's content in Nextcloud.
        Assert.Null(((Contact)h.Nextcloud.ByUid("vcard-2")!).Title);
        Assert.Equal(2, first.Count(SyncActionKind.Update, Side.Exchange)); // the two UID adoptions
        Assert.Equal(1, first.Count(SyncActionKind.Create, Side.Exchange));
        Assert.Equal(1, first.Count(SyncActionKind.Create, Side.Nextcloud));

        var second = await h.RunAsync();
        Assert.Equal(0, second.Writes);
        Assert.Empty(second.Planned);
    }

    [Fact]
    public async Task S03_NextcloudWins_AdoptsUidAndThenTakesNextcloudContent()
    {
        var h = await SyncHarness.CreateAsync();
        h.Exchange.Put(Person("ex-1", "Bob Stone", "bob@example.org"));
        h.Nextcloud.Put(Person("nc-1", "Bob Stone", "bob@example.org") with { Title = "Engineer" });

        await h.RunAsync(new SyncOptions { ConflictPolicy = ConflictPolicy.NextcloudWins });

        Assert.Single(h.Exchange.Items);
        Assert.Equal("Engineer", ((Contact)h.Exchange.ByUid("nc-1")!).Title);
        Assert.Equal(0, (await h.RunAsync(new SyncOptions { ConflictPolicy = ConflictPolicy.NextcloudWins })).Writes);
    }

    [Fact]
    public async Task S03_DryRun_PlansTheAdoptionAndWritesNothing()
    {
        var h = await SyncHarness.CreateAsync();
        h.Exchange.Put(Person("ex-1", "Anna Müller", "anna@example.org"));
        h.Nextcloud.Put(Person("nc-1", "Anna Müller", "anna@example.org"));

        var plan = await h.RunAsync(new SyncOptions { DryRun = true });

        Assert.Equal("would update 1 in Exchange", plan.Describe());
        Assert.Equal(0, h.Exchange.Writes + h.Nextcloud.Writes);
        Assert.Equal("ex-1", h.Exchange.All.Single().Uid);
    }

    [Fact]
    public async Task S03_FailedAdoption_CreatesNothingAndIsRetried()
    {
        var h = await SyncHarness.CreateAsync();
        h.Exchange.Put(Person("ex-1", "Anna Müller", "anna@example.org"));
        h.Nextcloud.Put(Person("nc-1", "Anna Müller", "anna@example.org"));
        h.Exchange.WriteFault = _ => WriteStatus.PreconditionFailed;

        var failed = await h.RunAsync();

        Assert.Single(failed.Problems);
        Assert.Single(h.Exchange.Items);
        Assert.Single(h.Nextcloud.Items);

        h.Exchange.WriteFault = null;
        await h.RunAsync();
        Assert.Equal("nc-1", h.Exchange.All.Single().Uid);
        Assert.Single(h.Nextcloud.Items);
        Assert.Equal(0, (await h.RunAsync()).Writes);
    }
}

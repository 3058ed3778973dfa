using Connector.Domain;
using Connector.Emulator;
using Connector.Sync.Stores;
using Connector.Testing.Conformance;

namespace Connector.Stores.Ews.Tests;

/// <summary>
/// One in-process demo-seeded emulator for the whole conformance class, with every request validated against the
/// EWS schema (asserted when the class is done). Each collection the suite asks for is a fresh mailbox.
/// </summary>
public sealed class EwsConformanceEmulator : IAsyncLifetime
{
    private EwsEmulatorScope? scope;

    internal EwsEmulatorScope Scope => scope ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => scope = await EwsEmulatorScope.StartAsync();

    public async Task DisposeAsync()
    {
        if (scope is not null)
        {
            await scope.DisposeAsync();
        }
    }

    /// <summary>A store on a new, empty mailbox of the emulator.</summary>
    public EwsItemStore NewMailboxStore(out string mailbox)
    {
        mailbox = $"conformance-{Guid.NewGuid():N}@contoso.com";
        Scope.Emulator.Mailbox(mailbox);
        return new EwsItemStore(Scope.Http, new EwsStoreOptions
        {
            EwsUrl = Scope.Emulator.EwsUri,
            UserName = EwsEmulatorScope.ServiceUser,
            Password = EwsEmulatorScope.ServicePassword,
            Mailbox = mailbox,
            MailboxTimeZone = "Europe/Berlin",
        });
    }
}

/// <summary>
/// The store conformance suite against the Exchange emulator. Exchange allows duplicate UIDs (and the store does
/// not search for them), so <see cref="EnforcesUidUniqueness"/> is false: a second create succeeds under a new id
/// and leaves the first item alone. Items cannot be planted as raw bytes (EWS stores properties, not files).
/// </summary>
public sealed class EwsStoreConformanceTests(EwsConformanceEmulator emulator) : ItemStoreConformanceTests<EwsItemStore>, IClassFixture<EwsConformanceEmulator>
{
    protected override bool EnforcesUidUniqueness => false;


    protected override async Task<(EwsItemStore Store, CollectionInfo Collection)> CreateCollectionAsync(ItemKind kind, CancellationToken cancellationToken)
    {
        var store = emulator.NewMailboxStore(out _);
        var collection = await store.CreateCollectionAsync($"Conformance {kind}", kind, cancellationToken);
        return (store, collection);
    }

    /// <summary>
    /// Exchange keeps the fields the mapping writes, but not all of them as given. Taken from the stored item, not
    /// compared: server stamps (Created, LastModified, a contact's Revision: Exchange sets DateTimeCreated and
    /// LastModifiedTime itself); an event's Organizer (read-only in EWS: the mailbox owner organizes what it
    /// creates) and Sequence (AppointmentSequenceNumber is read-only, Exchange counts it); a task's Sequence (no
    /// EWS field) and PercentComplete when none was given (Exchange derives 0 % from NotStarted); a contact's e-mail
    /// types (EmailAddress1–3 carry no types). Everything else must be equal.
    /// </summary>
    protected override void AssertSameItem(ISyncItem expected, ISyncItem actual)
    {
        var normalized = (expected, actual) switch
        {
            (CalendarEvent e, CalendarEvent a) => a with { Organizer = e.Organizer, Sequence = e.Sequence, Created = e.Created, LastModified = e.LastModified },
            (TaskItem e, TaskItem a) => a with
            {
                Sequence = e.Sequence,
                Created = e.Created,
                LastModified = e.LastModified,
                PercentComplete = e.PercentComplete is null && a.PercentComplete is 0 or 100 ? null : a.PercentComplete,
            },
            (Contact e, Contact a) => a with
            {
                Revision = e.Revision,
                Emails = [.. a.Emails.Select((m, i) => i < e.Emails.Count && e.Emails[i].Value == m.Value ? m with { Types = e.Emails[i].Types } : m)],
            },
            _ => actual,
        };
        Assert.True(expected.Equals(normalized), $"stored item differs from the written one:\nexpected {expected}\nactual   {normalized}");
    }
}

using Connector.Domain;
using Connector.Sync.Stores;
using Connector.Testing.Conformance;

namespace Connector.Stores.Graph.Tests;

/// <summary>One in-process emulator with a Microsoft 365 tenant for the whole conformance class; each collection is a new mailbox.</summary>
public sealed class GraphConformanceEmulator : IAsyncLifetime
{
    private GraphEmulatorScope? scope;

    internal GraphEmulatorScope Scope => scope ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => scope = await GraphEmulatorScope.StartAsync();

    public async Task DisposeAsync()
    {
        if (scope is not null)
        {
            await scope.DisposeAsync();
        }
    }
}

/// <summary>
/// The store conformance suite against the emulator's Graph v1.0. Exchange allows duplicate UIDs (and the store does
/// not search for them), so <see cref="EnforcesUidUniqueness"/> is false. Items cannot be planted as raw bytes. The
/// calendar window is widened to include the suite's dates (S20 is tested on its own in <see cref="GraphItemStoreTests"/>).
/// </summary>
public sealed class GraphStoreConformanceTests(GraphConformanceEmulator emulator) : ItemStoreConformanceTests<GraphItemStore>, IClassFixture<GraphConformanceEmulator>
{
    protected override bool EnforcesUidUniqueness => false;

    protected override async Task<(GraphItemStore Store, CollectionInfo Collection)> CreateCollectionAsync(ItemKind kind, CancellationToken cancellationToken)
    {
        // The suite's events are in March 2025: the calendar window reaches back far enough to see them change.
        var store = emulator.Scope.Store(emulator.Scope.NewMailbox("conformance"), o => new GraphStoreOptions
        {
            BaseUri = o.BaseUri,
            Mailbox = o.Mailbox,
            MailboxTimeZone = o.MailboxTimeZone,
            WindowPast = DateTime.UtcNow - new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        });
        var collection = await store.CreateCollectionAsync($"Conformance {kind} {Guid.NewGuid():N}", kind, cancellationToken);
        return (store, collection);
    }

    /// <summary>
    /// Graph keeps the fields the mapping writes, but not all of them as given. Taken from the stored item, not
    /// compared: server stamps (Created, LastModified, a contact's Revision); an event's Sequence (Graph has none);
    /// a task's Sequence (To Do has none); a contact's e-mail types (Graph's emailAddresses carry none).
    /// Everything else must be equal.
    /// </summary>
    protected override void AssertSameItem(ISyncItem expected, ISyncItem actual)
    {
        var normalized = (expected, actual) switch
        {
            (CalendarEvent e, CalendarEvent a) => a with { Sequence = e.Sequence, Created = e.Created, LastModified = e.LastModified },
            (TaskItem e, TaskItem a) => a with { Sequence = e.Sequence, Created = e.Created, LastModified = e.LastModified },
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

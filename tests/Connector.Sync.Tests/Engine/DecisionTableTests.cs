using Connector.Sync.Engine;
using Connector.Sync.Tests.Fakes;
using Connector.Testing.Fakes;

namespace Connector.Sync.Tests.Engine;

/// <summary>
/// Every cell of the decision table, under each conflict policy and both edit-versus-delete rules,
/// end to end through the synchronizer; each is followed by a second run that must plan nothing.
/// </summary>
public class DecisionTableTests
{
    /// <summary>What a side does between the first and the second sync.</summary>
    public enum Edit
    {
        None,
        Change,
        Delete,
        ChangeToSame,
    }

    public static IEnumerable<object[]> Cells()
    {
        foreach (var policy in Enum.GetValues<ConflictPolicy>())
        {
            foreach (var editBeatsDelete in new[] { true, false })
            {
                foreach (var e in new[] { Edit.None, Edit.Change, Edit.Delete })
                {
                    foreach (var n in new[] { Edit.None, Edit.Change, Edit.Delete })
                    {
                        yield return [policy, editBeatsDelete, e, n];
                    }
                }

                yield return [policy, editBeatsDelete, Edit.ChangeToSame, Edit.ChangeToSame];
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Cell_AfterFirstSync_ReachesExpectedStateAndSecondRunPlansNothing(ConflictPolicy policy, bool editBeatsDelete, Edit exchange, Edit nextcloud)
    {
        var options = new SyncOptions { ConflictPolicy = policy, EditBeatsDelete = editBeatsDelete };
        var h = await SyncHarness.CreateAsync();
        h.Exchange.Put(SyncHarness.Event("u1", "original"));
        await h.RunAsync(options);
        Assert.Equal("original", SyncHarness.SummaryOf(h.Nextcloud, "u1"));

        Apply(h.Exchange, exchange, "exchange edit", minute: 10);
        Apply(h.Nextcloud, nextcloud, "nextcloud edit", minute: 20); // Nextcloud's edit is the newer one
        await h.RunAsync(options);

        var expected = Expected(policy, editBeatsDelete, exchange, nextcloud);
        Assert.Equal(expected, SyncHarness.SummaryOf(h.Exchange, "u1"));
        Assert.Equal(expected, SyncHarness.SummaryOf(h.Nextcloud, "u1"));
        Assert.Equal(expected is null ? 0 : 1, h.State.Relations(h.Pair.PairId).Count);

        var second = await h.RunAsync(options);
        Assert.Empty(second.Planned);
        Assert.Equal(0, second.Writes);
    }

    private static void Apply(InMemoryItemStore store, Edit edit, string summary, int minute)
    {
        switch (edit)
        {
            case Edit.Change:
                store.Put(SyncHarness.Event("u1", summary, minute));
                break;
            case Edit.ChangeToSame:
                store.Put(SyncHarness.Event("u1", "same on both", 30));
                break;
            case Edit.Delete:
                store.Remove("u1");
                break;
        }
    }

    private static string? Expected(ConflictPolicy policy, bool editBeatsDelete, Edit e, Edit n) => (e, n) switch
    {
        (Edit.None, Edit.None) => "original",
        (Edit.Change, Edit.None) => "exchange edit",
        (Edit.None, Edit.Change) => "nextcloud edit",
        (Edit.ChangeToSame, Edit.ChangeToSame) => "same on both",
        (Edit.Change, Edit.Change) => policy == ConflictPolicy.ExchangeWins ? "exchange edit" : "nextcloud edit",
        (Edit.Delete, Edit.Change) => editBeatsDelete ? "nextcloud edit" : null,
        (Edit.Change, Edit.Delete) => editBeatsDelete ? "exchange edit" : null,
        _ => null, // a deletion on one side with no edit on the other, or on both
    };

    [Theory]
    [InlineData(ConflictPolicy.ExchangeWins)]
    [InlineData(ConflictPolicy.NextcloudWins)]
    [InlineData(ConflictPolicy.NewestWins)]
    public async Task NoRelation_ItemOnOneSide_IsCreatedOnTheOther(ConflictPolicy policy)
    {
        var options = new SyncOptions { ConflictPolicy = policy };
        var h = await SyncHarness.CreateAsync();
        h.Exchange.Put(SyncHarness.Event("from-exchange", "E"));
        h.Nextcloud.Put(SyncHarness.Event("from-nextcloud", "N"));

        var report = await h.RunAsync(options);

        Assert.Equal("E", SyncHarness.SummaryOf(h.Nextcloud, "from-exchange"));
        Assert.Equal("N", SyncHarness.SummaryOf(h.Exchange, "from-nextcloud"));
        Assert.Equal(1, report.Count(SyncActionKind.Create, Side.Nextcloud));
        Assert.Equal(1, report.Count(SyncActionKind.Create, Side.Exchange));
        Assert.Empty((await h.RunAsync(options)).Planned);
    }

    [Theory]
    [InlineData(ConflictPolicy.ExchangeWins, "E version")]
    [InlineData(ConflictPolicy.NextcloudWins, "N version")]
    [InlineData(ConflictPolicy.NewestWins, "N version")]
    public async Task S03_FirstSync_SameUidOnBothSides_PairsWithoutDuplicates(ConflictPolicy policy, string expected)
    {
        var options = new SyncOptions { ConflictPolicy = policy };
        var h = await SyncHarness.CreateAsync();
        h.Exchange.Put(SyncHarness.Event("shared", "E version", minute: 1));
        h.Nextcloud.Put(SyncHarness.Event("shared", "N version", minute: 2));
        h.Exchange.Put(SyncHarness.Event("identical", "same"));
        h.Nextcloud.Put(SyncHarness.Event("identical", "same"));

        var report = await h.RunAsync(options);

        Assert.Equal(2, h.Exchange.Items.Count);
        Assert.Equal(2, h.Nextcloud.Items.Count);
        Assert.Equal(expected, SyncHarness.SummaryOf(h.Exchange, "shared"));
        Assert.Equal(expected, SyncHarness.SummaryOf(h.Nextcloud, "shared"));
        Assert.Equal(1, report.Writes);
        Assert.Empty((await h.RunAsync(options)).Planned);
    }

    [Fact]
    public void DecisionTable_EveryObservationPair_HasADecision()
    {
        foreach (var e in Enum.GetValues<Observation>())
        {
            foreach (var n in Enum.GetValues<Observation>())
            {
                foreach (var same in new[] { true, false })
                {
                    // Must not throw; Unchanged/Unchanged is the only "nothing to do".
                    var action = DecisionTable.Decide("u", e, n, same, null, new SyncOptions());
                    Assert.Equal(e == Observation.Unchanged && n == Observation.Unchanged, action is null);
                }
            }
        }
    }
}

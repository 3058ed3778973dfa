using Connector.Sync.Engine;
using Connector.Sync.Stores;
using Connector.Sync.Tests.Fakes;
using CsCheck;

namespace Connector.Sync.Tests.Engine;

/// <summary>
/// Stateful property test: random creates, edits, deletes and version rewrites on both sides, syncs
/// with failing writes, dropped connections, crashes before commits and forgotten tokens; then clean
/// syncs. Invariants: converged, nothing duplicated, nothing lost (an item whose last user action
/// was an edit exists on both sides), and a final run plans nothing.
/// </summary>
public class ConvergencePropertyTests
{
    /// <summary>Set CONNECTOR_DEBUG_SYNC=1 (with CsCheck_Seed) to print each step of a failing history.</summary>
    private static readonly bool Trace = Environment.GetEnvironmentVariable("CONNECTOR_DEBUG_SYNC") == "1";

    public enum OpKind
    {
        PutExchange,
        PutNextcloud,
        DeleteExchange,
        DeleteNextcloud,
        TouchExchange,
        TouchNextcloud,
        Sync,
        FaultySync,
    }

    public sealed record Op(OpKind Kind, int Uid, int Value, int Seed);

    private static readonly Gen<Op> OpGen =
        Gen.Select(Gen.Enum<OpKind>(), Gen.Int[0, 5], Gen.Int[0, 1000], Gen.Int[0, int.MaxValue], (k, u, v, s) => new Op(k, u, v, s));

    [Theory]
    [InlineData(ConflictPolicy.ExchangeWins)]
    [InlineData(ConflictPolicy.NextcloudWins)]
    [InlineData(ConflictPolicy.NewestWins)]
    public void RandomHistories_Converge_WithNothingLostOrDuplicated(ConflictPolicy policy)
    {
        // CONNECTOR_PROPERTY_ITER raises the number of histories for a deeper run.
        var iterations = int.TryParse(Environment.GetEnvironmentVariable("CONNECTOR_PROPERTY_ITER"), out var n) ? n : 300;
        OpGen.List[1, 40].Sample(ops => Run(ops, policy).GetAwaiter().GetResult(), iter: iterations);
    }

    private static async Task Run(List<Op> ops, ConflictPolicy policy)
    {
        var options = new SyncOptions { ConflictPolicy = policy, BatchSaveSize = 3, MassDeletionMinimumItems = 1000, EmptyCollectionMinimumItems = 1000 };
        var h = await SyncHarness.CreateAsync();
        var lastUserAction = new Dictionary<string, bool>(); // uid -> last action was a put (true) or delete (false)
        var minute = 0;

        foreach (var op in ops)
        {
            var uid = $"u{op.Uid}";
            if (Trace)
            {
                Console.WriteLine($"op {op.Kind} {uid} {op.Value}");
            }

            switch (op.Kind)
            {
                case OpKind.PutExchange:
                    // Every edit writes new content (the engine rightly ignores an "edit" that changes nothing).
                    h.Exchange.Put(SyncHarness.Event(uid, $"e{op.Value}.{++minute}", minute % 60));
                    lastUserAction[uid] = true;
                    break;
                case OpKind.PutNextcloud:
                    h.Nextcloud.Put(SyncHarness.Event(uid, $"n{op.Value}.{++minute}", minute % 60));
                    lastUserAction[uid] = true;
                    break;
                case OpKind.DeleteExchange when h.Exchange.ByUid(uid) is not null:
                    h.Exchange.Remove(uid);
                    lastUserAction[uid] = false;
                    break;
                case OpKind.DeleteNextcloud when h.Nextcloud.ByUid(uid) is not null:
                    h.Nextcloud.Remove(uid);
                    lastUserAction[uid] = false;
                    break;
                case OpKind.TouchExchange:
                    h.Exchange.Touch(uid);
                    break;
                case OpKind.TouchNextcloud:
                    h.Nextcloud.Touch(uid);
                    break;
                case OpKind.Sync:
                    var r = await h.RunAsync(options);
                    if (Trace)
                    {
                        Console.WriteLine("  sync: " + string.Join("; ", r.Planned.Select(a => $"{a.Kind} {a.Target} {a.Uid}")) + " | " + string.Join("; ", r.Problems.Select(p => $"{p.Uid} {p.Reason}")));
                    }

                    break;
                case OpKind.FaultySync:
                    await FaultySync(h, options, new Random(op.Seed));
                    break;
            }
        }

        // Clean runs until quiet; it must get there quickly.
        SyncReport? last = null;
        for (var i = 0; i < 4 && (last is null || last.Planned.Count > 0); i++)
        {
            last = await h.RunAsync(options);
            if (Trace)
            {
                Console.WriteLine("  clean: " + string.Join("; ", last.Planned.Select(a => $"{a.Kind} {a.Target} {a.Uid}")) + " | " + string.Join("; ", last.Problems.Select(p => $"{p.Uid} {p.Reason}")));
                Console.WriteLine("  rel: " + string.Join(" | ", h.State.Relations(h.Pair.PairId).Select(x => $"{x.Uid} E={x.ExchangeId}/{x.ExchangeVersion} N={x.NextcloudId}/{x.NextcloudVersion} err={x.LastError}")));
                Console.WriteLine("  E: " + string.Join(",", h.Exchange.Items.Select(p => $"{p.Key}/{p.Value.Version}/{p.Value.Item.Uid}")) + "  N: " + string.Join(",", h.Nextcloud.Items.Select(p => $"{p.Key}/{p.Value.Version}/{p.Value.Item.Uid}")));
            }
        }

        Assert.Empty(last!.Planned);
        Assert.Null(last.HaltReason);

        var exchangeUids = h.Exchange.All.Select(i => i.Uid).ToList();
        var nextcloudUids = h.Nextcloud.All.Select(i => i.Uid).ToList();
        Assert.Equal(exchangeUids.Count, exchangeUids.Distinct().Count());
        Assert.Equal(nextcloudUids.Count, nextcloudUids.Distinct().Count());
        Assert.Equal(exchangeUids.Order(), nextcloudUids.Order());
        foreach (var uid in exchangeUids)
        {
            Assert.Equal(SyncHarness.SummaryOf(h.Exchange, uid), SyncHarness.SummaryOf(h.Nextcloud, uid));
        }

        foreach (var (uid, wasPut) in lastUserAction)
        {
            if (wasPut)
            {
                Assert.Contains(uid, exchangeUids);
            }
        }
    }

    private static async Task FaultySync(SyncHarness h, SyncOptions options, Random random)
    {
        h.Exchange.ForgetTokens = random.Next(4) == 0;
        h.Nextcloud.ForgetTokens = random.Next(4) == 0;
        h.Exchange.WriteFault = _ => random.Next(5) == 0 ? WriteStatus.PreconditionFailed : null;
        h.Nextcloud.WriteFault = _ => random.Next(5) == 0 ? WriteStatus.PreconditionFailed : null;
        h.Exchange.BeforeWrite = _ =>
        {
            if (random.Next(8) == 0)
            {
                throw new TransientStoreException("connection dropped");
            }
        };
        h.Nextcloud.BeforeWrite = h.Exchange.BeforeWrite;
        h.State.BeforeCommit = _ =>
        {
            if (random.Next(6) == 0)
            {
                throw new IOException("process died before commit");
            }
        };

        try
        {
            var r = await h.RunAsync(options);
            if (Trace)
            {
                Console.WriteLine("  faulty: " + string.Join("; ", r.Planned.Select(a => $"{a.Kind} {a.Target} {a.Uid}")) + " | " + string.Join("; ", r.Problems.Select(p => $"{p.Uid} {p.Reason}")));
            }
        }
        catch (Exception ex) when (ex is TransientStoreException or IOException)
        {
            // The worker would log it and try again later.
            if (Trace)
            {
                Console.WriteLine("  faulty threw: " + ex.Message);
            }

        }
        finally
        {
            h.Exchange.WriteFault = h.Nextcloud.WriteFault = null;
            h.Exchange.BeforeWrite = h.Nextcloud.BeforeWrite = null;
            h.State.BeforeCommit = null;
        }
    }
}

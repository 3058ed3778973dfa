using Connector.Stores.Ews.Http;
using Connector.Sync.Engine;
using Connector.Sync.Resilience;
using Connector.Sync.State;
using Connector.Sync.Stores;
using Connector.Worker.Configuration;
using Connector.Worker.Identities;
using Connector.Worker.Logging;
using Connector.Worker.Observability;
using Connector.Worker.Pool;
using Connector.Worker.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connector.Worker.Running;

/// <summary>
/// One user's sync: for each kind of the user's SyncMode, find the Exchange folder and the Nextcloud
/// collection (creating the collection on the first run), get or create the folder pair, and run the
/// engine on it. A kind that fails does not stop the others; a rejected credential stops the user.
/// Logs counts only: never item content, titles or secrets.
/// </summary>
public sealed class UserSyncRunner
{
    private readonly ServiceSettings settings;
    private readonly IStateStore state;
    private readonly ExchangeStoreFactories exchangeFactories;
    private readonly NextcloudStoreFactory nextcloudFactory;
    private readonly IdentityPool pool;
    private readonly WorkerMetrics? metrics;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> reportedThrottles = new(StringComparer.OrdinalIgnoreCase);

    public UserSyncRunner(
        ServiceSettings settings,
        IStateStore state,
        ExchangeStoreFactories exchangeFactories,
        NextcloudStoreFactory nextcloudFactory,
        IdentityPool pool,
        WorkerMetrics? metrics = null,
        ILogger? logger = null,
        TimeProvider? time = null)
    {
        this.settings = settings;
        this.state = state;
        this.exchangeFactories = exchangeFactories;
        this.nextcloudFactory = nextcloudFactory;
        this.pool = pool;
        this.metrics = metrics;
        this.logger = logger ?? NullLogger.Instance;
        this.time = time ?? TimeProvider.System;
    }

    /// <summary>Retries inside one run; the scheduler's back-off handles what outlasts them.</summary>
    public RetryOptions Retry { get; init; } = new();

    /// <summary>The Nextcloud collection created for each kind on a user's first run.</summary>
    public static string CollectionName(ItemKind kind) => kind switch
    {
        ItemKind.Event => "Exchange Calendar",
        ItemKind.Contact => "Exchange Contacts",
        _ => "Exchange Tasks",
    };

    public async Task<UserRunOutcome> RunAsync(UserRecord user, ConsentingUser account, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(account);
        var identity = pool.Find(user.IdentityName);
        if (identity is null || pool.IsQuarantined(identity.Name))
        {
            return new UserRunOutcome(UserRunStatus.NoIdentity, "no usable identity: every identity is quarantined or has Service__MaxUsersPerAdmin users", [], FirstSyncPending: true);
        }

        using var slot = await pool.EnterAsync(identity.Name, cancellationToken);
        var identityGate = pool.Gates.ForIdentity(identity.Name);
        var exchange = new SideLabelledStore(
            exchangeFactories.Create(identity, new ExchangeMailboxSettings { Mailbox = user.Mailbox, BatchLimit = settings.BatchLimit, TimeZone = account.TimeZone, Gates = pool.Gates, Retry = Retry }),
            Side.Exchange);
        var results = new List<KindRunResult>();
        try
        {
            var nextcloudInner = await nextcloudFactory.CreateAsync(account.Nextcloud, cancellationToken);
            var nextcloudGate = pool.Gates.ForIdentity("nextcloud:" + (account.Nextcloud.DavUrl?.Authority ?? "vdir"));
            var nextcloud = new SideLabelledStore(new ResilientItemStore(nextcloudInner, [nextcloudGate], Retry, time), Side.Nextcloud);
            var pairs = await state.GetPairsAsync(user.UserId, cancellationToken);
            var kinds = SyncOptionsFactory.EffectiveKinds(settings, user.SyncMode);
            foreach (var kind in new[] { ItemKind.Event, ItemKind.Contact, ItemKind.Task }.Where(k => (kinds & k) != 0))
            {
                results.Add(await RunKindAsync(user, kind, exchange, nextcloud, pairs, dryRun, cancellationToken));
            }
        }
        catch (SideCredentialRejectedException ex) when (ex.Side == Side.Nextcloud)
        {
            return await FinishAsync(user, new UserRunOutcome(UserRunStatus.NextcloudCredentialRejected, "Nextcloud rejected the user's app password (401); the user is stopped until the password changes", results, true), dryRun, cancellationToken);
        }
        catch (SideCredentialRejectedException ex)
        {
            pool.Quarantine(identity.Name, ex.Message);
            metrics?.Error("auth");
            WorkerLog.IdentityQuarantined(logger, identity.Name);
            return await FinishAsync(user, new UserRunOutcome(UserRunStatus.IdentityCredentialRejected, $"Exchange rejected the credentials of identity {identity.Name}; it is quarantined", results, true), dryRun, cancellationToken);
        }
        catch (EwsMailboxAccessException ex)
        {
            return await FinishAsync(user, new UserRunOutcome(UserRunStatus.MailboxAccessDenied, $"Exchange refused mailbox access to identity {identity.Name} ({ex.ResponseCode ?? "denied"})", results, true), dryRun, cancellationToken);
        }
        finally
        {
            ReportThrottles(identity.Name, identityGate.Throttles);
        }

        var failed = results.FirstOrDefault(r => r.Error is not null);
        var halted = results.FirstOrDefault(r => r.Report?.HaltReason is not null);
        var pending = !dryRun && (await state.GetPairsAsync(user.UserId, cancellationToken)).Any(p => !p.FirstSyncCompleted && p.State == PairState.Active);
        var outcome = failed is not null
            ? new UserRunOutcome(UserRunStatus.Failed, failed.Describe(), results, pending)
            : halted is not null
                ? new UserRunOutcome(UserRunStatus.Halted, halted.Describe(), results, pending)
                : new UserRunOutcome(UserRunStatus.Success, null, results, pending);
        return await FinishAsync(user, outcome, dryRun, cancellationToken);
    }

    private async Task<KindRunResult> RunKindAsync(UserRecord user, ItemKind kind, SideLabelledStore exchange, SideLabelledStore nextcloud, IReadOnlyList<FolderPair> pairs, bool dryRun, CancellationToken cancellationToken)
    {
        try
        {
            var exchangeCollections = await exchange.DiscoverCollectionsAsync(kind, cancellationToken);
            var nextcloudCollections = await nextcloud.DiscoverCollectionsAsync(kind, cancellationToken);
            var pair = pairs.FirstOrDefault(p => p.Kind == kind);
            CollectionInfo exchangeCollection;
            CollectionInfo? nextcloudCollection;
            if (pair is null)
            {
                exchangeCollection = exchangeCollections.FirstOrDefault(c => c.Kind == kind)
                    ?? throw new StoreException($"the mailbox has no {KindRunResult.KindName(kind)} folder");
                nextcloudCollection = nextcloudCollections.FirstOrDefault(c => c.Kind == kind && c.DisplayName == CollectionName(kind));
                if (nextcloudCollection is null)
                {
                    if (dryRun)
                    {
                        return new KindRunResult(kind, null, Note: $"would create the Nextcloud collection \"{CollectionName(kind)}\" and copy every item of the Exchange folder");
                    }

                    nextcloudCollection = await nextcloud.CreateCollectionAsync(CollectionName(kind), kind, cancellationToken);
                }

                pair = new FolderPair { UserId = user.UserId, Kind = kind, ExchangeCollectionId = exchangeCollection.Id, NextcloudCollectionId = nextcloudCollection.Id };
                if (!dryRun)
                {
                    pair = await state.SavePairAsync(pair, cancellationToken);
                }
            }
            else
            {
                exchangeCollection = exchangeCollections.FirstOrDefault(c => c.Id == pair.ExchangeCollectionId)
                    ?? throw new StoreException($"the Exchange {KindRunResult.KindName(kind)} folder of this pair is gone; `connector reset --user {user.UserId}` pairs anew");
                nextcloudCollection = nextcloudCollections.FirstOrDefault(c => c.Id == pair.NextcloudCollectionId)
                    ?? throw new StoreException($"the Nextcloud collection of this pair ({pair.NextcloudCollectionId}) is gone; `connector reset --user {user.UserId}` pairs anew");
            }

            var options = SyncOptionsFactory.Create(settings, dryRun) with { Progress = new ProgressLog(logger, user.UserId, KindRunResult.KindName(kind), time) };
            var synchronizer = new PairSynchronizer(exchange, nextcloud, state, options, time);
            var report = await synchronizer.SyncAsync(pair, exchangeCollection, nextcloudCollection, cancellationToken);
            RecordItems(report);
            return new KindRunResult(kind, report);
        }
        catch (StoreException ex) when (ex is not SideCredentialRejectedException and not EwsMailboxAccessException)
        {
            metrics?.Error(ex is TransientStoreException or ThrottledException ? "transient" : "user");
            return new KindRunResult(kind, null, Error: ex.Message);
        }
    }

    /// <summary>
    /// The gate counts every throttling answer of the identity, from every user running on it; each is
    /// reported once, by whichever run ends next.
    /// </summary>
    private void ReportThrottles(string identity, int seen)
    {
        var before = reportedThrottles.GetOrAdd(identity, 0);
        while (seen > before && !reportedThrottles.TryUpdate(identity, seen, before))
        {
            before = reportedThrottles[identity];
        }

        for (var i = before; i < seen; i++)
        {
            metrics?.Throttled(identity);
        }
    }

    private void RecordItems(SyncReport report)
    {
        if (metrics is null || report.DryRun)
        {
            return;
        }

        foreach (var (action, name) in new[] { (SyncActionKind.Create, "create"), (SyncActionKind.Update, "update"), (SyncActionKind.Delete, "delete") })
        {
            metrics.ItemsWritten("to_nextcloud", name, report.Count(action, Side.Nextcloud));
            metrics.ItemsWritten("to_exchange", name, report.Count(action, Side.Exchange));
        }

        for (var i = 0; i < report.Problems.Count; i++)
        {
            metrics.Error("item");
        }
    }

    /// <summary>The per-user log line an administrator reads in `status` (counts and reasons, never content).</summary>
    private async Task<UserRunOutcome> FinishAsync(UserRecord user, UserRunOutcome outcome, bool dryRun, CancellationToken cancellationToken)
    {
        if (dryRun)
        {
            return outcome;
        }

        var level = outcome.Status switch
        {
            UserRunStatus.Success => "info",
            UserRunStatus.Halted => "warning",
            _ => "error",
        };
        var line = outcome.CountsLine();
        try
        {
            await state.AppendLogAsync(new SyncLogEntry(user.UserId, time.GetUtcNow(), level, line), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the run's outcome is still released by the caller.
        }

        if (outcome.Status == UserRunStatus.Success)
        {
            WorkerLog.UserSynced(logger, user.UserId, user.IdentityName, line);
        }
        else
        {
            WorkerLog.UserSyncProblem(logger, user.UserId, user.IdentityName, line);
        }
        return outcome;
    }
}

using Connector.Domain;
using Connector.Mapping.Privacy;
using Connector.Sync.Engine;
using Connector.Sync.Stores;
using Connector.Worker.Configuration;

namespace Connector.Worker.Running;

/// <summary>The engine's options for a kind, sensitive mode included (S17).</summary>
public static class SyncOptionsFactory
{
    /// <summary>
    /// The kinds a user syncs: their own mode (or the service's). Sensitive mode is about private
    /// event details: events are masked to time blocks, contacts sync as they are (the product's own
    /// example is "calendars and contacts in sensitive mode", SyncMode=3 + SyncType=1), and tasks are
    /// not synced at all, because a task is nothing but its private title and notes and has no time
    /// block to keep (the worker says so at start when SyncMode asks for tasks).
    /// </summary>
    public static ItemKind EffectiveKinds(ServiceSettings settings, ItemKind userMode)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.SyncType == SyncType.Sensitive ? userMode & ~ItemKind.Task : userMode;
    }

    public static SyncOptions Create(ServiceSettings settings, bool dryRun)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = settings.ToSyncOptions(dryRun);
        if (settings.SyncType != SyncType.Sensitive)
        {
            return options;
        }

        var title = settings.SensitiveTitle;
        return options with
        {
            ExchangeToNextcloud = item => item is CalendarEvent e ? SensitiveMask.Apply(e, title) : item,
            MayWriteToExchange = item => item is not CalendarEvent e || !SensitiveMask.IsMasked(e),
        };
    }
}

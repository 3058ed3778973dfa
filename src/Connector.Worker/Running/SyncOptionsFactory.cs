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
    /// The kinds a user syncs: their own mode (or the service's). Sensitive mode masks events only; a
    /// contact or a task cannot be reduced to a time block, so in that mode they are not synced at all.
    /// </summary>
    public static ItemKind EffectiveKinds(ServiceSettings settings, ItemKind userMode)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.SyncType == SyncType.Sensitive ? userMode & ItemKind.Event : userMode;
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

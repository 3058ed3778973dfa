using Connector.Domain;

namespace Connector.Sync.Engine;

/// <summary>The two sides of a pair. Product code names them for what they are.</summary>
public enum Side
{
    Exchange,
    Nextcloud,
}

/// <summary>What one side shows for an item since the last sync.</summary>
public enum Observation
{
    /// <summary>Same version, or a new version with the same content.</summary>
    Unchanged,

    /// <summary>Content differs from what was last synced (or the item is new on this side).</summary>
    Changed,

    /// <summary>It was there at the last sync and is gone now.</summary>
    Deleted,

    /// <summary>This side never had it (or its earlier copy is already forgotten).</summary>
    Absent,
}

public enum SyncActionKind
{
    /// <summary>Write the source side's item as a new item on the target side.</summary>
    Create,

    /// <summary>Write the source side's item over the target's.</summary>
    Update,

    /// <summary>Delete the target side's item.</summary>
    Delete,

    /// <summary>Both sides hold the same content: only record ids, versions and hash.</summary>
    Link,

    /// <summary>Gone on both sides: drop the relation.</summary>
    Forget,
}

/// <summary>One planned step. <see cref="Target"/> is the side written (for Link/Forget: none written).</summary>
public sealed record SyncAction(SyncActionKind Kind, Side Target, string Uid, string Why)
{
    public Side Source => Target == Side.Exchange ? Side.Nextcloud : Side.Exchange;
}

/// <summary>An item as one side holds it right now.</summary>
internal sealed record SideItem(string Id, string Version, ISyncItem Item, string Hash);

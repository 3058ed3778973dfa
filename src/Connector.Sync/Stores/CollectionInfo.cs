namespace Connector.Sync.Stores;

/// <summary>
/// A collection on one side: a calendar, task list or address book (DAV: its href; EWS: the
/// folder id; vdir: the folder path relative to the root).
/// </summary>
public sealed record CollectionInfo(string Id, string DisplayName, ItemKind Kind);

using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Connector.Emulator.Graph;

/// <summary>What a Graph folder holds.</summary>
internal enum GraphFolderKind
{
    Calendar,
    ContactFolder,
    TodoList,
}

/// <summary>A calendar, contact folder or To Do list, with its items in creation order.</summary>
internal sealed class GraphFolder
{
    public GraphFolder(string id, GraphFolderKind kind, string displayName, bool isDefault, string changeKey)
    {
        Id = id;
        Kind = kind;
        DisplayName = displayName;
        IsDefault = isDefault;
        ChangeKey = changeKey;
    }

    public string Id { get; }

    public GraphFolderKind Kind { get; }

    public string DisplayName { get; set; }

    public bool IsDefault { get; }

    public string ChangeKey { get; set; }

    /// <summary>Items by id, in creation order (Dictionary keeps insertion order while nothing is removed; removal is rebuilt below).</summary>
    public List<GraphItem> Items { get; } = [];
}

/// <summary>
/// One stored item: its client-settable properties as Graph-shaped JSON (normalised), the
/// server-managed values (id, change key, timestamps) and, for a series master, its exceptions
/// and cancelled occurrences keyed by original start (UTC).
/// </summary>
internal sealed class GraphItem
{
    public GraphItem(string id, GraphFolder folder, JsonObject data, DateTimeOffset created, string changeKey)
    {
        Id = id;
        Folder = folder;
        Data = data;
        Created = created;
        Modified = created;
        ChangeKey = changeKey;
    }

    public string Id { get; }

    public GraphFolder Folder { get; }

    /// <summary>Stored properties (no id, etag, timestamps: those are added when the item is written out).</summary>
    public JsonObject Data { get; set; }

    public DateTimeOffset Created { get; }

    public DateTimeOffset Modified { get; set; }

    public string ChangeKey { get; set; }

    /// <summary>Event: the iCalUId (an Outlook GlobalObjectId in hex).</summary>
    public string? ICalUId { get; set; }

    /// <summary>Event: the client's transactionId of the create.</summary>
    public string? TransactionId { get; set; }

    /// <summary>singleValueExtendedProperties (MAPI named properties) by id, case-insensitive as Exchange resolves them.</summary>
    public Dictionary<string, string> ExtendedProperties { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Series master: modified occurrences by original start (UTC).</summary>
    public SortedDictionary<DateTime, GraphException> Exceptions { get; } = [];

    /// <summary>Series master: deleted occurrences by original start (UTC).</summary>
    public SortedSet<DateTime> Cancelled { get; } = [];
}

/// <summary>A modified occurrence: the properties that differ from the master, with its own change key.</summary>
internal sealed class GraphException
{
    public GraphException(JsonObject overrides, DateTimeOffset modified, string changeKey)
    {
        Overrides = overrides;
        Modified = modified;
        ChangeKey = changeKey;
    }

    public JsonObject Overrides { get; set; }

    public DateTimeOffset Modified { get; set; }

    public string ChangeKey { get; set; }
}

/// <summary>
/// One user's Exchange Online mailbox as Graph sees it: calendars, contact folders, To Do lists,
/// the delta and skip tokens it issued, and the invitations it "sent". All access under <see cref="Gate"/>.
/// </summary>
internal sealed partial class GraphMailbox
{
    /// <summary>Issued tokens kept per mailbox; older ones are forgotten (→ 410 syncStateNotFound), like an expired sync state.</summary>
    public const int TokenCapacity = 20_000;

    private readonly byte[] idPrefix;
    private readonly byte[] changeKeyPrefix;
    private long changeCounter;

    public GraphMailbox(GraphTenant tenant, string id, string userPrincipalName, string displayName)
    {
        Tenant = tenant;
        Id = id;
        UserPrincipalName = userPrincipalName;
        DisplayName = displayName;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("graph:" + userPrincipalName.ToLowerInvariant()));
        idPrefix = hash[..12];
        changeKeyPrefix = hash[12..28];
        Folders.Add(new GraphFolder(NewId(), GraphFolderKind.Calendar, "Calendar", isDefault: true, NextChangeKey()));
        Folders.Add(new GraphFolder(NewId(), GraphFolderKind.ContactFolder, "Contacts", isDefault: true, NextChangeKey()));
        Folders.Add(new GraphFolder(NewId(), GraphFolderKind.TodoList, "Tasks", isDefault: true, NextChangeKey()));
        RootFolderId = NewId();
    }

    public GraphTenant Tenant { get; }

    public Lock Gate { get; } = new();

    public string Id { get; }

    public string UserPrincipalName { get; }

    public string DisplayName { get; }

    /// <summary>The id of the (not listed) root folder, the parentFolderId of top-level contact folders.</summary>
    public string RootFolderId { get; private set; }

    public List<GraphFolder> Folders { get; } = [];

    /// <summary>Issued delta and skip tokens (oldest first, bounded by <see cref="TokenCapacity"/>).</summary>
    public Dictionary<string, GraphDeltaState> Tokens { get; } = new(StringComparer.Ordinal);

    public Queue<string> TokenOrder { get; } = new();

    /// <summary>Bumped by the control endpoint: every token issued before becomes invalid (410 syncStateNotFound).</summary>
    public int TokenGeneration { get; set; }

    /// <summary>Invitations, updates and cancellations this mailbox "sent".</summary>
    public List<OutboxMessage> Outbox { get; } = [];

    /// <summary>Created events by transactionId (a retried create returns the first event).</summary>
    public Dictionary<string, string> Transactions { get; } = new(StringComparer.OrdinalIgnoreCase);

    public GraphFolder DefaultFolder(GraphFolderKind kind) => Folders.First(f => f.Kind == kind && f.IsDefault);

    public GraphFolder? FindFolder(string id, GraphFolderKind kind) =>
        Folders.FirstOrDefault(f => f.Kind == kind && string.Equals(f.Id, id, StringComparison.Ordinal));

    public GraphItem? FindItem(string id, GraphFolderKind kind) =>
        Folders.Where(f => f.Kind == kind).SelectMany(f => f.Items).FirstOrDefault(i => string.Equals(i.Id, id, StringComparison.Ordinal));

    /// <summary>
    /// A new item id in the shape and length of Exchange Online's immutable ids (112 bytes, 152
    /// characters): base64 of a mailbox-specific prefix and random bytes, with '/' and '+' written
    /// as '-' and '_' (URL-safe, as Outlook's REST ids).
    /// </summary>
    public string NewId()
    {
        Span<byte> bytes = stackalloc byte[112];
        bytes[0] = 0x00;
        bytes[1] = 0x03;
        bytes[2] = 0x24;
        bytes[3] = 0x00;
        idPrefix.CopyTo(bytes[4..]);
        RandomNumberGenerator.Fill(bytes[16..]);
        return Convert.ToBase64String(bytes).Replace('/', '-').Replace('+', '_');
    }

    /// <summary>A change key as Exchange writes them (22 bytes in base64): a mailbox prefix and a counter.</summary>
    public string NextChangeKey()
    {
        Span<byte> bytes = stackalloc byte[22];
        changeKeyPrefix.CopyTo(bytes);
        var counter = Interlocked.Increment(ref changeCounter);
        for (var i = 0; i < 6; i++)
        {
            bytes[21 - i] = (byte)(counter >> (8 * i));
        }

        return Convert.ToBase64String(bytes);
    }

    /// <summary>Remembers a token's state, forgetting the oldest beyond <see cref="TokenCapacity"/>.</summary>
    public void Remember(string token, GraphDeltaState state)
    {
        Tokens[token] = state;
        TokenOrder.Enqueue(token);
        while (TokenOrder.Count > TokenCapacity)
        {
            Tokens.Remove(TokenOrder.Dequeue());
        }
    }
}

using Connector.Sync.Stores;
using Connector.Testing.Conformance;

namespace Connector.Stores.Vdir.Tests;

/// <summary>Collections: our own (with connector-kind) and folders other vdir tools made.</summary>
public sealed class VdirDiscoveryTests : IDisposable
{
    private const ItemKind AllKinds = ItemKind.Event | ItemKind.Task | ItemKind.Contact;

    private readonly TempFolder _root = new();
    private readonly VdirItemStore _store;

    public VdirDiscoveryTests() => _store = new VdirItemStore(_root.Path);

    public void Dispose() => _root.Dispose();

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task Discover_MissingRoot_IsEmpty()
    {
        var store = new VdirItemStore(Path.Combine(_root.Path, "not-yet"));

        Assert.Empty(await store.DiscoverCollectionsAsync(AllKinds, Ct));
    }

    [Fact]
    public async Task CreateCollection_SameNameTwice_GetsTwoFolders()
    {
        var first = await _store.CreateCollectionAsync("Work", ItemKind.Event, Ct);
        var second = await _store.CreateCollectionAsync("Work", ItemKind.Task, Ct);

        Assert.Equal("Work", first.Id);
        Assert.Equal("Work-2", second.Id);
        Assert.Equal("VTODO\n", await File.ReadAllTextAsync(Path.Combine(_root.Path, "Work-2", "connector-kind"), Ct));
        Assert.Equal("Work", await File.ReadAllTextAsync(Path.Combine(_root.Path, "Work-2", "displayname"), Ct));
    }

    [Fact]
    public async Task CreateCollection_ManyAtOnce_AllDistinct()
    {
        var created = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(() => _store.CreateCollectionAsync("Same", ItemKind.Event, Ct))));

        Assert.Equal(12, created.Select(c => c.Id).Distinct().Count());
        Assert.Equal(12, (await _store.DiscoverCollectionsAsync(ItemKind.Event, Ct)).Count);
    }

    [Fact]
    public async Task Discover_FoldersMadeByOtherTools_AreClassifiedByTheirFiles()
    {
        await Write("khal-calendar/a.ics", ConformanceItems.Event("a"));
        await Write("tasks/t.ics", ConformanceItems.Task("t"));
        await Write("khard/c.vcf", ConformanceItems.Contact("c"));
        await File.WriteAllTextAsync(Path.Combine(_root.Path, "khard", "displayname"), "Friends\n", Ct);
        await File.WriteAllTextAsync(Path.Combine(_root.Path, "khard", "color"), "#FF0000", Ct);
        Directory.CreateDirectory(Path.Combine(_root.Path, "empty"));
        Directory.CreateDirectory(Path.Combine(_root.Path, ".hidden"));

        var found = await _store.DiscoverCollectionsAsync(AllKinds, Ct);

        Assert.Equal(
            [new CollectionInfo("khal-calendar", "khal-calendar", ItemKind.Event), new CollectionInfo("khard", "Friends", ItemKind.Contact), new CollectionInfo("tasks", "tasks", ItemKind.Task)],
            found);
        Assert.Equal([new CollectionInfo("tasks", "tasks", ItemKind.Task)], await _store.DiscoverCollectionsAsync(ItemKind.Task, Ct));
    }

    private async Task Write(string relativePath, Domain.ISyncItem item)
    {
        var path = Path.Combine(_root.Path, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, VdirItemCodec.Serialize(item), Ct);
    }
}

using Connector.Sync.Stores;
using Connector.Testing.Conformance;

namespace Connector.Stores.Vdir.Tests;

/// <summary>The store conformance suite on a vdir in a temporary folder; content must round-trip exactly.</summary>
public sealed class VdirStoreConformanceTests : ItemStoreConformanceTests<VdirItemStore>
{
    private readonly TempFolder _root = new();

    protected override bool CanPlantRawItems => true;

    protected override async Task<(VdirItemStore Store, CollectionInfo Collection)> CreateCollectionAsync(ItemKind kind, CancellationToken cancellationToken)
    {
        var store = new VdirItemStore(_root.Path);
        var collection = await store.CreateCollectionAsync($"Conformance {kind} {Guid.NewGuid():N}", kind, cancellationToken);
        return (store, collection);
    }

    protected override async Task<string> PlantRawAsync(VdirItemStore store, CollectionInfo collection, string name, byte[] content, CancellationToken cancellationToken)
    {
        var id = name + (collection.Kind == ItemKind.Contact ? ".vcf" : ".ics");
        await File.WriteAllBytesAsync(Path.Combine(store.RootPath, collection.Id, id), content, cancellationToken);
        return id;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _root.Dispose();
        }

        base.Dispose(disposing);
    }
}

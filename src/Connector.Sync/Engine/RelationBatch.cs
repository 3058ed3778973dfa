using Connector.Sync.State;

namespace Connector.Sync.Engine;

/// <summary>
/// Collects relation changes and commits them every <c>BatchSaveSize</c> changes, so a crash loses
/// at most one batch (S15); the last flush carries the tokens.
/// </summary>
internal sealed class RelationBatch
{
    private readonly IStateStore _state;
    private readonly long _pairId;
    private readonly int _size;
    private readonly bool _dryRun;
    private readonly Dictionary<string, ItemRelation> _upserts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _removals = new(StringComparer.Ordinal);

    public RelationBatch(IStateStore state, long pairId, int size, bool dryRun)
    {
        _state = state;
        _pairId = pairId;
        _size = size;
        _dryRun = dryRun;
    }

    public int Committed { get; private set; }

    public void Upsert(ItemRelation relation)
    {
        _removals.Remove(relation.Uid);
        _upserts[relation.Uid] = relation with { PairId = _pairId };
    }

    public void Remove(string uid)
    {
        _upserts.Remove(uid);
        _removals.Add(uid);
    }

    public bool IsFull => _upserts.Count + _removals.Count >= _size;

    public async Task FlushAsync(PairTokens? tokens, CancellationToken cancellationToken)
    {
        if (_dryRun || (_upserts.Count == 0 && _removals.Count == 0 && tokens is null))
        {
            return;
        }

        await _state.CommitAsync(_pairId, [.. _upserts.Values], [.. _removals], tokens, cancellationToken);
        Committed += _upserts.Count + _removals.Count;
        _upserts.Clear();
        _removals.Clear();
    }
}

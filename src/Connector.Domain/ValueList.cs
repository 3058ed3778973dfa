using System.Collections;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;

namespace Connector.Domain;

/// <summary>
/// An immutable list with value equality, so that records holding lists compare by content.
/// Round-trip tests ("re-reading gives an equal model") depend on this.
/// </summary>
/// <remarks>
/// The collection builder makes <c>ValueList&lt;string&gt; x = ["a"]</c> work: without it the compiler
/// would build the list with <see cref="Add"/>, whose result (a new list) it throws away.
/// </remarks>
[CollectionBuilder(typeof(ValueList), nameof(ValueList.Create))]
public readonly struct ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    private readonly ImmutableArray<T> _items;

    public ValueList(IEnumerable<T> items) => _items = items is null ? [] : [.. items];

    private ValueList(ImmutableArray<T> items) => _items = items;

    public static ValueList<T> Empty => new(ImmutableArray<T>.Empty);

    public int Count => _items.IsDefault ? 0 : _items.Length;

    public bool IsEmpty => Count == 0;

    public T this[int index] => _items[index];

    public ValueList<T> Add(T item) => new(Items.Add(item));

    private ImmutableArray<T> Items => _items.IsDefault ? ImmutableArray<T>.Empty : _items;

    public ImmutableArray<T>.Enumerator GetEnumerator() => Items.GetEnumerator();

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => ((IEnumerable<T>)Items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable)Items).GetEnumerator();

    public bool Equals(ValueList<T> other)
    {
        if (Count != other.Count)
        {
            return false;
        }

        var comparer = EqualityComparer<T>.Default;
        for (var i = 0; i < Count; i++)
        {
            if (!comparer.Equals(_items[i], other._items[i]))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is ValueList<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in Items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    public static bool operator ==(ValueList<T> left, ValueList<T> right) => left.Equals(right);

    public static bool operator !=(ValueList<T> left, ValueList<T> right) => !left.Equals(right);

    public static implicit operator ValueList<T>(T[] items) => new(items);

    public static implicit operator ValueList<T>(List<T> items) => new(items);

    public override string ToString() => $"[{string.Join(", ", Items)}]";
}

public static class ValueList
{
    public static ValueList<T> Of<T>(params T[] items) => new(items);

    /// <summary>Used by collection expressions (<c>[a, b]</c>).</summary>
    public static ValueList<T> Create<T>(ReadOnlySpan<T> items) => new(items.ToArray());

    public static ValueList<T> ToValueList<T>(this IEnumerable<T> items) => new(items);
}

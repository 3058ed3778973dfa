namespace Connector.Stores.Dav.Tests.Replay;

/// <summary>
/// Placeholders that keep recorded conversations independent of the run: <c>{base}</c> (the server's scheme and
/// authority; its port is random) and <c>{new-collection-N}</c> (collections get a random name suffix).
/// </summary>
internal sealed class ReplayPlaceholders
{
    public const string Base = "{base}";

    private readonly List<KeyValuePair<string, string>> _values = [];

    public ReplayPlaceholders(string baseAuthority)
    {
        _values.Add(new(Base, baseAuthority));
    }

    /// <summary>True for a request that creates a collection whose path the conversation must learn.</summary>
    public static bool CreatesCollection(string method) => method is "MKCALENDAR" or "MKCOL";

    public static bool IsCollectionPlaceholder(string path) => path.StartsWith("{new-collection-", StringComparison.Ordinal);

    /// <summary>Registers a newly created collection's path; returns its placeholder.</summary>
    public string AddCollection(string path)
    {
        var placeholder = $"{{new-collection-{_values.Count}}}";
        Bind(placeholder, path);
        return placeholder;
    }

    public void Bind(string placeholder, string value) => _values.Add(new(placeholder, value));

    /// <summary>Actual values → placeholders (recording).</summary>
    public string Abstract(string text)
    {
        // Longest first, so that a collection path wins over the base it starts with.
        foreach (var (placeholder, value) in _values.OrderByDescending(v => v.Value.Length))
        {
            text = text.Replace(value, placeholder, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>Placeholders → actual values (replay).</summary>
    public string Concrete(string text)
    {
        foreach (var (placeholder, value) in _values)
        {
            text = text.Replace(placeholder, value, StringComparison.Ordinal);
        }

        return text;
    }
}

using Connector.Domain;

namespace Connector.Mapping.Text;

/// <summary>
/// One unfolded content line: <c>[group.]NAME;PARAM=VALUE:value</c>. The value is kept escaped, exactly
/// as on the wire; the typed readers decide how to unescape it (TEXT, structured, URI, binary).
/// </summary>
public sealed class ContentLine
{
    public ContentLine(string? group, string name, List<RawParameter> parameters, string value, int line)
    {
        Group = group;
        Name = name;
        Parameters = parameters;
        Value = value;
        Line = line;
    }

    public string? Group { get; }

    /// <summary>Upper-case property name.</summary>
    public string Name { get; }

    public List<RawParameter> Parameters { get; }

    public string Value { get; set; }

    /// <summary>1-based physical line where the property starts.</summary>
    public int Line { get; }

    /// <summary>First value of a parameter, or null (names compare case-insensitively).</summary>
    public string? Param(string name)
    {
        foreach (var p in Parameters)
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return p.Values.Count > 0 ? p.Values[0] : string.Empty;
            }
        }

        return null;
    }

    public bool HasParam(string name) => Param(name) is not null;

    /// <summary>
    /// All values of a parameter, including vCard 2.1 bare parameters (<c>TEL;WORK;VOICE</c>)
    /// when asking for TYPE, split on commas.
    /// </summary>
    public IEnumerable<string> ParamValues(string name)
    {
        var isType = string.Equals(name, "TYPE", StringComparison.OrdinalIgnoreCase);
        foreach (var p in Parameters)
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                foreach (var v in p.Values)
                {
                    foreach (var part in v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        yield return part;
                    }
                }
            }
            else if (isType && p.Values.Count == 0 && !IsBareEncodingWord(p.Name))
            {
                yield return p.Name;
            }
        }
    }

    /// <summary>The property as a <see cref="RawProperty"/>, for keeping it verbatim.</summary>
    public RawProperty ToRaw() => new(Group, Name, new ValueList<RawParameter>(Parameters), Value);

    internal static bool IsBareEncodingWord(string word) =>
        word.Equals("QUOTED-PRINTABLE", StringComparison.OrdinalIgnoreCase)
        || word.Equals("BASE64", StringComparison.OrdinalIgnoreCase)
        || word.Equals("8BIT", StringComparison.OrdinalIgnoreCase)
        || word.Equals("7BIT", StringComparison.OrdinalIgnoreCase);

    public override string ToString() => $"{Name} (line {Line})";
}

/// <summary>A BEGIN/END block with its properties and sub-components.</summary>
public sealed class Component
{
    public Component(string name, int line)
    {
        Name = name;
        Line = line;
    }

    /// <summary>Upper-case component name (VCALENDAR, VEVENT, VCARD...).</summary>
    public string Name { get; }

    public int Line { get; }

    public List<ContentLine> Properties { get; } = [];

    public List<Component> Children { get; } = [];

    /// <summary>Lines of this component that could not be parsed: the item they belong to cannot be read.</summary>
    public List<MappingException> Errors { get; } = [];

    /// <summary>Malformed extension lines that were dropped.</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>The first error in this component or any sub-component, or null.</summary>
    public MappingException? FirstError() =>
        Errors.Count > 0 ? Errors[0] : Children.Select(c => c.FirstError()).FirstOrDefault(e => e is not null);

    /// <summary>Warnings of this component and its sub-components.</summary>
    public IEnumerable<string> AllWarnings() => Warnings.Concat(Children.SelectMany(c => c.AllWarnings()));

    public ContentLine? Get(string name)
    {
        foreach (var p in Properties)
        {
            if (p.Name == name)
            {
                return p;
            }
        }

        return null;
    }

    public IEnumerable<ContentLine> GetAll(string name)
    {
        foreach (var p in Properties)
        {
            if (p.Name == name)
            {
                yield return p;
            }
        }
    }

    public RawComponent ToRaw() => new(
        Name,
        Properties.Select(p => p.ToRaw()).ToValueList(),
        Children.Select(c => c.ToRaw()).ToValueList());

    public override string ToString() => $"{Name} (line {Line})";
}

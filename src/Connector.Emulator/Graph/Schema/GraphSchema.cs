using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace Connector.Emulator.Graph.Schema;

/// <summary>One property of a Graph type as the CSDL declares it.</summary>
internal sealed record GraphProperty(string Name, string TypeName, bool IsCollection, bool IsNavigation, bool Nullable);

/// <summary>
/// The embedded Graph v1.0 CSDL subset (calendar, contacts, To Do): property names and types per
/// entity/complex type and enum members, to validate request bodies the way Graph does ("The
/// property 'x' does not exist on type 'microsoft.graph.event'") and to shape responses.
/// </summary>
internal static class GraphSchema
{
    private const string ResourceName = "Connector.Emulator.Graph.Schema.msgraph-v1.0-pim-subset.csdl.xml";
    private static readonly Lazy<Model> Loaded = new(Load);

    /// <summary>The structural and navigation properties of a type, its base types' included ("event", "graph.event").</summary>
    public static IReadOnlyDictionary<string, GraphProperty> PropertiesOf(string typeName) =>
        Loaded.Value.Types.TryGetValue(Short(typeName), out var properties)
            ? properties
            : throw new ArgumentException($"the Graph schema has no type {typeName}", nameof(typeName));

    /// <summary>
    /// Checks a request body against a type: every property must exist on it (navigation
    /// properties included), values must have the declared JSON kind, enum values must be members
    /// (case-insensitive, as Graph accepts "HTML"). Returns the first error in Graph's words, or null.
    /// </summary>
    public static string? Validate(JsonObject body, string typeName)
    {
        ArgumentNullException.ThrowIfNull(body);
        return ValidateObject(body, Short(typeName));
    }

    private static string? ValidateObject(JsonObject body, string typeName)
    {
        var properties = PropertiesOf(typeName);
        foreach (var (name, value) in body)
        {
            if (name.StartsWith('@') || name.Contains('@', StringComparison.Ordinal))
            {
                continue; // instance annotations (@odata.type, @odata.etag, prop@odata.bind) are not properties
            }

            if (!properties.TryGetValue(name, out var property))
            {
                return $"The property '{name}' does not exist on type 'microsoft.graph.{typeName}'. Make sure to only use property names that are defined by the type or mark the type as open type.";
            }

            if (value is null)
            {
                if (!property.Nullable && !property.IsCollection)
                {
                    return $"A null value was found for the property named '{name}', which has the expected type '{Qualified(property.TypeName)}[Nullable=False]'. The expected type '{Qualified(property.TypeName)}[Nullable=False]' does not allow null values.";
                }

                continue;
            }

            if (property.IsCollection)
            {
                if (value is not JsonArray array)
                {
                    return $"Cannot convert the literal to the expected type 'Collection({Qualified(property.TypeName)})' of property '{name}'.";
                }

                foreach (var element in array)
                {
                    if (element is not null && ValidateValue(element, property) is { } error)
                    {
                        return error;
                    }
                }
            }
            else if (ValidateValue(value, property) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static string? ValidateValue(JsonNode value, GraphProperty property)
    {
        var model = Loaded.Value;
        var type = property.TypeName;
        if (model.Types.ContainsKey(type))
        {
            return value is JsonObject nested
                ? ValidateObject(nested, type)
                : $"An unexpected '{Kind(value)}' node was found when reading from the JSON reader. A 'StartObject' node was expected (property '{property.Name}').";
        }

        if (model.Enums.TryGetValue(type, out var members))
        {
            if (value.GetValueKind() != JsonValueKind.String)
            {
                return $"Cannot convert a primitive value to the expected type '{Qualified(type)}' (property '{property.Name}').";
            }

            var text = value.GetValue<string>();
            return text.Split(',').All(part => members.Contains(part.Trim()))
                ? null
                : $"Requested value '{text}' was not found.";
        }

        var kind = value.GetValueKind();
        var ok = type switch
        {
            "Edm.String" or "Edm.Binary" => kind == JsonValueKind.String,
            "Edm.Boolean" => kind is JsonValueKind.True or JsonValueKind.False,
            "Edm.Int32" or "Edm.Int64" or "Edm.Double" => kind == JsonValueKind.Number,
            "Edm.DateTimeOffset" => kind == JsonValueKind.String && DateTimeOffset.TryParse(value.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _),
            "Edm.Date" => kind == JsonValueKind.String && DateOnly.TryParseExact(value.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            "Edm.TimeOfDay" or "Edm.Duration" => kind == JsonValueKind.String,
            _ => true,
        };
        return ok ? null : $"Cannot convert a primitive value to the expected type '{type}'. See the inner exception for more details (property '{property.Name}').";
    }

    private static string Kind(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.Array => "StartArray",
        JsonValueKind.Object => "StartObject",
        _ => "PrimitiveValue",
    };

    private static string Qualified(string type) => type.StartsWith("Edm.", StringComparison.Ordinal) ? type : "microsoft.graph." + type;

    private static string Short(string typeName)
    {
        var name = typeName.StartsWith("graph.", StringComparison.Ordinal) ? typeName[6..] : typeName;
        return name.StartsWith("microsoft.graph.", StringComparison.Ordinal) ? name[16..] : name;
    }

    private static Model Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
        var document = XDocument.Load(stream);
        XNamespace edm = "http://docs.oasis-open.org/odata/ns/edm";
        var declared = new Dictionary<string, (string? BaseType, List<GraphProperty> Properties)>(StringComparer.Ordinal);
        foreach (var type in document.Descendants().Where(e => e.Name == edm + "EntityType" || e.Name == edm + "ComplexType"))
        {
            var properties = type.Elements()
                .Where(e => e.Name == edm + "Property" || e.Name == edm + "NavigationProperty")
                .Select(e =>
                {
                    var raw = (string)e.Attribute("Type")!;
                    var isCollection = raw.StartsWith("Collection(", StringComparison.Ordinal);
                    var inner = isCollection ? raw[11..^1] : raw;
                    return new GraphProperty((string)e.Attribute("Name")!, Short(inner), isCollection, e.Name == edm + "NavigationProperty", (string?)e.Attribute("Nullable") != "false");
                })
                .ToList();
            var baseType = (string?)type.Attribute("BaseType");
            declared[(string)type.Attribute("Name")!] = (baseType is null ? null : Short(baseType), properties);
        }

        var types = new Dictionary<string, IReadOnlyDictionary<string, GraphProperty>>(StringComparer.Ordinal);
        foreach (var name in declared.Keys)
        {
            var all = new Dictionary<string, GraphProperty>(StringComparer.Ordinal);
            for (string? current = name; current is not null && declared.TryGetValue(current, out var entry); current = entry.BaseType)
            {
                foreach (var property in entry.Properties)
                {
                    all.TryAdd(property.Name, property);
                }
            }

            types[name] = all;
        }

        var enums = document.Descendants(edm + "EnumType").ToDictionary(
            e => (string)e.Attribute("Name")!,
            e => (IReadOnlySet<string>)e.Elements(edm + "Member").Select(m => (string)m.Attribute("Name")!).ToHashSet(StringComparer.OrdinalIgnoreCase),
            StringComparer.Ordinal);
        return new Model(types, enums);
    }

    /// <summary>Enum member names of a Graph enum type, in any case.</summary>
    public static IReadOnlySet<string> EnumMembers(string typeName) => Loaded.Value.Enums[Short(typeName)];

    private sealed record Model(IReadOnlyDictionary<string, IReadOnlyDictionary<string, GraphProperty>> Types, IReadOnlyDictionary<string, IReadOnlySet<string>> Enums);
}

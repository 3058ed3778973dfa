using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Connector.Emulator.Graph.Schema;

namespace Connector.Emulator.Graph;

/// <summary>Small JSON helpers shared by the item kinds.</summary>
internal static partial class GraphJson
{
    public const string ExtendedPropertiesName = "singleValueExtendedProperties";

    /// <summary>
    /// Stores the singleValueExtendedProperties of a create or update body: each {id, value} is
    /// set (an update adds and replaces, it never removes the others), as Exchange does.
    /// </summary>
    public static void StoreExtendedProperties(GraphItem item, JsonObject body)
    {
        if (body[ExtendedPropertiesName] is not JsonArray properties)
        {
            return;
        }

        foreach (var property in properties.OfType<JsonObject>())
        {
            var id = property["id"]?.GetValue<string>();
            if (string.IsNullOrWhiteSpace(id) || !(id.StartsWith("String ", StringComparison.OrdinalIgnoreCase) || id.StartsWith("Integer ", StringComparison.OrdinalIgnoreCase) || id.StartsWith("Boolean ", StringComparison.OrdinalIgnoreCase) || id.StartsWith("SystemTime ", StringComparison.OrdinalIgnoreCase)))
            {
                throw GraphError.BadRequest("ErrorInvalidProperty", $"The extended property id '{id}' is not valid (e.g. \"String {{guid}} Name Tag\").");
            }

            item.ExtendedProperties[id.Trim()] = property["value"]?.GetValue<string>() ?? string.Empty;
        }
    }

    /// <summary>$expand=singleValueExtendedProperties($filter=id eq '…' or id eq '…'): the stored ones that match.</summary>
    public static void ExpandExtendedProperties(JsonObject result, GraphItem item, GraphView view)
    {
        if (view.Expand is null || !view.Expand.TryGetValue(ExtendedPropertiesName, out var options))
        {
            return;
        }

        var wanted = ExtendedPropertyId().Matches(options).Select(m => m.Groups[1].Value.Replace("''", "'", StringComparison.Ordinal)).ToList();
        var selected = item.ExtendedProperties
            .Where(p => wanted.Count == 0 || wanted.Contains(p.Key, StringComparer.OrdinalIgnoreCase))
            .Select(p => (JsonNode?)new JsonObject { ["id"] = p.Key, ["value"] = p.Value })
            .ToArray();
        result[ExtendedPropertiesName] = new JsonArray(selected);
    }

    /// <summary>Splits $expand at top-level commas: name → the options in its parentheses ("" when none).</summary>
    public static IReadOnlyDictionary<string, string>? ParseExpand(string? expand)
    {
        if (string.IsNullOrWhiteSpace(expand))
        {
            return null;
        }

        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= expand.Length; i++)
        {
            if (i < expand.Length && expand[i] == '(')
            {
                depth++;
            }
            else if (i < expand.Length && expand[i] == ')')
            {
                depth--;
            }
            else if (i == expand.Length || (expand[i] == ',' && depth == 0))
            {
                var part = expand[start..i].Trim();
                var open = part.IndexOf('(', StringComparison.Ordinal);
                if (part.Length > 0)
                {
                    result[open < 0 ? part : part[..open].Trim()] = open < 0 ? string.Empty : part[(open + 1)..].TrimEnd(')');
                }

                start = i + 1;
            }
        }

        return result;
    }

    [GeneratedRegex(@"id\s+eq\s+'((?:[^']|'')*)'", RegexOptions.IgnoreCase)]
    private static partial Regex ExtendedPropertyId();

    /// <summary>Applies $select: keeps the listed properties, id and the annotations (Graph always sends those).</summary>
    public static JsonObject Select(JsonObject item, IReadOnlySet<string>? select)
    {
        if (select is null || select.Count == 0)
        {
            return item;
        }

        foreach (var name in item.Select(p => p.Key).ToList())
        {
            if (name != "id" && !name.StartsWith('@') && !select.Contains(name))
            {
                item.Remove(name);
            }
        }

        return item;
    }

    /// <summary>Every structural property of a type with its empty value (null, or [] for collections), as Graph lists them.</summary>
    public static JsonObject Skeleton(string typeName)
    {
        var result = new JsonObject();
        foreach (var property in GraphSchema.PropertiesOf(typeName).Values.Where(p => !p.IsNavigation))
        {
            result[property.Name] = property.IsCollection ? new JsonArray() : null;
        }

        return result;
    }

    /// <summary>Copies a body's settable properties (everything but server-managed ones and annotations).</summary>
    public static JsonObject Settable(JsonObject body, IReadOnlySet<string> serverManaged)
    {
        var data = new JsonObject();
        foreach (var (name, value) in body)
        {
            if (!serverManaged.Contains(name) && !name.Contains('@', StringComparison.Ordinal))
            {
                data[name] = value?.DeepClone();
            }
        }

        return data;
    }

    /// <summary>PATCH: top-level properties replace the stored ones; null clears.</summary>
    public static JsonObject Patch(JsonObject stored, JsonObject patch, IReadOnlySet<string> serverManaged)
    {
        var data = (JsonObject)stored.DeepClone();
        foreach (var (name, value) in patch)
        {
            if (serverManaged.Contains(name) || name.Contains('@', StringComparison.Ordinal))
            {
                continue;
            }

            if (value is null)
            {
                data.Remove(name);
            }
            else
            {
                data[name] = value.DeepClone();
            }
        }

        return data;
    }
}

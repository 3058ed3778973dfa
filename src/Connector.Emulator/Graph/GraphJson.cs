using System.Text.Json.Nodes;
using Connector.Emulator.Graph.Schema;

namespace Connector.Emulator.Graph;

/// <summary>Small JSON helpers shared by the item kinds.</summary>
internal static class GraphJson
{
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

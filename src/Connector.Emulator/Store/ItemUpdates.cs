using System.Xml.Linq;
using static Connector.Emulator.Ews.EwsNames;

namespace Connector.Emulator.Store;

/// <summary>SetItemField, AppendToItemField, DeleteItemField.</summary>
internal enum UpdateAction
{
    Set,
    Append,
    Delete,
}

/// <summary>
/// The property an update or a shape addresses: an unindexed element (calendar:Start → Start), an
/// indexed dictionary entry (contacts:PhoneNumber + BusinessPhone → PhoneNumbers/Entry[Key],
/// contacts:PhysicalAddress:City + Home → PhysicalAddresses/Entry[Key]/City), or an extended property.
/// </summary>
internal sealed record PropertyPath(string Element, string? Index, string? SubElement, string? ExtendedKey, XElement? ExtendedUri)
{
    public string FieldUri { get; init; } = Element;

    public static PropertyPath FromXml(XElement path)
    {
        switch (path.Name.LocalName)
        {
            case "FieldURI":
                var uri = (string)path.Attribute("FieldURI")!;
                return new PropertyPath(ItemFields.ElementOf(uri), null, null, null, null) { FieldUri = uri };
            case "IndexedFieldURI":
                var indexed = (string)path.Attribute("FieldURI")!;
                var index = (string)path.Attribute("FieldIndex")!;
                var parts = indexed.Split(':');
                var container = parts[1] switch
                {
                    "EmailAddress" => "EmailAddresses",
                    "PhoneNumber" => "PhoneNumbers",
                    "ImAddress" => "ImAddresses",
                    "PhysicalAddress" => "PhysicalAddresses",
                    "Url" => "Urls",
                    _ => parts[1],
                };
                return new PropertyPath(container, index, parts.Length > 2 ? parts[2] : null, null, null) { FieldUri = indexed };
            default:
                return new PropertyPath("ExtendedProperty", null, null, ExtendedKeyOf(path), new XElement(path)) { FieldUri = "ExtendedProperty" };
        }
    }

    /// <summary>A canonical key for an ExtendedFieldURI (attribute order and GUID case do not matter).</summary>
    public static string ExtendedKeyOf(XElement extendedFieldUri) =>
        string.Join(
            ';',
            extendedFieldUri.Attributes()
                .Where(a => a.Name.LocalName != "PropertyType")
                .OrderBy(a => a.Name.LocalName, StringComparer.Ordinal)
                .Select(a => a.Name.LocalName + "=" + a.Value.Trim().ToUpperInvariant()));
}

/// <summary>One change of an ItemChange.</summary>
internal sealed record PropertyUpdate(UpdateAction Action, PropertyPath Path, XElement? ItemElement);

/// <summary>Applies property updates to a property bag (a working copy; the caller commits).</summary>
internal static class ItemUpdateApplier
{
    private static readonly string[] PhysicalAddressOrder = ["Street", "City", "State", "CountryOrRegion", "PostalCode"];

    public static void Apply(ItemKind kind, Dictionary<string, XElement> props, Dictionary<string, XElement> extended, PropertyUpdate update, ISet<string> changed)
    {
        var path = update.Path;
        if (path.ExtendedKey is { } extendedKey)
        {
            ApplyExtended(extended, update, extendedKey);
            changed.Add("ExtendedProperty:" + extendedKey);
            return;
        }

        var flags = ItemFields.Flags(kind, path.Element);
        if (!Ews.Schema.EwsSchema.ElementOrder(kind.SchemaType()).Contains(path.Element))
        {
            throw new EwsException("ErrorInvalidPropertyRequest", $"The property {path.FieldUri} is not valid for this object type.");
        }

        switch (update.Action)
        {
            case UpdateAction.Set:
                if (ItemFields.Has(flags, FieldFlags.ReadOnly) || ItemFields.Has(flags, FieldFlags.Unsupported))
                {
                    throw EwsException.InvalidPropertySet(path.FieldUri);
                }

                var source = SingleProperty(update.ItemElement, path.Element);
                if (path.Index is null)
                {
                    props[path.Element] = new XElement(source);
                }
                else
                {
                    SetIndexed(props, path, source);
                }

                break;
            case UpdateAction.Append:
                if (!ItemFields.Has(flags, FieldFlags.Append))
                {
                    throw new EwsException("ErrorInvalidPropertyAppend", $"The property {path.FieldUri} does not support the append action.");
                }

                Append(props, path.Element, SingleProperty(update.ItemElement, path.Element));
                break;
            default:
                if (ItemFields.Has(flags, FieldFlags.ReadOnly) || path.Element is "Start" or "End" or "ItemClass" or "UID")
                {
                    throw new EwsException("ErrorInvalidPropertyDelete", $"The property {path.FieldUri} cannot be deleted.");
                }

                if (path.Index is null)
                {
                    props.Remove(path.Element);
                }
                else
                {
                    DeleteIndexed(props, path);
                }

                break;
        }

        changed.Add(path.Element);
    }

    private static XElement SingleProperty(XElement? itemElement, string element)
    {
        var children = itemElement?.Elements().ToList() ?? [];
        if (children.Count != 1 || children[0].Name.LocalName != element)
        {
            throw new EwsException("ErrorIncorrectUpdatePropertyCount", "An object within a change description must contain one and only one property to modify.");
        }

        return children[0];
    }

    private static void SetIndexed(Dictionary<string, XElement> props, PropertyPath path, XElement sourceContainer)
    {
        var sourceEntry = sourceContainer.Elements(T + "Entry").FirstOrDefault(e => (string?)e.Attribute("Key") == path.Index)
            ?? throw new EwsException("ErrorIncorrectUpdatePropertyCount", "An object within a change description must contain one and only one property to modify.");
        var container = props.TryGetValue(path.Element, out var existing) ? new XElement(existing) : new XElement(T + path.Element);
        var entry = container.Elements(T + "Entry").FirstOrDefault(e => (string?)e.Attribute("Key") == path.Index);
        if (path.SubElement is null)
        {
            entry?.Remove();
            container.Add(new XElement(sourceEntry));
        }
        else
        {
            if (entry is null)
            {
                entry = new XElement(T + "Entry", new XAttribute("Key", path.Index!));
                container.Add(entry);
            }

            entry.Element(T + path.SubElement)?.Remove();
            if (sourceEntry.Element(T + path.SubElement) is { } value)
            {
                entry.Add(new XElement(value));
            }

            var ordered = entry.Elements().OrderBy(e => Array.IndexOf(PhysicalAddressOrder, e.Name.LocalName)).ToList();
            entry.RemoveNodes();
            entry.Add(ordered);
        }

        props[path.Element] = container;
    }

    private static void DeleteIndexed(Dictionary<string, XElement> props, PropertyPath path)
    {
        if (!props.TryGetValue(path.Element, out var existing))
        {
            return;
        }

        var container = new XElement(existing);
        var entry = container.Elements(T + "Entry").FirstOrDefault(e => (string?)e.Attribute("Key") == path.Index);
        if (path.SubElement is null)
        {
            entry?.Remove();
        }
        else
        {
            entry?.Element(T + path.SubElement)?.Remove();
            if (entry is not null && !entry.HasElements)
            {
                entry.Remove();
            }
        }

        if (container.HasElements)
        {
            props[path.Element] = container;
        }
        else
        {
            props.Remove(path.Element);
        }
    }

    private static void Append(Dictionary<string, XElement> props, string element, XElement addition)
    {
        if (!props.TryGetValue(element, out var existing))
        {
            props[element] = new XElement(addition);
            return;
        }

        var merged = new XElement(existing);
        if (element == "Body")
        {
            merged.Value = existing.Value + addition.Value;
        }
        else
        {
            merged.Add(addition.Elements().Select(e => new XElement(e)));
        }

        props[element] = merged;
    }

    private static void ApplyExtended(Dictionary<string, XElement> extended, PropertyUpdate update, string key)
    {
        if (update.Action == UpdateAction.Delete)
        {
            extended.Remove(key);
            return;
        }

        var property = update.ItemElement?.Elements(T + "ExtendedProperty")
            .FirstOrDefault(p => p.Element(T + "ExtendedFieldURI") is { } uri && PropertyPath.ExtendedKeyOf(uri) == key)
            ?? throw new EwsException("ErrorIncorrectUpdatePropertyCount", "An object within a change description must contain one and only one property to modify.");
        extended[key] = new XElement(property);
    }
}

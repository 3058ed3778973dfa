using System.Xml.Linq;
using Connector.Emulator.Store;
using static Connector.Emulator.Ews.EwsNames;

namespace Connector.Emulator.Ews;

/// <summary>A parsed t:ItemShape / t:FolderShape: base shape, body type and additional properties.</summary>
internal sealed class ItemShape
{
    public static readonly ItemShape IdOnly = new("IdOnly", "Best", []);

    public ItemShape(string baseShape, string bodyType, IReadOnlyList<PropertyPath> additional)
    {
        BaseShape = baseShape;
        BodyType = bodyType;
        Additional = additional;
    }

    public string BaseShape { get; }

    public string BodyType { get; }

    public IReadOnlyList<PropertyPath> Additional { get; }

    public static ItemShape Parse(XElement? shape)
    {
        if (shape is null)
        {
            return IdOnly;
        }

        var additional = shape.Element(T + "AdditionalProperties")?.Elements().Select(PropertyPath.FromXml).ToList() ?? [];
        return new ItemShape(
            shape.Element(T + "BaseShape")?.Value ?? "IdOnly",
            shape.Element(T + "BodyType")?.Value ?? "Best",
            additional);
    }
}

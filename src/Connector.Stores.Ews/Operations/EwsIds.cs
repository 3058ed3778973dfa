using System.Xml;
using Connector.Stores.Ews.Http;

namespace Connector.Stores.Ews.Operations;

/// <summary>An EWS item id with the change key it was seen at (null when unknown or not wanted).</summary>
internal sealed record EwsItemId(string Id, string? ChangeKey = null)
{
    /// <summary>Writes t:ItemId.</summary>
    public void Write(XmlWriter writer)
    {
        writer.WriteStartElement("t", "ItemId", EwsXml.Types);
        writer.WriteAttributeString("Id", Id);
        if (ChangeKey is not null)
        {
            writer.WriteAttributeString("ChangeKey", ChangeKey);
        }

        writer.WriteEndElement();
    }

    /// <summary>Reads the t:ItemId (or t:FolderId) element the reader is on.</summary>
    public static EwsItemId Read(XmlReader reader)
    {
        var id = reader.GetAttribute("Id") ?? throw new XmlException($"{reader.Name} without an Id attribute");
        var changeKey = reader.GetAttribute("ChangeKey");
        reader.Skip();
        return new EwsItemId(id, changeKey);
    }

    /// <summary>
    /// The ChangeKey of the t:ItemId in the item element the reader is on: the item callback of a GetItem that
    /// only wants to learn an item's current key.
    /// </summary>
    public static string? ReadChangeKey(XmlReader item)
    {
        string? changeKey = null;
        EwsXml.ForEachChild(item, property =>
        {
            if (EwsXml.Is(property, EwsXml.Types, "ItemId"))
            {
                changeKey = property.GetAttribute("ChangeKey");
            }

            property.Skip();
        });
        return changeKey;
    }
}

/// <summary>A folder named by a distinguished id ("calendar") or by its folder id.</summary>
internal sealed record EwsFolderRef
{
    private EwsFolderRef(string? distinguishedId, string? folderId)
    {
        DistinguishedId = distinguishedId;
        FolderId = folderId;
    }

    public const string Calendar = "calendar";
    public const string Contacts = "contacts";
    public const string Tasks = "tasks";

    public string? DistinguishedId { get; }

    public string? FolderId { get; }

    public static EwsFolderRef Distinguished(string id) => new(id, null);

    public static EwsFolderRef ById(string folderId) => new(null, folderId);

    /// <summary>Writes t:DistinguishedFolderId or t:FolderId.</summary>
    public void Write(XmlWriter writer)
    {
        if (DistinguishedId is not null)
        {
            writer.WriteStartElement("t", "DistinguishedFolderId", EwsXml.Types);
            writer.WriteAttributeString("Id", DistinguishedId);
        }
        else
        {
            writer.WriteStartElement("t", "FolderId", EwsXml.Types);
            writer.WriteAttributeString("Id", FolderId);
        }

        writer.WriteEndElement();
    }

    public override string ToString() => DistinguishedId ?? FolderId ?? string.Empty;
}

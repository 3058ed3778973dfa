using System.Xml;
using Connector.Domain;
using Connector.Mapping.Text;

namespace Connector.Stores.Ews.Mapping;

/// <summary>Fields every item type shares (ItemType): id, subject, body, categories, sensitivity, times.</summary>
internal sealed class EwsItemBase
{
    public string? ItemId { get; set; }

    public string? ChangeKey { get; set; }

    public string? Subject { get; set; }

    public string? Text { get; set; }

    public string? Html { get; set; }

    public ValueList<string> Categories { get; set; }

    public Sensitivity Sensitivity { get; set; }

    public string? Importance { get; set; }

    public string? Created { get; set; }

    public string? LastModified { get; set; }

    public string? ReminderIsSet { get; set; }

    public string? ReminderMinutes { get; set; }

    public string? ReminderDueBy { get; set; }

    public Dictionary<string, string> ExtendedProperties { get; } = new(StringComparer.Ordinal);

    public string Label(string element, string? uid = null) =>
        ItemId is not null ? $"{element} ItemId={ItemId}" : uid is not null ? $"{element} UID={uid}" : element;

    /// <summary>Reads a base field; false when <paramref name="name"/> is not one.</summary>
    public bool TryRead(XmlReader reader, string name)
    {
        switch (name)
        {
            case "ItemId":
                ItemId = reader.GetAttribute("Id");
                ChangeKey = reader.GetAttribute("ChangeKey");
                reader.Skip();
                return true;
            case "Subject":
                Subject = EwsItemXml.Text(reader);
                return true;
            case "Body":
                var html = string.Equals(reader.GetAttribute("BodyType"), "HTML", StringComparison.OrdinalIgnoreCase);
                var body = EwsItemXml.Text(reader);
                Html = html ? body : null;
                Text = html ? null : body;
                return true;
            case "Categories":
                var list = new List<string>();
                EwsItemXml.ReadChildren(reader, n =>
                {
                    if (n != "String")
                    {
                        reader.Skip();
                    }
                    else if (EwsItemXml.Text(reader) is { } s)
                    {
                        list.Add(s);
                    }
                });
                Categories = list.ToValueList();
                return true;
            case "Sensitivity":
                Sensitivity = EwsItemXml.ParseEnum<Sensitivity>(reader.ReadElementContentAsString(), name);
                return true;
            case "Importance":
                Importance = reader.ReadElementContentAsString();
                return true;
            case "DateTimeCreated":
                Created = reader.ReadElementContentAsString();
                return true;
            case "LastModifiedTime":
                LastModified = reader.ReadElementContentAsString();
                return true;
            case "ReminderIsSet":
                ReminderIsSet = reader.ReadElementContentAsString();
                return true;
            case "ReminderMinutesBeforeStart":
                ReminderMinutes = reader.ReadElementContentAsString();
                return true;
            case "ReminderDueBy":
                ReminderDueBy = reader.ReadElementContentAsString();
                return true;
            case "ExtendedProperty":
                ReadExtendedProperty(reader);
                return true;
            default:
                return false;
        }
    }

    public DateTime? CreatedUtc => Created is null ? null : EwsTime.Instant(EwsItemXml.ParseDateTime(Created, "DateTimeCreated"), null);

    public DateTime? LastModifiedUtc => LastModified is null ? null : EwsTime.Instant(EwsItemXml.ParseDateTime(LastModified, "LastModifiedTime"), null);

    public bool IsReminderSet => ReminderIsSet is not null && EwsItemXml.ParseBool(ReminderIsSet, "ReminderIsSet");

    private void ReadExtendedProperty(XmlReader reader)
    {
        string? key = null;
        string? value = null;
        EwsItemXml.ReadChildren(reader, n =>
        {
            if (n == "ExtendedFieldURI")
            {
                key = EwsExtendedProperty.KeyOf(reader.GetAttribute("DistinguishedPropertySetId"), reader.GetAttribute("PropertyName"), reader.GetAttribute("PropertyTag"));
                reader.Skip();
            }
            else if (n == "Value")
            {
                value = reader.ReadElementContentAsString();
            }
            else
            {
                reader.Skip();
            }
        });
        if (key is not null && value is not null)
        {
            ExtendedProperties[key] = value;
        }
    }
}

/// <summary>
/// The MAPI properties the mapping keeps in ExtendedProperty elements. The store must ask for them in
/// GetItem's AdditionalProperties (ExtendedFieldURI) to get them back.
/// </summary>
public sealed record EwsExtendedProperty(string? DistinguishedPropertySetId, string? PropertyName, string? PropertyTag)
{
    /// <summary>The iCalendar/vCard UID of contacts and tasks, which EWS has no field for (a named string property).</summary>
    public static EwsExtendedProperty Uid { get; } = new("PublicStrings", "urn:connector:uid", null);

    /// <summary>PidTagDisplayNamePrefix (0x3A45): the name prefix ("Dr."); CompleteName/Title is read-only.</summary>
    public static EwsExtendedProperty NamePrefix { get; } = new(null, null, "0x3A45");

    public string Key => KeyOf(DistinguishedPropertySetId, PropertyName, PropertyTag);

    internal static string KeyOf(string? set, string? name, string? tag) =>
        tag is not null ? "tag:" + tag.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal) : $"{set}:{name}";

    internal void Write(XmlWriter w, string value)
    {
        const string ns = EwsFields.TypesNamespace;
        w.WriteStartElement("ExtendedProperty", ns);
        w.WriteStartElement("ExtendedFieldURI", ns);
        if (DistinguishedPropertySetId is not null)
        {
            w.WriteAttributeString("DistinguishedPropertySetId", DistinguishedPropertySetId);
        }

        if (PropertyTag is not null)
        {
            w.WriteAttributeString("PropertyTag", PropertyTag);
        }

        if (PropertyName is not null)
        {
            w.WriteAttributeString("PropertyName", PropertyName);
        }

        w.WriteAttributeString("PropertyType", "String");
        w.WriteEndElement();
        w.WriteElementString("Value", ns, value);
        w.WriteEndElement();
    }
}

internal static class EwsCommonWriter
{
    public static void WriteBase(OrderedElementWriter e, string? itemId, string? subject, string? text, string? html,
        ValueList<string> categories, Sensitivity sensitivity, DateTime? created, DateTime? lastModified)
    {
        const string ns = EwsFields.TypesNamespace;
        if (itemId is not null)
        {
            e.Add("ItemId", w =>
            {
                w.WriteStartElement("ItemId", ns);
                w.WriteAttributeString("Id", itemId);
                w.WriteEndElement();
            });
        }

        e.AddText("Subject", subject);
        e.Add("Sensitivity", w => w.WriteElementString("Sensitivity", ns, sensitivity.ToString()));
        if ((html ?? text) is { } body)
        {
            e.Add("Body", w =>
            {
                w.WriteStartElement("Body", ns);
                w.WriteAttributeString("BodyType", html is not null ? "HTML" : "Text");
                w.WriteString(body);
                w.WriteEndElement();
            });
        }

        if (!categories.IsEmpty)
        {
            e.Add("Categories", w =>
            {
                w.WriteStartElement("Categories", ns);
                foreach (var c in categories)
                {
                    w.WriteElementString("String", ns, c);
                }

                w.WriteEndElement();
            });
        }

        if (created is { } c)
        {
            e.AddText("DateTimeCreated", EwsItemXml.FormatUtc(c));
        }

        if (lastModified is { } m)
        {
            e.AddText("LastModifiedTime", EwsItemXml.FormatUtc(m));
        }
    }

    /// <summary>Runs a reader step and names the item in any mapping failure (S21).</summary>
    public static T Named<T>(Func<string> label, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (MappingException ex) when (ex.Item is null)
        {
            throw ex.WithItem(label());
        }
        catch (XmlException ex)
        {
            throw new MappingException($"malformed XML: {ex.Message}", ex.LineNumber > 0 ? ex.LineNumber : null, label(), ex);
        }
    }
}

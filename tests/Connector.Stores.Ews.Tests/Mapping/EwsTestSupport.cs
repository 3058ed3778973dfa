using System.Text;
using System.Xml;
using System.Xml.Schema;
using Connector.Domain;
using Connector.Stores.Ews.Mapping;

namespace Connector.Stores.Ews.Tests.Mapping;

internal static class EwsTestSupport
{
    public const string T = EwsFields.TypesNamespace;

    private static readonly Lazy<XmlSchemaSet> Schemas = new(() =>
    {
        var set = new XmlSchemaSet { XmlResolver = new XmlUrlResolver() };
        set.Add(EwsFields.MessagesNamespace, Path.Combine(SharedFixtures.SharedDirectory, "protocols", "ews", "messages.xsd"));
        set.Compile();
        return set;
    });

    public static string Example(string name) => Path.Combine(SharedFixtures.SharedDirectory, "protocols", "examples", name);

    public static IReadOnlyList<EwsItem<ISyncItem>> ReadExample(string name)
    {
        using var stream = File.OpenRead(Example(name));
        return EwsDocumentReader.ReadAll(stream);
    }

    public static XmlReader ItemReader(string itemXml)
    {
        var reader = XmlReader.Create(new StringReader(itemXml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreWhitespace = true });
        reader.MoveToContent();
        return reader;
    }

    /// <summary>A CreateItem request holding the items the writer produces.</summary>
    public static string CreateItemRequest(Action<XmlWriter> writeItems)
    {
        var sb = new StringBuilder();
        using (var w = XmlWriter.Create(sb, new XmlWriterSettings { Indent = true }))
        {
            w.WriteStartElement("soap", "Envelope", EwsFields.SoapNamespace);
            w.WriteStartElement("soap", "Body", EwsFields.SoapNamespace);
            w.WriteStartElement("m", "CreateItem", EwsFields.MessagesNamespace);
            w.WriteAttributeString("xmlns", "t", null, T);
            w.WriteStartElement("m", "Items", EwsFields.MessagesNamespace);
            writeItems(w);
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
        }

        return sb.ToString();
    }

    /// <summary>Validates the CreateItem element against messages.xsd/types.xsd; returns the errors.</summary>
    public static List<string> Validate(string envelope)
    {
        var doc = new XmlDocument();
        doc.LoadXml(envelope);
        var createItem = doc.GetElementsByTagName("CreateItem", EwsFields.MessagesNamespace)[0]!;
        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = Schemas.Value };
        settings.ValidationEventHandler += (_, e) => errors.Add(e.Message);
        using var reader = XmlReader.Create(new StringReader(createItem.OuterXml), settings);
        while (reader.Read())
        {
        }

        return errors;
    }

    public static string Wrap<TItem>(TItem item, Action<XmlWriter, TItem> write)
    {
        var sb = new StringBuilder();
        using (var w = XmlWriter.Create(sb, new XmlWriterSettings { OmitXmlDeclaration = true }))
        {
            write(w, item);
        }

        return sb.ToString();
    }

    public static EwsMappingOptions Server(string? zone = null) => new() { Mode = EwsWriteMode.Server, MailboxTimeZone = zone };

    public static CalendarEvent RoundTrip(CalendarEvent ev, EwsMappingOptions options) =>
        EwsCalendarItemReader.Read(ItemReader(Wrap(ev, (w, e) => EwsCalendarItemWriter.Write(w, e, options))), options).Item;

    public static Contact RoundTrip(Contact c, EwsMappingOptions options) =>
        EwsContactMapping.Read(ItemReader(Wrap(c, (w, x) => EwsContactMapping.Write(w, x, options)))).Item;

    public static TaskItem RoundTrip(TaskItem t, EwsMappingOptions options) =>
        EwsTaskMapping.Read(ItemReader(Wrap(t, (w, x) => EwsTaskMapping.Write(w, x, options))), options).Item;
}

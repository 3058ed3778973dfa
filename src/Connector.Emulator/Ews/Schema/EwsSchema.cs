using System.Reflection;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace Connector.Emulator.Ews.Schema;

/// <summary>
/// Microsoft's EWS schema (messages.xsd + types.xsd, embedded) compiled once, plus request and
/// response validation and the element order of schema types (used to write items in schema order).
/// </summary>
internal static class EwsSchema
{
    private const string ResourcePrefix = "Connector.Emulator.Ews.Schema.";
    private static readonly Uri BaseUri = new("emulator-schema:///");
    private static readonly Lazy<XmlSchemaSet> LazySet = new(Compile, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Dictionary<string, IReadOnlyList<string>> OrderCache = new(StringComparer.Ordinal);
    private static readonly Lock OrderGate = new();

    /// <summary>The compiled schema set. Read-only after compilation, shared by all validations.</summary>
    public static XmlSchemaSet Set => LazySet.Value;

    /// <summary>The raw bytes of an embedded schema file (messages.xsd, types.xsd, services.wsdl).</summary>
    public static byte[]? ReadResource(string fileName)
    {
        using var stream = typeof(EwsSchema).Assembly.GetManifestResourceStream(ResourcePrefix + fileName);
        if (stream is null)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>
    /// Parses and validates a SOAP request. Elements inside soap:Header and soap:Body that are in
    /// an EWS namespace are validated strictly against the schema; the envelope itself is SOAP 1.1.
    /// </summary>
    public static SchemaCheck ValidateEnvelope(byte[] body)
    {
        SchemaViolation? violation = null;
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            ValidationType = ValidationType.Schema,
            Schemas = Set,
            ValidationFlags = XmlSchemaValidationFlags.ReportValidationWarnings,
        };
        settings.ValidationEventHandler += (sender, e) =>
        {
            if (violation is not null)
            {
                return;
            }

            // Lax processing of the (undeclared) soap:Envelope reports its children as warnings;
            // a warning about an element in an EWS namespace is a real error (an undeclared element).
            var ns = (sender as XmlReader)?.NamespaceURI ?? string.Empty;
            if (e.Severity == XmlSeverityType.Warning && !EwsNames.IsEwsNamespace(ns))
            {
                return;
            }

            violation = new SchemaViolation(e.Exception?.LineNumber ?? 0, e.Exception?.LinePosition ?? 0, e.Message);
        };

        XDocument document;
        try
        {
            using var input = new MemoryStream(body, writable: false);
            using var reader = XmlReader.Create(input, settings);
            document = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException ex)
        {
            return new SchemaCheck(null, null, new SchemaViolation(ex.LineNumber, ex.LinePosition, ex.Message));
        }
        catch (XmlSchemaException ex)
        {
            return new SchemaCheck(null, new SchemaViolation(ex.LineNumber, ex.LinePosition, ex.Message), null);
        }

        if (violation is not null)
        {
            return new SchemaCheck(null, violation, null);
        }

        return new SchemaCheck(document, null, null);
    }

    /// <summary>Validates a whole response envelope the way <see cref="ValidateEnvelope"/> validates requests.</summary>
    public static IReadOnlyList<string> ValidateResponse(string xml)
    {
        var check = ValidateEnvelope(System.Text.Encoding.UTF8.GetBytes(xml));
        var errors = new List<string>();
        if (check.NotWellFormed is { } bad)
        {
            errors.Add($"not well-formed: {bad}");
        }

        if (check.Violation is { } violation)
        {
            errors.Add(violation.ToString());
        }

        return errors;
    }

    /// <summary>
    /// The local names of the child elements of a schema complex type, in schema order, base type
    /// first (e.g. "CalendarItemType": MimeContent, ItemId, ParentFolderId, …, UID, …).
    /// </summary>
    public static IReadOnlyList<string> ElementOrder(string typeName)
    {
        lock (OrderGate)
        {
            if (OrderCache.TryGetValue(typeName, out var cached))
            {
                return cached;
            }

            var type = Set.GlobalTypes[new XmlQualifiedName(typeName, EwsNames.Types)] as XmlSchemaComplexType
                ?? throw new InvalidOperationException($"schema type {typeName} not found");
            var names = new List<string>();
            Collect(type.ContentTypeParticle, names);
            OrderCache[typeName] = names;
            return names;
        }
    }

    /// <summary>The element order of an item kind's schema type.</summary>
    public static IReadOnlyList<string> ElementOrderFor(Store.ItemKind kind) => ElementOrder(Store.ItemKinds.SchemaType(kind));

    private static void Collect(XmlSchemaParticle? particle, List<string> names)
    {
        switch (particle)
        {
            case XmlSchemaElement element:
                if (!names.Contains(element.QualifiedName.Name))
                {
                    names.Add(element.QualifiedName.Name);
                }

                break;
            case XmlSchemaGroupBase group:
                foreach (var item in group.Items)
                {
                    Collect(item as XmlSchemaParticle, names);
                }

                break;
            case XmlSchemaGroupRef groupRef:
                Collect(groupRef.Particle, names);
                break;
            default:
                break;
        }
    }

    private static XmlSchemaSet Compile()
    {
        var set = new XmlSchemaSet { XmlResolver = new EmbeddedSchemaResolver() };
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = new EmbeddedSchemaResolver() };
        using var stream = OpenResource("messages.xsd");
        using var reader = XmlReader.Create(stream, settings, new Uri(BaseUri, "messages.xsd").AbsoluteUri);
        set.Add(null, reader);
        set.Compile();
        return set;
    }

    private static Stream OpenResource(string fileName) =>
        typeof(EwsSchema).Assembly.GetManifestResourceStream(ResourcePrefix + fileName)
        ?? throw new InvalidOperationException($"embedded schema {fileName} missing");

    /// <summary>
    /// Resolves messages.xsd's relative import of types.xsd to the embedded copy; everything else
    /// goes through the ordinary URL resolver (the xml: namespace is built into .NET).
    /// </summary>
    private sealed class EmbeddedSchemaResolver : XmlUrlResolver
    {
        public override object? GetEntity(Uri absoluteUri, string? role, Type? ofObjectToReturn)
        {
            if (absoluteUri.Scheme == BaseUri.Scheme)
            {
                return OpenResource(Path.GetFileName(absoluteUri.AbsolutePath));
            }

            throw new XmlException($"the emulator's schema set resolves no external resource ({absoluteUri})");
        }
    }
}

/// <summary>The result of parsing and validating a request: a document, or why not.</summary>
internal sealed record SchemaCheck(XDocument? Document, SchemaViolation? Violation, SchemaViolation? NotWellFormed);

/// <summary>One schema violation, with the position Exchange reports in its MessageXml.</summary>
internal sealed record SchemaViolation(int LineNumber, int LinePosition, string Message)
{
    public override string ToString() => $"({LineNumber},{LinePosition}) {Message}";
}

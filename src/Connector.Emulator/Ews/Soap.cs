using System.Globalization;
using System.Xml.Linq;
using Connector.Emulator.Store;
using static Connector.Emulator.Ews.EwsNames;

namespace Connector.Emulator.Ews;

/// <summary>SOAP 1.1 envelopes, faults and EWS response messages as Exchange writes them.</summary>
internal static class Soap
{
    /// <summary>The Exchange build the emulator claims to be (Exchange Server 2019 CU14).</summary>
    public static XElement ServerVersionInfo() => new(
        T + "ServerVersionInfo",
        new XAttribute("MajorVersion", "15"),
        new XAttribute("MinorVersion", "2"),
        new XAttribute("MajorBuildNumber", "1544"),
        new XAttribute("MinorBuildNumber", "4"),
        new XAttribute("Version", "V2017_07_11"));

    public static XDocument Envelope(XElement body) => new(
        new XDeclaration("1.0", "utf-8", null),
        new XElement(
            S + "Envelope",
            new XAttribute(XNamespace.Xmlns + "s", Soap11),
            new XAttribute(XNamespace.Xmlns + "m", Messages),
            new XAttribute(XNamespace.Xmlns + "t", Types),
            new XElement(S + "Header", ServerVersionInfo()),
            new XElement(S + "Body", body)));

    /// <summary>
    /// A SOAP fault as Exchange sends it (HTTP 500): faultcode a:ErrorX, faultstring, and in
    /// detail e:ResponseCode, e:Message and t:MessageXml (BackOffMilliseconds, schema position…).
    /// </summary>
    public static XDocument Fault(string responseCode, string faultString, string message, XElement? messageXml = null, string faultCodeNamespace = Types)
    {
        var a = XNamespace.Get(faultCodeNamespace);
        var detail = new XElement(
            "detail",
            new XElement(E + "ResponseCode", new XAttribute(XNamespace.Xmlns + "e", Errors), responseCode),
            new XElement(E + "Message", new XAttribute(XNamespace.Xmlns + "e", Errors), message));
        if (messageXml is not null)
        {
            detail.Add(messageXml);
        }

        return new XDocument(
            new XDeclaration("1.0", "utf-8", null),
            new XElement(
                S + "Envelope",
                new XAttribute(XNamespace.Xmlns + "s", Soap11),
                new XElement(
                    S + "Body",
                    new XElement(
                        S + "Fault",
                        new XElement("faultcode", new XAttribute(XNamespace.Xmlns + "a", a.NamespaceName), "a:" + responseCode),
                        new XElement("faultstring", new XAttribute(XNamespace.Xml + "lang", "en-US"), faultString),
                        detail))));
    }

    public static XDocument SchemaValidationFault(Schema.SchemaViolation violation) => Fault(
        "ErrorSchemaValidation",
        "The request failed schema validation: " + violation.Message,
        "The request failed schema validation.",
        new XElement(
            T + "MessageXml",
            new XAttribute(XNamespace.Xmlns + "t", Types),
            new XElement(T + "LineNumber", violation.LineNumber.ToString(CultureInfo.InvariantCulture)),
            new XElement(T + "LinePosition", violation.LinePosition.ToString(CultureInfo.InvariantCulture)),
            new XElement(T + "Violation", violation.Message)));

    public static XDocument ServerBusyFault(int backOffMilliseconds) => Fault(
        "ErrorServerBusy",
        "The server cannot service this request right now. Try again later.",
        "The server cannot service this request right now. Try again later.",
        new XElement(
            T + "MessageXml",
            new XAttribute(XNamespace.Xmlns + "t", Types),
            new XElement(T + "Value", new XAttribute("Name", "BackOffMilliseconds"), backOffMilliseconds.ToString(CultureInfo.InvariantCulture))));

    /// <summary>A successful m:…ResponseMessage.</summary>
    public static XElement Success(string messageName, params object?[] content) => new(
        M + messageName,
        new XAttribute("ResponseClass", "Success"),
        new XElement(M + "ResponseCode", "NoError"),
        content);

    /// <summary>A failed m:…ResponseMessage (ResponseClass="Error") with the content Exchange still writes (e.g. an empty m:Items).</summary>
    public static XElement Error(string messageName, EwsException error, params object?[] content) => new(
        M + messageName,
        new XAttribute("ResponseClass", "Error"),
        new XElement(M + "MessageText", error.Message),
        new XElement(M + "ResponseCode", error.ResponseCode),
        new XElement(M + "DescriptiveLinkKey", "0"),
        content);

    private const string Soap11 = EwsNames.Soap;
}

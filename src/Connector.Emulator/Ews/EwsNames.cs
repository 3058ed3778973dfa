using System.Xml.Linq;

namespace Connector.Emulator.Ews;

/// <summary>XML namespaces and names of the EWS SOAP protocol.</summary>
internal static class EwsNames
{
    public const string Soap = "http://schemas.xmlsoap.org/soap/envelope/";
    public const string Messages = "http://schemas.microsoft.com/exchange/services/2006/messages";
    public const string Types = "http://schemas.microsoft.com/exchange/services/2006/types";
    public const string Errors = "http://schemas.microsoft.com/exchange/services/2006/errors";

    public static readonly XNamespace S = Soap;
    public static readonly XNamespace M = Messages;
    public static readonly XNamespace T = Types;
    public static readonly XNamespace E = Errors;

    public static bool IsEwsNamespace(string ns) => ns is Messages or Types;
}

using System.Xml.Linq;
using static Connector.Emulator.Ews.EwsNames;

namespace Connector.Emulator.Store;

/// <summary>Exchange's contact rules: a DisplayName and FileAs when none is given, and the computed CompleteName.</summary>
internal static class ContactRules
{
    public static void Normalize(Dictionary<string, XElement> props)
    {
        var given = props.GetValueOrDefault("GivenName")?.Value;
        var middle = props.GetValueOrDefault("MiddleName")?.Value;
        var surname = props.GetValueOrDefault("Surname")?.Value;
        var company = props.GetValueOrDefault("CompanyName")?.Value;
        var email = props.GetValueOrDefault("EmailAddresses")?.Elements(T + "Entry").FirstOrDefault()?.Value;
        var full = string.Join(' ', new[] { given, middle, surname }.Where(s => !string.IsNullOrWhiteSpace(s)));
        if (!props.ContainsKey("DisplayName"))
        {
            var display = !string.IsNullOrEmpty(full) ? full : company ?? email;
            if (display is not null)
            {
                props["DisplayName"] = new XElement(T + "DisplayName", display);
            }
        }

        if (!props.ContainsKey("FileAs"))
        {
            var fileAs = !string.IsNullOrWhiteSpace(surname) && !string.IsNullOrWhiteSpace(given) ? $"{surname}, {given}"
                : !string.IsNullOrEmpty(full) ? full : company;
            if (fileAs is not null)
            {
                props["FileAs"] = new XElement(T + "FileAs", fileAs);
            }
        }
    }

    /// <summary>t:CompleteName as Exchange computes it from the name parts.</summary>
    public static XElement? CompleteName(IReadOnlyDictionary<string, XElement> props)
    {
        var parts = new (string Element, string? Value)[]
        {
            ("FirstName", props.GetValueOrDefault("GivenName")?.Value),
            ("MiddleName", props.GetValueOrDefault("MiddleName")?.Value),
            ("LastName", props.GetValueOrDefault("Surname")?.Value),
            ("Suffix", props.GetValueOrDefault("Generation")?.Value),
            ("Initials", props.GetValueOrDefault("Initials")?.Value),
            ("FullName", props.GetValueOrDefault("DisplayName")?.Value),
            ("Nickname", props.GetValueOrDefault("Nickname")?.Value),
        };
        if (parts.All(p => string.IsNullOrEmpty(p.Value)))
        {
            return null;
        }

        return new XElement(T + "CompleteName", parts.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => new XElement(T + p.Element, p.Value)));
    }
}

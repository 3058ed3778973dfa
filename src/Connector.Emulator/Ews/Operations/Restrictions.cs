using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Connector.Emulator.Store;
using static Connector.Emulator.Ews.EwsNames;

namespace Connector.Emulator.Ews.Operations;

/// <summary>
/// The subset of FindItem restrictions the emulator evaluates: IsEqualTo, IsNotEqualTo,
/// IsGreaterThan(OrEqualTo), IsLessThan(OrEqualTo), Contains (substring, case-insensitive),
/// Exists, And, Or, Not — over unindexed, indexed and extended properties compared with a
/// constant. Anything else is refused with ErrorUnsupportedPathForQuery.
/// </summary>
internal static class Restrictions
{
    public static bool Matches(XElement expression, Mailbox mailbox, StoredItem item, DateTime? occurrence)
    {
        switch (expression.Name.LocalName)
        {
            case "And":
                return expression.Elements().All(e => Matches(e, mailbox, item, occurrence));
            case "Or":
                return expression.Elements().Any(e => Matches(e, mailbox, item, occurrence));
            case "Not":
                return !Matches(expression.Elements().First(), mailbox, item, occurrence);
            case "Exists":
                return Value(expression.Elements().First(), mailbox, item, occurrence) is not null;
            case "Contains":
                var haystack = Value(expression.Elements().First(), mailbox, item, occurrence);
                var needle = (string?)expression.Element(T + "Constant")?.Attribute("Value") ?? string.Empty;
                return haystack?.Contains(needle, StringComparison.OrdinalIgnoreCase) == true;
            case "IsEqualTo":
            case "IsNotEqualTo":
            case "IsGreaterThan":
            case "IsGreaterThanOrEqualTo":
            case "IsLessThan":
            case "IsLessThanOrEqualTo":
                var left = Value(expression.Elements().First(), mailbox, item, occurrence);
                var constant = (string?)expression.Element(T + "FieldURIOrConstant")?.Element(T + "Constant")?.Attribute("Value")
                    ?? throw new EwsException("ErrorUnsupportedPathForQuery", "The emulator compares properties with constants only.");
                if (left is null)
                {
                    return expression.Name.LocalName == "IsNotEqualTo";
                }

                var order = Compare(left, constant);
                return expression.Name.LocalName switch
                {
                    "IsEqualTo" => order == 0,
                    "IsNotEqualTo" => order != 0,
                    "IsGreaterThan" => order > 0,
                    "IsGreaterThanOrEqualTo" => order >= 0,
                    "IsLessThan" => order < 0,
                    _ => order <= 0,
                };
            default:
                throw new EwsException("ErrorUnsupportedPathForQuery", $"The emulator does not evaluate {expression.Name.LocalName} restrictions.");
        }
    }

    private static string? Value(XElement path, Mailbox mailbox, StoredItem item, DateTime? occurrence)
    {
        var property = PropertyPath.FromXml(path);
        var written = ItemXmlWriter.Write(mailbox, item, occurrence, new ItemShape("IdOnly", "Best", [property]), forFind: false);
        if (property.ExtendedKey is not null)
        {
            return written.Element(T + "ExtendedProperty")?.Element(T + "Value")?.Value;
        }

        var element = written.Element(T + property.Element);
        if (element is null)
        {
            return null;
        }

        if (property.Index is not null)
        {
            var entry = element.Elements(T + "Entry").FirstOrDefault();
            return property.SubElement is null ? entry?.Value : entry?.Element(T + property.SubElement)?.Value;
        }

        return element.Name.LocalName == "ItemId" ? (string?)element.Attribute("Id") : element.Value;
    }

    private static int Compare(string left, string right)
    {
        if (DateTimeOffset.TryParse(left, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var l)
            && DateTimeOffset.TryParse(right, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var r)
            && left.Contains('T', StringComparison.Ordinal))
        {
            return l.CompareTo(r);
        }

        if (double.TryParse(left, NumberStyles.Float, CultureInfo.InvariantCulture, out var ld)
            && double.TryParse(right, NumberStyles.Float, CultureInfo.InvariantCulture, out var rd))
        {
            return ld.CompareTo(rd);
        }

        if (left is "true" or "false" && right is "true" or "false")
        {
            return XmlConvert.ToBoolean(left).CompareTo(XmlConvert.ToBoolean(right));
        }

        return string.Compare(left, right, StringComparison.OrdinalIgnoreCase);
    }
}

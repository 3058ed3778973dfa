using System.Globalization;
using System.Xml;
using Connector.Domain;
using Connector.Mapping.Text;

namespace Connector.Stores.Ews.Mapping;

/// <summary>
/// <c>t:Contact</c> ⇄ <see cref="Contact"/>. Phone keys ⇄ vCard types (<see cref="PhoneKeys"/>):
/// BusinessPhone/BusinessPhone2 work,voice; HomePhone/HomePhone2 home,voice; MobilePhone cell; BusinessMobile
/// work,cell; BusinessFax work,fax; HomeFax home,fax; OtherFax fax; OtherTelephone voice; Pager pager; CarPhone car;
/// Isdn isdn; TtyTddPhone textphone; keys without a vCard type carry a label (AssistantPhone "Assistant", Callback,
/// CompanyMainPhone "Company Main", RadioPhone "Radio", Telex, IPPhone "IP Phone", Mms "MMS", Msn "MSN",
/// PrimaryPhone "Primary"). Emails: EmailAddress1-3 in order (types are not kept). Addresses: Business ⇄ work,
/// Home ⇄ home, Other ⇄ neither. Lost when writing (Exchange has no slot; per S18 the store must update only
/// mapped fields so the Nextcloud copy keeps them): a 4th email and beyond, phones once their key is taken
/// (a second cell, a third work phone), a second address of a kind, PO box and extended address, URLs after
/// the first, photo, extra vCard properties. Ignored on read: Initials, AssistantName, Children, Companies,
/// ImAddresses, Manager, OfficeLocation, SpouseName, and every other ContactItemType element.
/// </summary>
public static class EwsContactMapping
{
    private const string Ns = EwsFields.TypesNamespace;

    /// <summary>Exchange marks an unknown birthday year with 1604 (as Apple does); read as "no year".</summary>
    public const int NoYear = 1604;

    public static IReadOnlyList<(string Key, string[] Types, string? Label)> PhoneKeys { get; } =
    [
        ("BusinessPhone", ["work", "voice"], null), ("BusinessPhone2", ["work", "voice"], null),
        ("HomePhone", ["home", "voice"], null), ("HomePhone2", ["home", "voice"], null),
        ("MobilePhone", ["cell"], null), ("BusinessMobile", ["work", "cell"], null),
        ("BusinessFax", ["work", "fax"], null), ("HomeFax", ["home", "fax"], null), ("OtherFax", ["fax"], null),
        ("OtherTelephone", ["voice"], null), ("Pager", ["pager"], null), ("CarPhone", ["car"], null),
        ("Isdn", ["isdn"], null), ("TtyTddPhone", ["textphone"], null),
        ("AssistantPhone", [], "Assistant"), ("Callback", [], "Callback"), ("CompanyMainPhone", [], "Company Main"),
        ("RadioPhone", [], "Radio"), ("Telex", [], "Telex"), ("IPPhone", [], "IP Phone"), ("Mms", [], "MMS"),
        ("Msn", [], "MSN"), ("PrimaryPhone", [], "Primary"),
    ];

    public static EwsItem<Contact> Read(XmlReader reader)
    {
        EwsItemXml.ExpectItemElement(reader, "Contact");
        var b = new EwsItemBase();
        var f = new Dictionary<string, string?>(StringComparer.Ordinal);
        var emails = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var phones = new List<TypedValue>();
        var addresses = new List<PostalAddress>();
        return EwsCommonWriter.Named(() => b.Label("Contact"), () =>
        {
            EwsItemXml.ReadChildren(reader, name =>
            {
                if (b.TryRead(reader, name))
                {
                    return;
                }

                switch (name)
                {
                    case "FileAs" or "DisplayName" or "GivenName" or "MiddleName" or "Nickname" or "CompanyName" or "Birthday" or "BusinessHomePage"
                        or "Department" or "Generation" or "JobTitle" or "Profession" or "Surname" or "WeddingAnniversary":
                        f[name] = EwsItemXml.Text(reader);
                        break;
                    case "CompleteName":
                        EwsItemXml.ReadChildren(reader, n =>
                        {
                            if (n is "Title" or "Suffix")
                            {
                                f["CompleteName." + n] = EwsItemXml.Text(reader);
                            }
                            else
                            {
                                reader.Skip();
                            }
                        });
                        break;
                    case "EmailAddresses":
                        Entries(reader, key => { if (EwsItemXml.Text(reader) is { } v) { emails[key] = v; } });
                        break;
                    case "PhoneNumbers":
                        Entries(reader, key =>
                        {
                            var value = EwsItemXml.Text(reader);
                            var k = PhoneKeys.FirstOrDefault(p => p.Key == key);
                            if (value is not null && k.Key is not null)
                            {
                                phones.Add(new TypedValue { Value = value, Types = k.Types, Label = k.Label });
                            }
                        });
                        break;
                    case "PhysicalAddresses":
                        Entries(reader, key =>
                        {
                            var parts = new Dictionary<string, string?>(StringComparer.Ordinal);
                            EwsItemXml.ReadChildren(reader, n => parts[n] = EwsItemXml.Text(reader));
                            addresses.Add(new PostalAddress
                            {
                                Street = parts.GetValueOrDefault("Street"),
                                Locality = parts.GetValueOrDefault("City"),
                                Region = parts.GetValueOrDefault("State"),
                                Country = parts.GetValueOrDefault("CountryOrRegion"),
                                PostalCode = parts.GetValueOrDefault("PostalCode"),
                                Types = key switch { "Business" => ["work"], "Home" => ["home"], _ => [] },
                            });
                        });
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            });

            var name = new StructuredName
            {
                Given = f.GetValueOrDefault("GivenName"),
                Additional = f.GetValueOrDefault("MiddleName"),
                Family = f.GetValueOrDefault("Surname"),
                Prefix = b.ExtendedProperties.GetValueOrDefault(EwsExtendedProperty.NamePrefix.Key) ?? f.GetValueOrDefault("CompleteName.Title"),
                Suffix = f.GetValueOrDefault("Generation") ?? f.GetValueOrDefault("CompleteName.Suffix"),
            };
            var contact = new Contact
            {
                Uid = b.ExtendedProperties.GetValueOrDefault(EwsExtendedProperty.Uid.Key) ?? b.ItemId ?? string.Empty,
                FormattedName = f.GetValueOrDefault("DisplayName") ?? f.GetValueOrDefault("FileAs"),
                Name = name.IsEmpty ? null : name,
                Nickname = f.GetValueOrDefault("Nickname"),
                Organization = f.GetValueOrDefault("CompanyName"),
                Department = f.GetValueOrDefault("Department"),
                Title = f.GetValueOrDefault("JobTitle"),
                Role = f.GetValueOrDefault("Profession"),
                Emails = emails.Values.Select(v => new TypedValue { Value = v }).ToValueList(),
                Phones = phones.ToValueList(),
                Addresses = addresses.ToValueList(),
                Urls = f.GetValueOrDefault("BusinessHomePage") is { } url ? [new TypedValue { Value = url, Types = ["work"] }] : [],
                Birthday = PartialDateOf(f.GetValueOrDefault("Birthday"), "Birthday"),
                Anniversary = PartialDateOf(f.GetValueOrDefault("WeddingAnniversary"), "WeddingAnniversary"),
                Note = b.Text ?? b.Html,
                Categories = b.Categories,
                Revision = b.LastModifiedUtc,
            };
            return new EwsItem<Contact>(b.ItemId, b.ChangeKey, contact);
        });
    }

    public static void Write(XmlWriter writer, Contact c, EwsMappingOptions? options = null, string? itemId = null)
    {
        options ??= EwsMappingOptions.Default;
        var e = new OrderedElementWriter(EwsFields.Contact, options.Mode);
        EwsCommonWriter.WriteBase(e, itemId, null, c.Note, null, c.Categories, Sensitivity.Normal, null, c.Revision);
        if (c.Uid.Length > 0)
        {
            e.Add("ExtendedProperty", w => EwsExtendedProperty.Uid.Write(w, c.Uid));
        }

        if (c.Name?.Prefix is { } prefix)
        {
            e.Add("ExtendedProperty", w => EwsExtendedProperty.NamePrefix.Write(w, prefix));
        }

        e.AddText("FileAs", c.FormattedName);
        e.AddText("DisplayName", c.FormattedName);
        e.AddText("GivenName", c.Name?.Given);
        e.AddText("MiddleName", c.Name?.Additional);
        e.AddText("Nickname", c.Nickname);
        e.AddText("CompanyName", c.Organization);
        var emails = c.Emails.Take(3).ToArray();
        if (emails.Length > 0)
        {
            e.Add("EmailAddresses", w => Dictionary(w, "EmailAddresses", emails.Select((m, i) => ($"EmailAddress{i + 1}", m.Value))));
        }

        var addresses = AssignAddresses(c.Addresses);
        if (addresses.Count > 0)
        {
            e.Add("PhysicalAddresses", w =>
            {
                w.WriteStartElement("PhysicalAddresses", Ns);
                foreach (var (key, a) in addresses)
                {
                    w.WriteStartElement("Entry", Ns);
                    w.WriteAttributeString("Key", key);
                    WriteOptional(w, "Street", a.Street);
                    WriteOptional(w, "City", a.Locality);
                    WriteOptional(w, "State", a.Region);
                    WriteOptional(w, "CountryOrRegion", a.Country);
                    WriteOptional(w, "PostalCode", a.PostalCode);
                    w.WriteEndElement();
                }

                w.WriteEndElement();
            });
        }

        var phones = AssignPhones(c.Phones);
        if (phones.Count > 0)
        {
            e.Add("PhoneNumbers", w => Dictionary(w, "PhoneNumbers", phones));
        }

        if (c.Birthday is { } birthday)
        {
            e.AddText("Birthday", FormatPartialDate(birthday));
        }

        var url = c.Urls.FirstOrDefault(u => u.HasType("work")) ?? (c.Urls.IsEmpty ? null : c.Urls[0]);
        e.AddText("BusinessHomePage", url?.Value);
        e.AddText("Department", c.Department);
        e.AddText("Generation", c.Name?.Suffix);
        e.AddText("JobTitle", c.Title);
        e.AddText("Profession", c.Role);
        e.AddText("Surname", c.Name?.Family);
        if (c.Anniversary is { } anniversary)
        {
            e.AddText("WeddingAnniversary", FormatPartialDate(anniversary));
        }

        writer.WriteStartElement("t", "Contact", Ns);
        e.WriteTo(writer);
        writer.WriteEndElement();
    }

    /// <summary>Phones to Exchange keys: an exact type/label match first, then by kind; a phone whose keys are taken is left out.</summary>
    internal static List<(string Key, string Value)> AssignPhones(IEnumerable<TypedValue> phones)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<(string, string)>();
        foreach (var p in phones)
        {
            var types = p.Types.Where(t => t is not "pref").Select(t => t.ToLowerInvariant()).ToHashSet();
            var exact = PhoneKeys.Where(k => k.Label is null ? types.SetEquals(k.Types) : k.Label == p.Label && types.Count == 0).Select(k => k.Key);
            string[] fallback = types.Contains("fax") ? (types.Contains("home") ? ["HomeFax", "OtherFax"] : types.Contains("work") ? ["BusinessFax", "OtherFax"] : ["OtherFax"])
                : types.Contains("cell") ? (types.Contains("work") ? ["BusinessMobile", "MobilePhone"] : ["MobilePhone", "BusinessMobile"])
                : types.Contains("pager") ? ["Pager"]
                : types.Contains("work") ? ["BusinessPhone", "BusinessPhone2"]
                : types.Contains("home") ? ["HomePhone", "HomePhone2"]
                : ["OtherTelephone", "PrimaryPhone"];
            if (exact.Concat(fallback).FirstOrDefault(taken.Add) is { } key)
            {
                result.Add((key, p.Value));
            }
        }

        return result;
    }

    private static List<(string Key, PostalAddress Address)> AssignAddresses(IEnumerable<PostalAddress> addresses)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<(string, PostalAddress)>();
        foreach (var a in addresses)
        {
            var key = a.Types.Contains("work", StringComparer.OrdinalIgnoreCase) ? "Business" : a.Types.Contains("home", StringComparer.OrdinalIgnoreCase) ? "Home" : "Other";
            if (taken.Add(key))
            {
                result.Add((key, a));
            }
        }

        return result;
    }

    private static void Entries(XmlReader reader, Action<string> onEntry) =>
        EwsItemXml.ReadChildren(reader, n =>
        {
            if (n == "Entry" && reader.GetAttribute("Key") is { } key)
            {
                onEntry(key);
            }
            else
            {
                reader.Skip();
            }
        });

    private static void Dictionary(XmlWriter w, string element, IEnumerable<(string Key, string Value)> entries)
    {
        w.WriteStartElement(element, Ns);
        foreach (var (key, value) in entries)
        {
            w.WriteStartElement("Entry", Ns);
            w.WriteAttributeString("Key", key);
            w.WriteString(value);
            w.WriteEndElement();
        }

        w.WriteEndElement();
    }

    private static void WriteOptional(XmlWriter w, string element, string? value)
    {
        if (value is not null)
        {
            w.WriteElementString(element, Ns, value);
        }
    }

    /// <summary>Birthdays are dates; Exchange stores them as a dateTime, so noon UTC keeps the day in every zone.</summary>
    private static string FormatPartialDate(PartialDate d) =>
        new DateTime(d.Year ?? NoYear, d.Month, d.Day, 12, 0, 0, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static PartialDate? PartialDateOf(string? text, string field)
    {
        if (text is null)
        {
            return null;
        }

        // The date as written (for "Z" values the UTC date): Exchange keeps birthdays near noon, so the day is right.
        var v = EwsItemXml.ParseDateTime(text, field).Value;
        return new PartialDate(v.Year == NoYear ? null : v.Year, v.Month, v.Day);
    }
}

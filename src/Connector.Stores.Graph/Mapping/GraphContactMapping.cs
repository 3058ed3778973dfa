using System.Globalization;
using Connector.Domain;
using Connector.Mapping.Text;
using Connector.Stores.Graph.Json;

namespace Connector.Stores.Graph.Mapping;

/// <summary>
/// Graph contact ⇄ <see cref="Contact"/>, pure.
/// <list type="bullet">
/// <item>UID: the connector's UID property (Graph contacts have none); a contact made in Outlook uses its Graph id.</item>
/// <item>displayName ⇄ FN; surname/givenName/middleName/title/generation ⇄ N; nickName, companyName, department,
/// jobTitle (TITLE), profession (ROLE), personalNotes (NOTE), categories, businessHomePage (first URL).</item>
/// <item>emailAddresses (at most 3, Graph keeps no types) ⇄ EMAIL; businessPhones ⇄ TEL work, homePhones ⇄ TEL home,
/// mobilePhone ⇄ TEL cell (one); other phone types go to businessPhones.</item>
/// <item>businessAddress/homeAddress/otherAddress ⇄ ADR work/home/other (one each; PO box and extended address have no field).</item>
/// <item>birthday (date) ⇄ BDAY; a birthday without a year cannot be written and is left out.</item>
/// <item>Not in Graph: anniversary, photo (a separate resource), extra URLs, unknown vCard properties.</item>
/// </list>
/// </summary>
public static class GraphContactMapping
{
    private const int MaxEmails = 3;

    public static Contact Read(GraphContact c)
    {
        ArgumentNullException.ThrowIfNull(c);
        try
        {
            var uid = GraphProperties.Find(c.SingleValueExtendedProperties, GraphProperties.Uid) ?? NotEmpty(c.Id)
                ?? throw new MappingException("the contact has no id");
            var name = new StructuredName
            {
                Family = NotEmpty(c.Surname),
                Given = NotEmpty(c.GivenName),
                Additional = NotEmpty(c.MiddleName),
                Prefix = NotEmpty(c.Title),
                Suffix = NotEmpty(c.Generation),
            };
            var phones = new List<TypedValue>();
            phones.AddRange(Values(c.BusinessPhones).Select(p => new TypedValue { Value = p, Types = ["work"] }));
            phones.AddRange(Values(c.HomePhones).Select(p => new TypedValue { Value = p, Types = ["home"] }));
            if (NotEmpty(c.MobilePhone) is { } mobile)
            {
                phones.Add(new TypedValue { Value = mobile, Types = ["cell"] });
            }

            var addresses = new List<PostalAddress>();
            AddAddress(addresses, c.BusinessAddress, "work");
            AddAddress(addresses, c.HomeAddress, "home");
            AddAddress(addresses, c.OtherAddress, "other");
            return new Contact
            {
                Uid = uid,
                FormattedName = NotEmpty(c.DisplayName),
                Name = name.IsEmpty ? null : name,
                Nickname = NotEmpty(c.NickName),
                Organization = NotEmpty(c.CompanyName),
                Department = NotEmpty(c.Department),
                Title = NotEmpty(c.JobTitle),
                Role = NotEmpty(c.Profession),
                Emails = (c.EmailAddresses ?? []).Where(e => NotEmpty(e.Address) is not null).Select(e => new TypedValue { Value = e.Address!.Trim() }).ToValueList(),
                Phones = phones.ToValueList(),
                Addresses = addresses.ToValueList(),
                Urls = NotEmpty(c.BusinessHomePage) is { } url ? [new TypedValue { Value = url, Types = ["work"] }] : [],
                Birthday = NotEmpty(c.Birthday) is { } birthday ? ReadBirthday(birthday) : null,
                Note = NotEmpty(c.PersonalNotes)?.Replace("\r\n", "\n", StringComparison.Ordinal),
                Categories = (c.Categories ?? []).Where(s => !string.IsNullOrWhiteSpace(s)).ToValueList(),
                Revision = c.LastModifiedDateTime?.UtcDateTime,
            };
        }
        catch (MappingException ex)
        {
            throw ex.WithItem(c.Id is { } id ? $"contact {GraphTime.Shorten(id)}" : "contact");
        }
    }

    public static GraphContactWrite Write(Contact c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var body = new GraphContactWrite
        {
            DisplayName = c.FormattedName,
            GivenName = c.Name?.Given,
            MiddleName = c.Name?.Additional,
            Surname = c.Name?.Family,
            Title = c.Name?.Prefix,
            Generation = c.Name?.Suffix,
            NickName = c.Nickname,
            CompanyName = c.Organization,
            Department = c.Department,
            JobTitle = c.Title,
            Profession = c.Role,
            EmailAddresses = [.. c.Emails.OrderByDescending(e => e.IsPreferred).Take(MaxEmails).Select(e => new GraphEmailAddress { Address = e.Value, Name = c.FormattedName ?? e.Value })],
            BusinessHomePage = c.Urls.IsEmpty ? null : c.Urls[0].Value,
            Birthday = c.Birthday is { Year: int year } b ? $"{year:D4}-{b.Month:D2}-{b.Day:D2}T00:00:00Z" : null,
            PersonalNotes = c.Note,
            Categories = [.. c.Categories],
            SingleValueExtendedProperties = [new GraphExtendedProperty { Id = GraphProperties.Uid, Value = c.Uid }],
        };
        foreach (var phone in c.Phones)
        {
            if (phone.HasType("cell") && body.MobilePhone is null)
            {
                body.MobilePhone = phone.Value;
            }
            else if (phone.HasType("home") && !phone.HasType("work"))
            {
                body.HomePhones.Add(phone.Value);
            }
            else
            {
                body.BusinessPhones.Add(phone.Value);
            }
        }

        foreach (var address in c.Addresses)
        {
            var preferred = address.Types.Contains("home", StringComparer.OrdinalIgnoreCase) ? body.HomeAddress
                : address.Types.Contains("work", StringComparer.OrdinalIgnoreCase) ? body.BusinessAddress
                : body.OtherAddress;

            // Graph holds one address of each kind: a second one of a kind goes to "other" if that is free.
            var target = IsEmpty(preferred) ? preferred : IsEmpty(body.OtherAddress) ? body.OtherAddress : null;
            if (target is null)
            {
                continue;
            }

            target.Street = address.Street;
            target.City = address.Locality;
            target.State = address.Region;
            target.PostalCode = address.PostalCode;
            target.CountryOrRegion = address.Country;
        }

        return body;
    }

    private static bool IsEmpty(GraphPhysicalAddress a) =>
        a.Street is null && a.City is null && a.State is null && a.PostalCode is null && a.CountryOrRegion is null;

    private static void AddAddress(List<PostalAddress> addresses, GraphPhysicalAddress? a, string type)
    {
        if (a is null)
        {
            return;
        }

        var address = new PostalAddress
        {
            Street = NotEmpty(a.Street),
            Locality = NotEmpty(a.City),
            Region = NotEmpty(a.State),
            PostalCode = NotEmpty(a.PostalCode),
            Country = NotEmpty(a.CountryOrRegion),
            Types = [type],
        };
        if (address.Street is not null || address.Locality is not null || address.Region is not null || address.PostalCode is not null || address.Country is not null)
        {
            addresses.Add(address);
        }
    }

    /// <summary>Graph documents birthday as a date-time ("2016-10-19T10:37:00Z") and answers bare dates too; the date part counts.</summary>
    private static PartialDate ReadBirthday(string text)
    {
        if (text.Length >= 10 && DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return new PartialDate(date.Year, date.Month, date.Day);
        }

        throw new MappingException($"birthday \"{GraphTime.Shorten(text)}\" is not a date");
    }

    private static IEnumerable<string> Values(List<string>? values) => (values ?? []).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim());

    private static string? NotEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

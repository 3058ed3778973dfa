using System.Globalization;
using System.Text;
using Connector.Domain;

namespace Connector.Sync.Engine;

/// <summary>
/// Pairs contacts that exist on both sides under different UIDs (S03): a previous tool, an import, or
/// Exchange contacts that never had a UID. Events and tasks pair by UID only; contacts have no
/// reliable UID on the Exchange side, so they pair by a stable key: the normalised name plus an
/// e-mail address in common (or the name alone when neither has an address). Only unambiguous
/// matches pair: a key held by more than one unpaired contact on either side pairs nothing, because
/// merging two different people would lose one of them, while a duplicate can be cleaned up.
/// </summary>
public static class ContactMatcher
{
    /// <summary>Matches (Exchange UID, Nextcloud UID) among contacts that are on one side only.</summary>
    public static IReadOnlyList<(string ExchangeUid, string NextcloudUid)> Match(IEnumerable<Contact> exchangeOnly, IEnumerable<Contact> nextcloudOnly)
    {
        ArgumentNullException.ThrowIfNull(exchangeOnly);
        ArgumentNullException.ThrowIfNull(nextcloudOnly);
        var exchangeByKey = Index(exchangeOnly);
        var nextcloudByKey = Index(nextcloudOnly);
        var pairedExchange = new HashSet<string>(StringComparer.Ordinal);
        var pairedNextcloud = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<(string, string)>();
        foreach (var (key, exchangeUids) in exchangeByKey.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (exchangeUids.Count != 1 || !nextcloudByKey.TryGetValue(key, out var nextcloudUids) || nextcloudUids.Count != 1)
            {
                continue;
            }

            var (e, n) = (exchangeUids.First(), nextcloudUids.First());
            if (pairedExchange.Contains(e) || !pairedNextcloud.Add(n))
            {
                continue; // already paired through another shared address
            }

            pairedExchange.Add(e);
            result.Add((e, n));
        }

        return result;
    }

    /// <summary>The keys a contact can be matched by: "name\u0001address" per address, or "name\u0001" without any.</summary>
    public static IEnumerable<string> Keys(Contact contact)
    {
        ArgumentNullException.ThrowIfNull(contact);
        var name = NormalisedName(contact);
        if (name.Length == 0)
        {
            yield break; // a nameless contact is too weak a key to merge on
        }

        var addresses = contact.Emails.Select(e => e.Value.Trim().ToLowerInvariant()).Where(a => a.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (addresses.Count == 0)
        {
            yield return name + "\u0001";
            yield break;
        }

        foreach (var address in addresses)
        {
            yield return name + "\u0001" + address;
        }
    }

    private static Dictionary<string, HashSet<string>> Index(IEnumerable<Contact> contacts)
    {
        var byKey = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var contact in contacts)
        {
            foreach (var key in Keys(contact))
            {
                if (!byKey.TryGetValue(key, out var uids))
                {
                    byKey[key] = uids = new HashSet<string>(StringComparer.Ordinal);
                }

                uids.Add(contact.Uid);
            }
        }

        return byKey;
    }

    /// <summary>
    /// The display name, else given + family: case, accents' composition and runs of white space do
    /// not matter (Outlook and phones write "Smith, John" and "John  Smith" alike only via N).
    /// </summary>
    private static string NormalisedName(Contact contact)
    {
        var name = contact.FormattedName;
        if (string.IsNullOrWhiteSpace(name) && contact.Name is { } n)
        {
            name = string.Join(' ', new[] { n.Given, n.Family }.Where(p => !string.IsNullOrWhiteSpace(p)));
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            return string.Empty;
        }

        var sb = new StringBuilder(name.Length);
        var space = false;
        foreach (var ch in name.Normalize(NormalizationForm.FormC).Trim())
        {
            if (char.IsWhiteSpace(ch))
            {
                space = true;
                continue;
            }

            if (space)
            {
                sb.Append(' ');
                space = false;
            }

            sb.Append(char.ToLower(ch, CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }
}

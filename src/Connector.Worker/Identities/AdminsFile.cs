using System.Globalization;
using System.Text.Json;
using Connector.Worker.Configuration;

namespace Connector.Worker.Identities;

/// <summary>What <see cref="AdminsFile.Load"/> found: the identities and warnings (a file others can read).</summary>
public sealed record AdminsFileContents(IReadOnlyList<AdminIdentity> Identities, IReadOnlyList<string> Warnings);

/// <summary>
/// Reads admins.json: an array of identities. Every problem is reported at once, each naming the
/// file, the entry (index and name) and the field: <c>admins.json, entry 2 ("ews-2"): EwsUrl "x" is
/// not an absolute http(s) URL</c>. Secret values are never repeated in a message.
/// </summary>
public static class AdminsFile
{
    /// <exception cref="ConfigurationException">The file is missing, not JSON, or has bad entries.</exception>
    public static AdminsFileContents Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var warnings = JsonArrayFile.Check(path, "the admins file does not exist (Service__AdminsFile); it lists the Exchange identities, see README \"admins.json\"", "passwords");
        var text = JsonArrayFile.ReadText(path);
        return new AdminsFileContents(Parse(text, path), warnings);
    }

    /// <exception cref="ConfigurationException">Not JSON, or bad entries (every one listed).</exception>
    public static IReadOnlyList<AdminIdentity> Parse(string json, string fileName)
    {
        using (var document = JsonArrayFile.ParseArray(json, fileName, "identities"))
        {
            var errors = new List<string>();
            var identities = new List<AdminIdentity>();
            var index = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                index++;
                if (ReadEntry(element, index, fileName, errors) is { } identity)
                {
                    identities.Add(identity);
                }
            }

            foreach (var duplicate in identities.GroupBy(i => i.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            {
                errors.Add($"{fileName}: the name \"{duplicate.Key}\" is used by {duplicate.Count().ToString(CultureInfo.InvariantCulture)} entries; names must be unique (users are assigned to identities by name)");
            }

            if (identities.Count == 0 && errors.Count == 0)
            {
                errors.Add($"{fileName}: the array is empty; at least one identity is needed");
            }

            if (errors.Count > 0)
            {
                throw new ConfigurationException(errors);
            }

            return identities;
        }
    }

    private static AdminIdentity? ReadEntry(JsonElement element, int index, string fileName, List<string> errors)
    {
        var where = $"{fileName}, entry {index.ToString(CultureInfo.InvariantCulture)}";
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{where}: expected an object, found {element.ValueKind}");
            return null;
        }

        var fields = new Fields(element);
        var name = fields.String("Name") ?? fields.String("Username") ?? fields.String("ClientId");
        if (name is not null)
        {
            where += $" (\"{name}\")";
        }

        var before = errors.Count;
        foreach (var unknown in fields.Unknown())
        {
            errors.Add($"{where}: unknown field \"{unknown}\" (known: {string.Join(", ", Fields.Known)})");
        }

        ExchangeType? type = null;
        if (!fields.TryGet("ExchangeType", out var typeElement))
        {
            errors.Add($"{where}: ExchangeType is missing; use 2 (Exchange Server, EWS) or 1 (Microsoft 365, Graph)");
        }
        else if (typeElement.ValueKind == JsonValueKind.Number && typeElement.TryGetInt32(out var t) && t is 1 or 2)
        {
            type = (ExchangeType)t;
        }
        else
        {
            errors.Add($"{where}: ExchangeType {typeElement.GetRawText()} is not allowed; use 2 (Exchange Server, EWS) or 1 (Microsoft 365, Graph)");
        }

        if (name is null)
        {
            errors.Add($"{where}: Name is missing (and there is no Username or ClientId to name the identity by)");
        }

        var identity = type switch
        {
            ExchangeType.ExchangeServer => ReadEws(fields, where, name, errors),
            ExchangeType.Microsoft365 => ReadGraph(fields, where, name, errors),
            _ => null,
        };
        return errors.Count == before ? identity : null;
    }

    private static AdminIdentity ReadEws(Fields fields, string where, string? name, List<string> errors)
    {
        var authText = fields.String("AuthType") ?? nameof(EwsAuthType.Basic);
        if (!Enum.TryParse<EwsAuthType>(authText, ignoreCase: true, out var auth) || !authText.All(char.IsAsciiLetter))
        {
            errors.Add($"{where}: AuthType \"{authText}\" is not allowed; use Basic, Ntlm, Negotiate or OAuth");
        }

        string? username = null;
        if (auth == EwsAuthType.OAuth)
        {
            // Legacy EWS in Exchange Online (retired October 2026 – April 2027): an app-only token.
            RequireApplication(fields, where, errors);
        }
        else
        {
            username = Required(fields, "Username", where, "the account that impersonates users, e.g. svc-sync", errors);
            if (fields.String("Password") is null)
            {
                errors.Add($"{where}: Password is missing");
            }
        }

        Uri? url = null;
        var urlText = Required(fields, "EwsUrl", where, "e.g. https://mail.contoso.com/EWS/Exchange.asmx", errors);
        if (urlText is not null && (!Uri.TryCreate(urlText, UriKind.Absolute, out url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            errors.Add($"{where}: EwsUrl \"{urlText}\" is not an absolute http(s) URL, e.g. https://mail.contoso.com/EWS/Exchange.asmx");
        }

        return new AdminIdentity
        {
            Name = name ?? string.Empty,
            ExchangeType = ExchangeType.ExchangeServer,
            Username = username,
            Password = fields.String("Password"),
            Domain = fields.String("Domain"),
            AuthType = auth,
            EwsUrl = url,
            TenantId = fields.String("TenantId"),
            ClientId = fields.String("ClientId"),
            ClientSecret = fields.String("ClientSecret"),
            CertificatePath = fields.String("CertificatePath"),
            CertificatePassword = fields.String("CertificatePassword"),
            AuthorityHost = OptionalUrl(fields, "AuthorityHost", where, errors),
        };
    }

    private static void RequireApplication(Fields fields, string where, List<string> errors)
    {
        Required(fields, "TenantId", where, "the directory (tenant) id", errors);
        Required(fields, "ClientId", where, "the application (client) id", errors);
        if (fields.String("ClientSecret") is null == fields.String("CertificatePath") is null)
        {
            errors.Add($"{where}: give exactly one of ClientSecret or CertificatePath");
        }
    }

    private static Uri? OptionalUrl(Fields fields, string field, string where, List<string> errors)
    {
        if (fields.String(field) is not { } text)
        {
            return null;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp))
        {
            return url;
        }

        errors.Add($"{where}: {field} \"{text}\" is not an absolute http(s) URL");
        return null;
    }

    private static AdminIdentity ReadGraph(Fields fields, string where, string? name, List<string> errors)
    {
        var tenant = Required(fields, "TenantId", where, "the directory (tenant) id", errors);
        var client = Required(fields, "ClientId", where, "the application (client) id", errors);
        var secret = fields.String("ClientSecret");
        var certificate = fields.String("CertificatePath");
        if (secret is null == certificate is null)
        {
            errors.Add($"{where}: give exactly one of ClientSecret or CertificatePath");
        }

        return new AdminIdentity
        {
            Name = name ?? string.Empty,
            ExchangeType = ExchangeType.Microsoft365,
            TenantId = tenant,
            ClientId = client,
            ClientSecret = secret,
            CertificatePath = certificate,
            CertificatePassword = fields.String("CertificatePassword"),
            AuthorityHost = OptionalUrl(fields, "AuthorityHost", where, errors),
            GraphUrl = OptionalUrl(fields, "GraphUrl", where, errors),
        };
    }

    private static string? Required(Fields fields, string field, string where, string hint, List<string> errors)
    {
        var value = fields.String(field);
        if (value is null)
        {
            errors.Add($"{where}: {field} is missing ({hint})");
        }

        return value;
    }

    /// <summary>Case-insensitive field access (administrators write "username" as often as "Username").</summary>
    private sealed class Fields(JsonElement element)
    {
        public static readonly string[] Known =
        [
            "Name", "ExchangeType", "Username", "Password", "Domain", "AuthType", "EwsUrl",
            "TenantId", "ClientId", "ClientSecret", "CertificatePath", "CertificatePassword", "AuthorityHost", "GraphUrl",
        ];

        public bool TryGet(string name, out JsonElement value)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    value = property.Value;
                    return true;
                }
            }

            value = default;
            return false;
        }

        public string? String(string name) =>
            TryGet(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
                ? value.GetString()!.Trim()
                : null;

        public IEnumerable<string> Unknown() =>
            element.EnumerateObject().Select(p => p.Name).Where(n => !Known.Contains(n, StringComparer.OrdinalIgnoreCase));
    }
}

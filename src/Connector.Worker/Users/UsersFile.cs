using System.Globalization;
using System.Text.Json;
using Connector.Sync.Stores;
using Connector.Worker.Configuration;

namespace Connector.Worker.Users;

/// <summary>
/// A users file: a JSON array of
/// <c>{ "UserId", "Mailbox", "DavUrl", "DavUser", "DavPassword" }</c> or
/// <c>{ "UserId", "Mailbox", "VdirPath" }</c>, with optional <c>SyncMode</c> (1..7), <c>TimeZone</c>
/// (IANA) and <c>Enabled</c>. Read on every call, so edits take effect at the next refresh. Problems
/// name the file, the entry and the field; passwords are never repeated.
/// </summary>
public sealed class UsersFile : IUserSource
{
    private static readonly string[] Known = ["UserId", "Mailbox", "DavUrl", "DavUser", "DavPassword", "VdirPath", "SyncMode", "TimeZone", "Enabled", "ExchangeType", "Identity"];

    public UsersFile(string path)
    {
        Path = path;
    }

    public string Path { get; }

    /// <summary>Warnings of the last read (e.g. the file is readable by others).</summary>
    public IReadOnlyList<string> Warnings { get; private set; } = [];

    public async Task<IReadOnlyList<ConsentingUser>> ListUsersAsync(CancellationToken cancellationToken)
    {
        Warnings = JsonArrayFile.Check(Path, "the users file does not exist (Service__UsersFile); it lists the users to sync, see README \"users file\"", "app passwords");
        var text = await JsonArrayFile.ReadTextAsync(Path, cancellationToken);
        return Parse(text, Path, System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
    }

    /// <exception cref="ConfigurationException">Not JSON, or bad entries (every one listed).</exception>
    public static IReadOnlyList<ConsentingUser> Parse(string json, string fileName, string basePath)
    {
        using (var document = JsonArrayFile.ParseArray(json, fileName, "users"))
        {
            var errors = new List<string>();
            var users = new List<ConsentingUser>();
            var index = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                index++;
                if (ReadEntry(element, index, fileName, basePath, errors) is { } user)
                {
                    users.Add(user);
                }
            }

            foreach (var duplicate in users.GroupBy(u => u.UserId, StringComparer.Ordinal).Where(g => g.Count() > 1))
            {
                errors.Add($"{fileName}: UserId \"{duplicate.Key}\" appears {duplicate.Count().ToString(CultureInfo.InvariantCulture)} times");
            }

            if (errors.Count > 0)
            {
                throw new ConfigurationException(errors);
            }

            return users;
        }
    }

    private static ConsentingUser? ReadEntry(JsonElement element, int index, string fileName, string basePath, List<string> errors)
    {
        var where = $"{fileName}, entry {index.ToString(CultureInfo.InvariantCulture)}";
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{where}: expected an object, found {element.ValueKind}");
            return null;
        }

        string? Get(string name) => element.EnumerateObject()
            .Where(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase) && p.Value.ValueKind == JsonValueKind.String)
            .Select(p => p.Value.GetString()?.Trim())
            .FirstOrDefault(v => !string.IsNullOrEmpty(v));

        var before = errors.Count;
        var userId = Get("UserId");
        if (userId is null)
        {
            errors.Add($"{where}: UserId is missing (the Nextcloud user id)");
        }
        else
        {
            where += $" (\"{userId}\")";
        }

        foreach (var unknown in element.EnumerateObject().Select(p => p.Name).Where(n => !Known.Contains(n, StringComparer.OrdinalIgnoreCase)))
        {
            errors.Add($"{where}: unknown field \"{unknown}\" (known: {string.Join(", ", Known)})");
        }

        var mailbox = Get("Mailbox");
        if (mailbox is null || !mailbox.Contains('@', StringComparison.Ordinal))
        {
            errors.Add($"{where}: Mailbox {(mailbox is null ? "is missing" : $"\"{mailbox}\" is not an SMTP address")} (e.g. alice@contoso.com)");
        }

        var davUrlText = Get("DavUrl");
        var vdir = Get("VdirPath");
        Uri? davUrl = null;
        if (davUrlText is null == vdir is null)
        {
            errors.Add($"{where}: give exactly one of DavUrl (with DavUser and DavPassword) or VdirPath");
        }
        else if (davUrlText is not null)
        {
            if (!Uri.TryCreate(davUrlText, UriKind.Absolute, out davUrl) || (davUrl.Scheme != Uri.UriSchemeHttp && davUrl.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"{where}: DavUrl \"{davUrlText}\" is not an absolute http(s) URL, e.g. https://cloud.example.com/remote.php/dav/");
            }

            if (Get("DavUser") is null || Get("DavPassword") is null)
            {
                errors.Add($"{where}: DavUser and DavPassword (a Nextcloud app password) are required with DavUrl");
            }
        }

        ItemKind? syncMode = null;
        if (element.EnumerateObject().FirstOrDefault(p => p.Name.Equals("SyncMode", StringComparison.OrdinalIgnoreCase)) is { Value.ValueKind: not JsonValueKind.Undefined } modeProperty)
        {
            if (modeProperty.Value.ValueKind == JsonValueKind.Number && modeProperty.Value.TryGetInt32(out var mode) && mode is >= 1 and <= 7)
            {
                syncMode = (ItemKind)mode;
            }
            else
            {
                errors.Add($"{where}: SyncMode {modeProperty.Value.GetRawText()} is not allowed; a bit mask: 1 calendars + 2 contacts + 4 tasks, so 1 to 7");
            }
        }

        var zone = Get("TimeZone");
        if (zone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            errors.Add($"{where}: TimeZone \"{zone}\" is not a known IANA time zone (e.g. Europe/Berlin)");
        }

        var enabled = true;
        if (element.EnumerateObject().FirstOrDefault(p => p.Name.Equals("Enabled", StringComparison.OrdinalIgnoreCase)) is { Value.ValueKind: not JsonValueKind.Undefined } enabledProperty)
        {
            if (enabledProperty.Value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                enabled = enabledProperty.Value.GetBoolean();
            }
            else
            {
                errors.Add($"{where}: Enabled {enabledProperty.Value.GetRawText()} is not allowed; true or false");
            }
        }

        Identities.ExchangeType? exchangeType = null;
        if (element.EnumerateObject().FirstOrDefault(p => p.Name.Equals("ExchangeType", StringComparison.OrdinalIgnoreCase)) is { Value.ValueKind: not JsonValueKind.Undefined } typeProperty)
        {
            if (typeProperty.Value.ValueKind == JsonValueKind.Number && typeProperty.Value.TryGetInt32(out var type) && type is 1 or 2)
            {
                exchangeType = (Identities.ExchangeType)type;
            }
            else
            {
                errors.Add($"{where}: ExchangeType {typeProperty.Value.GetRawText()} is not allowed; 2 (Exchange Server, EWS) or 1 (Microsoft 365, Graph)");
            }
        }

        if (errors.Count != before)
        {
            return null;
        }

        return new ConsentingUser
        {
            UserId = userId!,
            Mailbox = mailbox!,
            Nextcloud = new NextcloudAccount
            {
                DavUrl = davUrl,
                UserName = Get("DavUser"),
                Password = Get("DavPassword"),
                VdirPath = vdir is null ? null : System.IO.Path.GetFullPath(vdir, basePath),
            },
            SyncMode = syncMode,
            TimeZone = zone,
            Enabled = enabled,
            ExchangeType = exchangeType,
            Identity = Get("Identity"),
        };
    }
}

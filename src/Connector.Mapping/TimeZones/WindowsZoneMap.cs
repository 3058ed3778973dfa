using System.Collections.Frozen;
using System.Text.RegularExpressions;
using System.Xml;

namespace Connector.Mapping.TimeZones;

/// <summary>
/// The CLDR Windows ⇄ IANA map (windowsZones.xml, embedded). Territory 001 gives the canonical IANA
/// zone of a Windows zone. The comments above each group carry the Windows display name
/// ("(UTC+01:00) Amsterdam, Berlin, …"), which older Outlook versions wrote as TZID.
/// </summary>
public sealed partial class WindowsZoneMap
{
    private readonly FrozenDictionary<string, string> _windowsToIana;
    private readonly FrozenDictionary<string, string> _ianaToWindows;
    private readonly FrozenDictionary<string, string> _displayNameToWindows;

    private WindowsZoneMap(Dictionary<string, string> windowsToIana, Dictionary<string, string> ianaToWindows, Dictionary<string, string> displayNames)
    {
        _windowsToIana = windowsToIana.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _ianaToWindows = ianaToWindows.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _displayNameToWindows = displayNames.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The map shipped with this build.</summary>
    public static WindowsZoneMap Instance { get; } = LoadEmbedded();

    /// <summary>Canonical IANA zones, one per Windows zone (territory 001).</summary>
    public IEnumerable<string> CanonicalIanaZones => _windowsToIana.Values;

    public IEnumerable<string> WindowsZones => _windowsToIana.Keys;

    public string? WindowsToIana(string windowsId) => _windowsToIana.GetValueOrDefault(windowsId.Trim());

    public string? IanaToWindows(string ianaId) => _ianaToWindows.GetValueOrDefault(ianaId.Trim());

    /// <summary>Windows zone id for an Outlook display name such as "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna".</summary>
    public string? DisplayNameToWindows(string displayName)
    {
        var key = NormaliseDisplayName(displayName);
        if (_displayNameToWindows.TryGetValue(key, out var id))
        {
            return id;
        }

        // Older Outlook versions wrote the name without the "(UTC+hh:mm)" or with "GMT".
        foreach (var (name, windows) in _displayNameToWindows)
        {
            var bare = name[(name.IndexOf(')', StringComparison.Ordinal) + 1)..].Trim();
            if (bare.Length > 0 && string.Equals(bare, StripOffsetPrefix(key), StringComparison.OrdinalIgnoreCase))
            {
                return windows;
            }
        }

        return null;
    }

    public static WindowsZoneMap Load(Stream xml)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null, IgnoreComments = false };
        using var reader = XmlReader.Create(xml, settings);
        var windowsToIana = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var ianaToWindows = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var displayNames = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? lastComment = null;

        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Comment)
            {
                lastComment = reader.Value.Trim();
            }
            else if (reader.NodeType == XmlNodeType.Element && reader.Name == "mapZone")
            {
                var windows = reader.GetAttribute("other");
                var territory = reader.GetAttribute("territory");
                var types = reader.GetAttribute("type");
                if (windows is null || types is null)
                {
                    continue;
                }

                var zones = types.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (territory == "001" && zones.Length > 0)
                {
                    windowsToIana[windows] = zones[0];
                    if (lastComment is not null && lastComment.StartsWith('('))
                    {
                        displayNames.TryAdd(NormaliseDisplayName(lastComment), windows);
                    }
                }

                foreach (var zone in zones)
                {
                    ianaToWindows.TryAdd(zone, windows);
                }
            }
        }

        // The canonical zone of each Windows zone maps back to it, whatever other territories list.
        foreach (var (windows, iana) in windowsToIana)
        {
            ianaToWindows[iana] = windows;
        }

        ianaToWindows.TryAdd("UTC", "UTC");
        ianaToWindows.TryAdd("Etc/UCT", "UTC");
        return new WindowsZoneMap(windowsToIana, ianaToWindows, displayNames);
    }

    private static WindowsZoneMap LoadEmbedded()
    {
        using var stream = typeof(WindowsZoneMap).Assembly.GetManifestResourceStream("Connector.Mapping.windowsZones.xml")
            ?? throw new InvalidOperationException("windowsZones.xml is not embedded in Connector.Mapping");
        return Load(stream);
    }

    private static string NormaliseDisplayName(string name) => Whitespace().Replace(name.Trim().Replace("GMT", "UTC", StringComparison.Ordinal), " ");

    private static string StripOffsetPrefix(string name)
    {
        var close = name.IndexOf(')', StringComparison.Ordinal);
        return name.StartsWith('(') && close > 0 ? name[(close + 1)..].Trim() : name;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

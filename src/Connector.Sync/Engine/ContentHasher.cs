using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Connector.Domain;

namespace Connector.Sync.Engine;

/// <summary>
/// "Changed" means the version differs and this hash differs. The hash covers what both sides can
/// hold; it ignores what one side adds or rewrites on its own:
/// <list type="bullet">
/// <item>unknown properties, parameters and sub-components (Nextcloud/Sabre add X-properties and
/// PRODID-specific fields; Exchange adds X-MICROSOFT-*), which the other side cannot hold anyway;</item>
/// <item>CREATED, LAST-MODIFIED, SEQUENCE and REV (every server sets them on write);</item>
/// <item>the order of attendees, categories, e-mails and phones is kept: both sides preserve it.</item>
/// </list>
/// </summary>
public static class ContentHasher
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Hash(ISyncItem item)
    {
        object projection = item switch
        {
            CalendarEvent e => Normalise(e),
            TaskItem t => t with
            {
                ExtraProperties = [],
                ExtraComponents = [],
                Created = null,
                LastModified = null,
                Sequence = 0,
                Reminders = t.Reminders.Select(r => r with { ExtraProperties = [] }).ToValueList(),
            },
            Contact c => c with { ExtraProperties = [], Revision = null },
            _ => throw new ArgumentException($"cannot hash {item.GetType().Name}", nameof(item)),
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(projection, projection.GetType(), Options);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    private static CalendarEvent Normalise(CalendarEvent e) => e with
    {
        ExtraProperties = [],
        ExtraComponents = [],
        Created = null,
        LastModified = null,
        Sequence = 0,
        Organizer = e.Organizer is null ? null : e.Organizer with { ExtraParameters = [] },
        Attendees = e.Attendees.Select(a => a with { ExtraParameters = [] }).ToValueList(),
        Reminders = e.Reminders.Select(r => r with { ExtraProperties = [] }).ToValueList(),
        Overrides = e.Overrides.Select(Normalise).ToValueList(),
    };
}

using System.CommandLine;
using Connector.Domain;
using Connector.Mapping.ICalendar;
using Connector.Mapping.Json;
using Connector.Mapping.Text;
using Connector.Mapping.VCard;
using Connector.Stores.Ews.Mapping;

namespace Connector.Host.Commands;

/// <summary>
/// <c>convert FILE [--to ics|vcf]</c>: reads an .ics or .vcf and prints the domain model as JSON, or
/// re-emits it. Administrators use it to see why an item does not sync; the tests use it too.
/// </summary>
public static class ConvertCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "An iCalendar (.ics), vCard (.vcf) or EWS item XML (.xml) file; '-' reads standard input." };
        var to = new Option<string?>("--to") { Description = "Re-emit instead of printing JSON: ics (iCalendar) or vcf (vCard 3.0)." };
        to.AcceptOnlyFromAmong("ics", "vcf");
        var noScheduleAgent = new Option<bool>("--no-schedule-agent")
        {
            Description = "With --to ics: do not mark ORGANIZER/ATTENDEE with SCHEDULE-AGENT=CLIENT (the connector always does when writing to Nextcloud).",
        };

        var command = new Command("convert", "Read an .ics, .vcf or EWS item XML file and print the domain model as JSON, or convert it.")
        {
            file, to, noScheduleAgent,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(file)!,
            parseResult.GetValue(to),
            parseResult.GetValue(noScheduleAgent),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(FileInfo file, string? to, bool noScheduleAgent, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = file.Name == "-"
                ? await ReadStandardInputAsync(cancellationToken)
                : await File.ReadAllBytesAsync(file.FullName, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: cannot read {file.FullName}: {ex.Message}");
            return ExitCodes.Usage;
        }

        var kind = DetectKind(file.Name, bytes);
        ConvertResult result;
        if (kind == FileKind.VCard)
        {
            var parsed = VCardReader.Read(bytes);
            result = new ConvertResult(file.Name, [], [], parsed.Contacts, parsed.Warnings, parsed.Errors);
        }
        else if (kind == FileKind.ICalendar)
        {
            var parsed = ICalendarReader.Read(bytes);
            result = new ConvertResult(file.Name, parsed.Events, parsed.Tasks, [], parsed.Warnings, parsed.Errors);
        }
        else if (kind == FileKind.EwsXml)
        {
            result = ReadEws(file.Name, bytes);
        }
        else
        {
            await error.WriteLineAsync($"error: {file.Name}: neither BEGIN:VCALENDAR, BEGIN:VCARD nor EWS item XML found; give a .ics, .vcf or .xml file");
            return ExitCodes.InvalidInput;
        }

        foreach (var warning in result.Warnings)
        {
            await error.WriteLineAsync($"warning: {file.Name}: {warning}");
        }

        foreach (var problem in result.Errors)
        {
            await error.WriteLineAsync($"error: {file.Name}: {problem.Message}");
        }

        switch (to)
        {
            case null:
                await output.WriteLineAsync(ModelJson.Serialize(new
                {
                    result.File,
                    Events = result.Events,
                    Tasks = result.Tasks,
                    Contacts = result.Contacts,
                    Warnings = result.Warnings,
                    Errors = result.Errors.Select(e => new { e.Item, e.Line, e.Reason }),
                }));
                break;
            case "ics" when kind is FileKind.ICalendar or FileKind.EwsXml && result.Contacts.Count == 0:
                var options = ICalendarWriteOptions.Default with { ScheduleAgentClient = !noScheduleAgent };
                await output.WriteAsync(ICalendarWriter.WriteCalendar(result.Events, result.Tasks, options));
                break;
            case "vcf" when kind == FileKind.VCard || (kind == FileKind.EwsXml && result.Events.Count + result.Tasks.Count == 0):
                await output.WriteAsync(VCardWriter.Write(result.Contacts));
                break;
            default:
                await error.WriteLineAsync($"error: cannot convert {(kind == FileKind.VCard ? "contacts" : "events and tasks")} to {to}");
                return ExitCodes.Usage;
        }

        return result.Errors.Count > 0 ? ExitCodes.InvalidInput : ExitCodes.Success;
    }

    private enum FileKind
    {
        Unknown,
        ICalendar,
        VCard,
        EwsXml,
    }

    /// <summary>
    /// EWS contacts and tasks carry no UID of their own until the connector stores one (and items in a
    /// CreateItem request have no ItemId yet): name them by position so they can still be converted.
    /// </summary>
    private static ISyncItem WithUid(ISyncItem item, int position, List<string> warnings)
    {
        if (!string.IsNullOrEmpty(item.Uid))
        {
            return item;
        }

        var uid = $"ews-item-{position}";
        warnings.Add($"item #{position} has neither UID nor ItemId; named {uid}");
        return item switch
        {
            CalendarEvent e => e with { Uid = uid },
            TaskItem t => t with { Uid = uid },
            Contact c => c with { Uid = uid },
            _ => item,
        };
    }

    /// <summary>Every CalendarItem, Contact and Task in an EWS request or response (GetItem, CreateItem, SyncFolderItems).</summary>
    private static ConvertResult ReadEws(string name, byte[] bytes)
    {
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            var warnings = new List<string>();
            var items = EwsDocumentReader.ReadAll(stream).Select((i, n) => WithUid(i.Item, n + 1, warnings)).ToList();
            return new ConvertResult(name, [.. items.OfType<CalendarEvent>()], [.. items.OfType<TaskItem>()], [.. items.OfType<Contact>()], warnings, []);
        }
        catch (MappingException ex)
        {
            return new ConvertResult(name, [], [], [], [], [ex]);
        }
        catch (System.Xml.XmlException ex)
        {
            return new ConvertResult(name, [], [], [], [], [new MappingException($"not well-formed XML: {ex.Message}", ex.LineNumber)]);
        }
    }

    private sealed record ConvertResult(
        string File,
        IReadOnlyList<CalendarEvent> Events,
        IReadOnlyList<TaskItem> Tasks,
        IReadOnlyList<Contact> Contacts,
        IReadOnlyList<string> Warnings,
        IReadOnlyList<MappingException> Errors);

    private static FileKind DetectKind(string name, byte[] bytes)
    {
        // Content decides; the extension only breaks a tie (a file may start with junk or a BOM).
        var head = System.Text.Encoding.Latin1.GetString(bytes, 0, Math.Min(bytes.Length, 4096));
        var calendar = head.IndexOf("BEGIN:VCALENDAR", StringComparison.OrdinalIgnoreCase);
        var card = head.IndexOf("BEGIN:VCARD", StringComparison.OrdinalIgnoreCase);
        if (calendar >= 0 && (card < 0 || calendar < card))
        {
            return FileKind.ICalendar;
        }

        if (card >= 0)
        {
            return FileKind.VCard;
        }

        if (head.TrimStart('\uFEFF', ' ', '\r', '\n', '\t', '\u00EF', '\u00BB', '\u00BF').StartsWith('<')
            && head.Contains("schemas.microsoft.com/exchange/services/2006/types", StringComparison.Ordinal))
        {
            return FileKind.EwsXml;
        }

        return Path.GetExtension(name).ToUpperInvariant() switch
        {
            ".ICS" or ".ICAL" or ".IFB" => FileKind.ICalendar,
            ".VCF" or ".VCARD" => FileKind.VCard,
            ".XML" => FileKind.EwsXml,
            _ => FileKind.Unknown,
        };
    }

    private static async Task<byte[]> ReadStandardInputAsync(CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await using var stdin = Console.OpenStandardInput();
        await stdin.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}

using System.CommandLine;
using Connector.Domain;
using Connector.Mapping.ICalendar;
using Connector.Mapping.Json;
using Connector.Mapping.Text;
using Connector.Mapping.VCard;

namespace Connector.Host.Commands;

/// <summary>
/// <c>convert FILE [--to ics|vcf]</c>: reads an .ics or .vcf and prints the domain model as JSON, or
/// re-emits it. Administrators use it to see why an item does not sync; the tests use it too.
/// </summary>
public static class ConvertCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "An iCalendar (.ics) or vCard (.vcf) file; '-' reads standard input." };
        var to = new Option<string?>("--to") { Description = "Re-emit instead of printing JSON: ics (iCalendar) or vcf (vCard 3.0)." };
        to.AcceptOnlyFromAmong("ics", "vcf");
        var noScheduleAgent = new Option<bool>("--no-schedule-agent")
        {
            Description = "With --to ics: do not mark ORGANIZER/ATTENDEE with SCHEDULE-AGENT=CLIENT (the connector always does when writing to Nextcloud).",
        };

        var command = new Command("convert", "Read an .ics or .vcf file and print the domain model as JSON, or convert it.")
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
        else
        {
            await error.WriteLineAsync($"error: {file.Name}: neither BEGIN:VCALENDAR nor BEGIN:VCARD found; give a .ics or .vcf file");
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
            case "ics" when kind == FileKind.ICalendar:
                var options = ICalendarWriteOptions.Default with { ScheduleAgentClient = !noScheduleAgent };
                await output.WriteAsync(ICalendarWriter.WriteCalendar(result.Events, result.Tasks, options));
                break;
            case "vcf" when kind == FileKind.VCard:
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

        return Path.GetExtension(name).ToUpperInvariant() switch
        {
            ".ICS" or ".ICAL" or ".IFB" => FileKind.ICalendar,
            ".VCF" or ".VCARD" => FileKind.VCard,
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

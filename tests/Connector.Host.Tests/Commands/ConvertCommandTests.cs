using System.CommandLine;
using System.Diagnostics;
using Connector.Host;
using Connector.Host.Commands;
using Connector.Mapping.ICalendar;
using Connector.Mapping.VCard;
using Connector.Testing;

namespace Connector.Host.Tests.Commands;

public class ConvertCommandTests
{
    private static string Fixture(string name) => SharedFixtures.PathOf(name);

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var configuration = new InvocationConfiguration { Output = output, Error = error };
        var exitCode = await Program.BuildRootCommand().Parse(args).InvokeAsync(configuration);
        return (exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Convert_IcsFile_PrintsModelAsJson()
    {
        var (exitCode, output, error) = await RunAsync("convert", Fixture("rfc5545-example2.ics"));

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Equal(string.Empty, error);
        Assert.Contains("\"events\"", output, StringComparison.Ordinal);
        Assert.Contains("America/New_York", output, StringComparison.Ordinal);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        Assert.Equal(1, json.RootElement.GetProperty("events").GetArrayLength());
    }

    [Fact]
    public async Task Convert_IcsToIcs_ReEmitsAnEqualModel()
    {
        var (exitCode, output, _) = await RunAsync("convert", Fixture("outlook-2010-meeting-request.ics"), "--to", "ics");

        Assert.Equal(ExitCodes.Success, exitCode);
        var original = ICalendarReader.Read(File.ReadAllBytes(Fixture("outlook-2010-meeting-request.ics")));
        Assert.Equal(original.Events, ICalendarReader.Read(output).Events);
        Assert.Contains("SCHEDULE-AGENT=CLIENT", output.Replace("\r\n ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Convert_NoScheduleAgent_LeavesPeopleUnmarked()
    {
        var (_, output, _) = await RunAsync("convert", Fixture("outlook-2010-meeting-request.ics"), "--to", "ics", "--no-schedule-agent");

        Assert.DoesNotContain("SCHEDULE-AGENT", output.Replace("\r\n ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Convert_VcfToVcf_ReEmitsEqualContacts()
    {
        var (exitCode, output, _) = await RunAsync("convert", Fixture("android-export.vcf"), "--to", "vcf");

        Assert.Equal(ExitCodes.Success, exitCode);
        var original = VCardReader.Read(File.ReadAllBytes(Fixture("android-export.vcf")));
        Assert.Equal(original.Contacts, VCardReader.Read(output).Contacts);
    }

    [Fact]
    public async Task Convert_VcfFile_PrintsContactsAsJson()
    {
        var (exitCode, output, _) = await RunAsync("convert", Fixture("gmail-export.vcf"));

        Assert.Equal(ExitCodes.Success, exitCode);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        Assert.Equal(1, json.RootElement.GetProperty("contacts").GetArrayLength());
    }

    [Fact]
    public async Task Convert_BadItem_ExitsNonZeroAndNamesItemLineAndReason()
    {
        var file = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.ics");
        await File.WriteAllTextAsync(file, "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:broken-7\r\nDTSTART:20241399T250000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
        try
        {
            var (exitCode, _, error) = await RunAsync("convert", file);

            Assert.Equal(ExitCodes.InvalidInput, exitCode);
            Assert.Contains("VEVENT UID=broken-7", error, StringComparison.Ordinal);
            Assert.Contains("line 4", error, StringComparison.Ordinal);
            Assert.Contains("DTSTART", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Convert_ContactsToIcs_IsAUsageError()
    {
        var (exitCode, _, error) = await RunAsync("convert", Fixture("gmail-export.vcf"), "--to", "ics");

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains("cannot convert contacts to ics", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Convert_MissingFile_IsAUsageError()
    {
        var (exitCode, _, error) = await RunAsync("convert", "/nonexistent/file.ics");

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains("cannot read", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Convert_UnknownTarget_IsRejectedByTheParser()
    {
        var (exitCode, _, error) = await RunAsync("convert", Fixture("gmail-export.vcf"), "--to", "pdf");

        Assert.NotEqual(ExitCodes.Success, exitCode);
        Assert.Contains("pdf", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task S11_HostTimeZone_ChangesNothing()
    {
        // The same conversion in processes whose local zone is far east and far west of UTC.
        var outputs = new List<string>();
        foreach (var zone in new[] { "Pacific/Kiritimati", "America/Adak", "UTC" })
        {
            outputs.Add(await RunProcessAsync(zone, "convert", Fixture("exchange2010-windows-vtimezones.ics"), "--to", "ics"));
        }

        Assert.All(outputs, o => Assert.Contains("BEGIN:VEVENT", o, StringComparison.Ordinal));
        Assert.Equal(outputs[0], outputs[1]);
        Assert.Equal(outputs[0], outputs[2]);
    }

    private static async Task<string> RunProcessAsync(string timeZone, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "connector.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["TZ"] = timeZone;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await error);
        return await output;
    }

    [Fact]
    public async Task Convert_EwsGetItemResponse_PrintsTheCalendarItem()
    {
        var file = Path.Combine(SharedFixtures.SharedDirectory, "protocols", "examples", "ews-getitem-calendar-item.02-GetItemResponse.xml");

        var (exitCode, output, error) = await RunAsync("convert", file);

        Assert.True(exitCode == ExitCodes.Success, error);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        Assert.Equal(1, json.RootElement.GetProperty("events").GetArrayLength());
    }

    [Fact]
    public async Task Convert_EwsContactToVcf_WritesAVCard()
    {
        var file = Path.Combine(SharedFixtures.SharedDirectory, "protocols", "examples", "ews-createitem-contact.01-CreateItem.xml");

        var (exitCode, output, error) = await RunAsync("convert", file, "--to", "vcf");

        Assert.True(exitCode == ExitCodes.Success, error);
        Assert.StartsWith("BEGIN:VCARD", output, StringComparison.Ordinal);
        Assert.Single(VCardReader.Read(output).Contacts);
    }

    [Fact]
    public async Task Convert_BrokenEwsXml_NamesTheProblem()
    {
        var file = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.xml");
        await File.WriteAllTextAsync(file, "<m:GetItemResponse xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\" xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\"><t:CalendarItem><t:Start>yesterday</t:Start></t:CalendarItem></m:GetItemResponse>");
        try
        {
            var (exitCode, _, error) = await RunAsync("convert", file);

            Assert.Equal(ExitCodes.InvalidInput, exitCode);
            Assert.Contains("Start", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using Connector.Emulator.Ews.Schema;

namespace Connector.Emulator.Tests;

/// <summary>
/// One emulator on 127.0.0.1 (free port) with test identities, and a SOAP client for it. On
/// dispose it asserts that every response the emulator sent validated against the EWS schema.
/// </summary>
internal sealed class EmulatorScope : IAsyncDisposable
{
    public const string User = "tester";
    public const string Password = "pw";
    public const string Mailbox = "tester@contoso.com";

    private EmulatorScope(ExchangeEmulator emulator)
    {
        Emulator = emulator;
        Http = new HttpClient { BaseAddress = emulator.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
    }

    public ExchangeEmulator Emulator { get; }

    public HttpClient Http { get; }

    public static async Task<EmulatorScope> StartAsync(Action<EmulatorOptions>? configure = null)
    {
        var options = new EmulatorOptions { Port = 0, ValidateResponses = true };
        var tester = new EmulatorIdentity { Name = User, Password = Password, Mailbox = Mailbox };
        tester.CanImpersonate.Add("*");
        tester.BearerTokens.Add("tester-token");
        options.Identities.Add(tester);
        var limited = new EmulatorIdentity { Name = "limited", Password = Password, Mailbox = "limited@contoso.com" };
        limited.CanImpersonate.Add("bob@contoso.com");
        options.Identities.Add(limited);
        options.Identities.Add(new EmulatorIdentity { Name = "nomailbox", Password = Password });
        foreach (var (smtp, name) in new[] { ("alice@contoso.com", "Alice Wonder"), ("bob@contoso.com", "Bob Builder"), ("carol@contoso.com", "Carol Singer"), ("alfred@contoso.com", "Alfred") })
        {
            options.Mailboxes.Add(new EmulatorMailbox { SmtpAddress = smtp, DisplayName = name });
        }

        configure?.Invoke(options);
        return new EmulatorScope(await ExchangeEmulator.StartAsync(options, CancellationToken.None));
    }

    /// <summary>Posts a whole SOAP envelope.</summary>
    public async Task<EwsResponse> PostAsync(string envelope, string user = User, string password = Password, string? anchorMailbox = null, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "EWS/Exchange.asmx")
        {
            Content = new StringContent(envelope, Encoding.UTF8, "text/xml"),
        };
        request.Headers.Authorization = bearer is not null
            ? new AuthenticationHeaderValue("Bearer", bearer)
            : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        if (anchorMailbox is not null)
        {
            request.Headers.Add("X-AnchorMailbox", anchorMailbox);
        }

        using var response = await Http.SendAsync(request, CancellationToken.None);
        var text = await response.Content.ReadAsStringAsync(CancellationToken.None);
        return new EwsResponse(response.StatusCode, text);
    }

    /// <summary>Calls one operation (body XML with m: and t: prefixes) with the usual headers.</summary>
    public Task<EwsResponse> CallAsync(string body, string? impersonate = null, string version = "Exchange2016", string? timeZoneContext = null, string user = User, string? anchorMailbox = null) =>
        PostAsync(Envelope(body, impersonate, version, timeZoneContext), user, anchorMailbox: anchorMailbox);

    public static string Envelope(string body, string? impersonate = null, string version = "Exchange2016", string? timeZoneContext = null)
    {
        var header = new StringBuilder($"<t:RequestServerVersion Version=\"{version}\"/>");
        if (timeZoneContext is not null)
        {
            header.Append($"<t:TimeZoneContext><t:TimeZoneDefinition Id=\"{timeZoneContext}\"/></t:TimeZoneContext>");
        }

        if (impersonate is not null)
        {
            header.Append($"<t:ExchangeImpersonation><t:ConnectingSID><t:PrimarySmtpAddress>{impersonate}</t:PrimarySmtpAddress></t:ConnectingSID></t:ExchangeImpersonation>");
        }

        return $"""
            <?xml version="1.0" encoding="utf-8"?>
            <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">
              <soap:Header>{header}</soap:Header>
              <soap:Body>{body}</soap:Body>
            </soap:Envelope>
            """;
    }

    public async ValueTask DisposeAsync()
    {
        var violations = Emulator.ResponseSchemaViolations;
        Http.Dispose();
        await Emulator.DisposeAsync();
        Assert.True(violations.Count == 0, "responses that failed schema validation:\n" + string.Join("\n", violations));
    }
}

/// <summary>An HTTP answer of the emulator with helpers to read EWS responses.</summary>
internal sealed record EwsResponse(HttpStatusCode Status, string Text)
{
    public static readonly XNamespace M = "http://schemas.microsoft.com/exchange/services/2006/messages";
    public static readonly XNamespace T = "http://schemas.microsoft.com/exchange/services/2006/types";
    public static readonly XNamespace E = "http://schemas.microsoft.com/exchange/services/2006/errors";

    public XDocument Xml => XDocument.Parse(Text);

    /// <summary>The m:…ResponseMessage elements.</summary>
    public IReadOnlyList<XElement> Messages => Xml.Descendants(M + "ResponseMessages").Elements().ToList();

    public IReadOnlyList<string> ResponseCodes => Messages.Select(m => m.Element(M + "ResponseCode")!.Value).ToList();

    /// <summary>The faultcode's local part ("ErrorSchemaValidation"), or null when not a fault.</summary>
    public string? FaultCode => Text.Contains("Fault>", StringComparison.Ordinal)
        ? Xml.Descendants("faultcode").FirstOrDefault()?.Value.Split(':').Last().Trim()
        : null;

    /// <summary>The first t:ItemId of the first message.</summary>
    public (string Id, string ChangeKey) FirstItemId()
    {
        var id = Xml.Descendants(T + "ItemId").First();
        return ((string)id.Attribute("Id")!, (string)id.Attribute("ChangeKey")!);
    }

    /// <summary>Asserts HTTP 200, no fault, every message NoError, and a schema-valid body.</summary>
    public EwsResponse AssertSuccess()
    {
        Assert.True(Status == HttpStatusCode.OK, $"HTTP {(int)Status}: {Text}");
        Assert.All(ResponseCodes, code => Assert.True(code == "NoError", Text));
        AssertSchemaValid();
        return this;
    }

    public EwsResponse AssertSchemaValid()
    {
        var errors = EwsSchema.ValidateResponse(Text);
        Assert.True(errors.Count == 0, string.Join("\n", errors) + "\n" + Text);
        return this;
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Connector.Emulator.Tests.Graph;

/// <summary>
/// One emulator on 127.0.0.1 (free port) with a Microsoft 365 tenant (dave@, erin@fabrikam) and
/// an app identity, and a small Graph client over real HTTP.
/// </summary>
internal sealed class GraphScope : IAsyncDisposable
{
    public const string Token = "app-token";
    public const string Dave = "dave@fabrikam.onmicrosoft.com";
    public const string Erin = "erin@fabrikam.onmicrosoft.com";

    private GraphScope(ExchangeEmulator emulator)
    {
        Emulator = emulator;
        Http = new HttpClient { BaseAddress = emulator.GraphUri, Timeout = TimeSpan.FromSeconds(30) };
    }

    public ExchangeEmulator Emulator { get; }

    public HttpClient Http { get; }

    public static async Task<GraphScope> StartAsync(Action<EmulatorOptions>? configure = null)
    {
        var options = new EmulatorOptions { Port = 0 };
        var app = new EmulatorIdentity { Name = "sync-app" };
        app.BearerTokens.Add(Token);
        app.CanImpersonate.Add(Dave);
        app.CanImpersonate.Add(Erin);
        options.Identities.Add(app);
        var other = new EmulatorIdentity { Name = "other-app" };
        other.BearerTokens.Add("other-token");
        options.Identities.Add(other);
        options.Graph.Users.Add(new GraphEmulatorUser { UserPrincipalName = Dave, DisplayName = "Dave Fabrikam" });
        options.Graph.Users.Add(new GraphEmulatorUser { UserPrincipalName = Erin, DisplayName = "Erin Fabrikam" });
        configure?.Invoke(options);
        return new GraphScope(await ExchangeEmulator.StartAsync(options, CancellationToken.None));
    }

    /// <summary>Sends a request (path relative to /v1.0/) and reads the JSON answer.</summary>
    public async Task<GraphResult> SendAsync(HttpMethod method, string path, JsonNode? body = null, string? token = Token, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path.StartsWith("http", StringComparison.Ordinal) ? new Uri(path) : new Uri(Http.BaseAddress!, path));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var responseHeaders = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        return new GraphResult(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), responseHeaders);
    }

    public Task<GraphResult> GetAsync(string path, params (string Name, string Value)[] headers) => SendAsync(HttpMethod.Get, path, null, Token, headers);

    public Task<GraphResult> PostAsync(string path, JsonNode body, params (string Name, string Value)[] headers) => SendAsync(HttpMethod.Post, path, body, Token, headers);

    public Task<GraphResult> PatchAsync(string path, JsonNode body, params (string Name, string Value)[] headers) => SendAsync(HttpMethod.Patch, path, body, Token, headers);

    public Task<GraphResult> DeleteAsync(string path, params (string Name, string Value)[] headers) => SendAsync(HttpMethod.Delete, path, null, Token, headers);

    /// <summary>Follows @odata.nextLink to the @odata.deltaLink; returns every item and the delta link.</summary>
    public async Task<(List<JsonObject> Items, string DeltaLink, int Pages)> DeltaRoundAsync(string url, int? pageSize = null)
    {
        var items = new List<JsonObject>();
        var pages = 0;
        var headers = pageSize is { } size ? new[] { ("Prefer", $"odata.maxpagesize={size}") } : [];
        while (true)
        {
            var page = (await GetAsync(url, headers)).AssertStatus(HttpStatusCode.OK);
            pages++;
            items.AddRange(page.Values);
            if (page.Body!["@odata.deltaLink"]?.GetValue<string>() is { } delta)
            {
                return (items, delta, pages);
            }

            url = page.Body!["@odata.nextLink"]!.GetValue<string>();
        }
    }

    public static JsonObject Zoned(string dateTime, string zone = "UTC") => new() { ["dateTime"] = dateTime, ["timeZone"] = zone };

    public static JsonObject Event(string subject, string start, string end, string zone = "UTC") => new()
    {
        ["subject"] = subject,
        ["start"] = Zoned(start, zone),
        ["end"] = Zoned(end, zone),
    };

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Emulator.DisposeAsync();
    }
}

internal sealed record GraphResult(HttpStatusCode Status, JsonNode? Body, IReadOnlyDictionary<string, string> Headers)
{
    public GraphResult AssertStatus(HttpStatusCode expected)
    {
        Assert.True(Status == expected, $"expected {(int)expected}, got {(int)Status}: {Body?.ToJsonString()}");
        return this;
    }

    public string ErrorCode => Body?["error"]?["code"]?.GetValue<string>() ?? string.Empty;

    public string Id => Body!["id"]!.GetValue<string>();

    public string ETag => Body!["@odata.etag"]!.GetValue<string>();

    public List<JsonObject> Values => ((JsonArray)Body!["value"]!).Select(v => (JsonObject)v!).ToList();
}

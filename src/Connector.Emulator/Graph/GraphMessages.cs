using System.Globalization;
using System.Text.Json.Nodes;

namespace Connector.Emulator.Graph;

/// <summary>A Graph request as the handlers see it, from HTTP or from one entry of a $batch.</summary>
internal sealed class GraphRequest
{
    public required string Method { get; init; }

    /// <summary>Path below /v1.0/, without query ("users/dave@fabrikam.onmicrosoft.com/events").</summary>
    public required string Path { get; init; }

    public required IReadOnlyDictionary<string, string> Query { get; init; }

    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    public JsonNode? Body { get; init; }

    /// <summary>Why the body could not be read as JSON, if it could not.</summary>
    public string? BodyError { get; init; }

    /// <summary>http://127.0.0.1:PORT/v1.0/ — the base of @odata.nextLink and @odata.deltaLink.</summary>
    public required string ServiceRoot { get; init; }

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public string? QueryValue(string name) => Query.TryGetValue(name, out var value) ? value : null;

    /// <summary>Splits a query string into a case-insensitive map (Graph's parameter names are case-insensitive).</summary>
    public static Dictionary<string, string> ParseQuery(string query)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            result[name] = value;
        }

        return result;
    }
}

/// <summary>A Graph answer before it is written to HTTP or into a $batch response.</summary>
internal sealed class GraphResponse
{
    public GraphResponse(int status, JsonNode? body = null)
    {
        Status = status;
        Body = body;
    }

    public int Status { get; }

    public JsonNode? Body { get; }

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The error code when this is an error answer (for the request log).</summary>
    public string? ErrorCode => Body?["error"]?["code"]?.GetValue<string>();

    public static GraphResponse Error(int status, string code, string message, DateTimeOffset now) =>
        new(status, GraphError.Body(code, message, now, Guid.NewGuid().ToString()));

    public GraphResponse With(string header, string value)
    {
        Headers[header] = value;
        return this;
    }

    public static string Seconds(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture);
}

using System.Text.Json.Nodes;

namespace Connector.Emulator.Graph;

/// <summary>A Graph error answer: HTTP status, error code and message, in Graph's JSON error shape.</summary>
internal sealed class GraphError : Exception
{
    public GraphError(int status, string code, string message)
        : base(message)
    {
        Status = status;
        Code = code;
    }

    public GraphError()
        : this(500, "InternalServerError", "An internal server error occurred.")
    {
    }

    public GraphError(string message)
        : this(500, "InternalServerError", message)
    {
    }

    public GraphError(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = 500;
        Code = "InternalServerError";
    }

    public int Status { get; }

    public string Code { get; }

    public static GraphError BadRequest(string code, string message) => new(400, code, message);

    public static GraphError NotFound() => new(404, "ErrorItemNotFound", "The specified object was not found in the store.");

    /// <summary>{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}.</summary>
    public static JsonObject Body(string code, string message, DateTimeOffset now, string requestId) => new()
    {
        ["error"] = new JsonObject
        {
            ["code"] = code,
            ["message"] = message,
            ["innerError"] = new JsonObject
            {
                ["date"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                ["request-id"] = requestId,
                ["client-request-id"] = requestId,
            },
        },
    };
}

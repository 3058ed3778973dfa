using System.Text.Json;
using Connector.Worker.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Connector.Host.Hosting;

/// <summary>
/// <c>POST /api/webhook</c>: the Nextcloud app says "something changed for this user". A valid,
/// fresh, signed request only moves the user's due time earlier (<see cref="IUserNudger"/>);
/// polling alone stays correct, so nothing here can change data.
/// </summary>
/// <remarks>
/// Answers: 202 <c>{"nudged": true|false}</c> (false: the worker does not know the user yet; its
/// next user-list refresh will), 400 bad JSON, 401 bad or stale signature (the body names which
/// check failed; that says nothing about the secret), 404 webhook disabled (no
/// <c>Service__SharedSecret</c>), 413 body over <see cref="MaxBodyBytes"/>.
/// </remarks>
internal static class WebhookEndpoint
{
    public const string Path = "/api/webhook";

    /// <summary>The body is two short strings; anything bigger is not from the app.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    private const int MaxEventLength = 100;
    private const int MaxUserIdLength = 256;

    public static void Map(WebApplication app, string? sharedSecret)
    {
        if (sharedSecret is null)
        {
            app.MapPost(Path, () => Results.Json(
                new { error = "the webhook is disabled: Service__SharedSecret is not set" },
                OperationsEndpoints.Json,
                statusCode: StatusCodes.Status404NotFound));
            return;
        }

        app.MapPost(Path, (HttpContext context, CancellationToken cancellationToken) => HandleAsync(context, sharedSecret, cancellationToken));
    }

    private static async Task<IResult> HandleAsync(HttpContext context, string sharedSecret, CancellationToken cancellationToken)
    {
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebhookEndpoint).FullName!);
        var body = await ReadBodyAsync(context.Request, cancellationToken);
        if (body is null)
        {
            return Error(StatusCodes.Status413PayloadTooLarge, $"the body is larger than {MaxBodyBytes} bytes");
        }

        var now = (context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();
        var verification = WebhookSignature.Verify(
            sharedSecret,
            context.Request.Headers[WebhookSignature.TimestampHeader],
            context.Request.Headers[WebhookSignature.SignatureHeader],
            body,
            now,
            WebhookSignature.DefaultTolerance);
        if (verification != WebhookVerification.Valid)
        {
            HostingLog.WebhookRejected(logger, verification, context.Connection.RemoteIpAddress?.ToString());
            return Error(StatusCodes.Status401Unauthorized, Describe(verification));
        }

        if (!TryParse(body, out var eventName, out var userId, out var problem))
        {
            HostingLog.WebhookMalformed(logger, problem);
            return Error(StatusCodes.Status400BadRequest, problem);
        }

        var nudger = context.RequestServices.GetService<IUserNudger>();
        if (nudger is null)
        {
            return Error(StatusCodes.Status503ServiceUnavailable, "the worker is not running in this process");
        }

        var nudged = await nudger.NudgeAsync(userId, "webhook: " + eventName, cancellationToken);
        HostingLog.WebhookAccepted(logger, eventName, userId, nudged);
        return Results.Json(new { nudged }, OperationsEndpoints.Json, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>The raw body (the signature covers its exact bytes), or null when it is too large.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static bool TryParse(byte[] body, out string eventName, out string userId, out string problem)
    {
        eventName = userId = problem = string.Empty;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problem = "the body must be a JSON object {\"event\": \"...\", \"userId\": \"...\"}";
                return false;
            }

            if (!TryGetString(document.RootElement, "event", MaxEventLength, out eventName, out problem)
                || !TryGetString(document.RootElement, "userId", MaxUserIdLength, out userId, out problem))
            {
                return false;
            }

            return true;
        }
        catch (JsonException exception)
        {
            problem = "the body is not valid JSON: " + exception.Message;
            return false;
        }
    }

    private static bool TryGetString(JsonElement root, string name, int maxLength, out string value, out string problem)
    {
        value = problem = string.Empty;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(element.GetString()))
        {
            problem = $"\"{name}\" must be a non-empty string";
            return false;
        }

        value = element.GetString()!;
        if (value.Length > maxLength)
        {
            problem = $"\"{name}\" is longer than {maxLength} characters";
            return false;
        }

        return true;
    }

    private static string Describe(WebhookVerification verification) => verification switch
    {
        WebhookVerification.MissingTimestamp => $"the {WebhookSignature.TimestampHeader} header is missing",
        WebhookVerification.MalformedTimestamp => $"the {WebhookSignature.TimestampHeader} header is not unix seconds",
        WebhookVerification.TimestampOutOfRange => "the timestamp is more than 5 minutes away from the worker's clock",
        WebhookVerification.MissingSignature => $"the {WebhookSignature.SignatureHeader} header is missing",
        WebhookVerification.MalformedSignature => $"the {WebhookSignature.SignatureHeader} header is not sha256=<64 hex digits>",
        _ => "the signature does not match",
    };

    private static IResult Error(int statusCode, string message) =>
        Results.Json(new { error = message }, OperationsEndpoints.Json, statusCode: statusCode);
}

using Microsoft.Extensions.Logging;

namespace Connector.Host.Hosting;

/// <summary>The operations surface's log events (source-generated; none carries a secret or a body).</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Webhook refused: {Verification} (from {RemoteAddress})")]
    public static partial void WebhookRejected(ILogger logger, WebhookVerification verification, string? remoteAddress);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "Webhook refused: {Problem}")]
    public static partial void WebhookMalformed(ILogger logger, string problem);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Information, Message = "Webhook {Event} for user {UserId}: nudged {Nudged}")]
    public static partial void WebhookAccepted(ILogger logger, string @event, string userId, bool nudged);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "The worker status could not be read")]
    public static partial void StatusFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Warning, Message = "HTTP endpoints listen on {Url}, which is not a loopback address: /api/status and /metrics are readable by anyone who reaches it")]
    public static partial void ListeningBeyondLoopback(ILogger logger, Uri url);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Information, Message = "The webhook is disabled: Service__SharedSecret is not set")]
    public static partial void WebhookDisabled(ILogger logger);

    [LoggerMessage(EventId = 6007, Level = LogLevel.Warning, Message = "A metrics gauge failed while being read")]
    public static partial void GaugeFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6008, Level = LogLevel.Information, Message = "OpenTelemetry export of logs and metrics to {Endpoint}")]
    public static partial void OtlpExport(ILogger logger, Uri endpoint);
}

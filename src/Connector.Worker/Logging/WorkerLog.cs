using Microsoft.Extensions.Logging;

namespace Connector.Worker.Logging;

/// <summary>
/// Every log line the worker writes, in one place: structured fields are user ids, identity names,
/// counts and reasons — never item content, titles, attendee addresses or secrets.
/// </summary>
internal static partial class WorkerLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Worker {WorkerId} started: up to {Parallel} users at once, interval {Interval}, critical interval {Critical}")]
    public static partial void WorkerStarted(ILogger logger, string workerId, int parallel, TimeSpan interval, TimeSpan critical);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Worker {WorkerId} stopped")]
    public static partial void WorkerStopped(ILogger logger, string workerId);

    [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "Worker cycle failed: {Error}")]
    public static partial void CycleFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "User {UserId} nudged ({Reason})")]
    public static partial void Nudged(ILogger logger, string userId, string reason);

    [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "User {UserId} synced with identity {Identity}: {Outcome}")]
    public static partial void UserSynced(ILogger logger, string userId, string? identity, string outcome);

    [LoggerMessage(EventId = 112, Level = LogLevel.Warning, Message = "User {UserId} sync with identity {Identity} did not finish cleanly: {Outcome}")]
    public static partial void UserSyncProblem(ILogger logger, string userId, string? identity, string outcome);

    [LoggerMessage(EventId = 113, Level = LogLevel.Warning, Message = "User {UserId}: lease lost (another worker took the user over); run stopped")]
    public static partial void LeaseLost(ILogger logger, string userId);

    [LoggerMessage(EventId = 114, Level = LogLevel.Error, Message = "User {UserId}: run failed: {Error}")]
    public static partial void UserRunFailed(ILogger logger, string userId, string error);

    [LoggerMessage(EventId = 115, Level = LogLevel.Error, Message = "User {UserId}: could not release the lease: {Error}")]
    public static partial void ReleaseFailed(ILogger logger, string userId, string error);

    [LoggerMessage(EventId = 116, Level = LogLevel.Warning, Message = "User {UserId}: lease renewal failed: {Error}")]
    public static partial void RenewalFailed(ILogger logger, string userId, string error);

    [LoggerMessage(EventId = 117, Level = LogLevel.Information, Message = "User {UserId} {Kind}: {Compared} of {Total} items compared, {Writes} written")]
    public static partial void Progress(ILogger logger, string userId, string kind, int compared, int total, int writes);

    [LoggerMessage(EventId = 120, Level = LogLevel.Information, Message = "User {UserId} is no longer listed by the user source; disabled (their pairs and relations stay)")]
    public static partial void UserUnlisted(ILogger logger, string userId);

    [LoggerMessage(EventId = 121, Level = LogLevel.Warning, Message = "User {UserId} has no identity: every identity is quarantined or has Service__MaxUsersPerAdmin users")]
    public static partial void NoIdentity(ILogger logger, string userId);

    [LoggerMessage(EventId = 122, Level = LogLevel.Error, Message = "User {UserId} has no identity: admins.json holds Exchange Server and Microsoft 365 identities, and the user source does not say which this user's mailbox is on (users file: \"ExchangeType\": 2 or 1)")]
    public static partial void NoBackend(ILogger logger, string userId);

    [LoggerMessage(EventId = 123, Level = LogLevel.Error, Message = "User {UserId} has no identity: the user source names identity {Identity}, which admins.json does not have")]
    public static partial void UnknownIdentity(ILogger logger, string userId, string identity);

    [LoggerMessage(EventId = 130, Level = LogLevel.Error, Message = "Identity {Identity} quarantined: Exchange rejected its credentials; its users move to other identities")]
    public static partial void IdentityQuarantined(ILogger logger, string identity);
}

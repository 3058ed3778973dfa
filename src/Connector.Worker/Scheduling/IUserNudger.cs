namespace Connector.Worker.Scheduling;

/// <summary>
/// Makes a user due at the critical interval (a webhook said something changed). Only moves the
/// due time earlier; polling alone stays correct, so a lost nudge costs latency, never data.
/// </summary>
public interface IUserNudger
{
    /// <summary>False when the user is unknown.</summary>
    Task<bool> NudgeAsync(string userId, string reason, CancellationToken cancellationToken);
}

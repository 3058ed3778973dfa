namespace Connector.Sync.Resilience;

/// <summary>How long to keep trying a store call that was throttled or failed for a passing reason.</summary>
public sealed record RetryOptions
{
    /// <summary>Default total time after which a call gives up (a time, not a retry count: S14).</summary>
    public static readonly TimeSpan DefaultGiveUpAfter = TimeSpan.FromMinutes(10);

    /// <summary>Total time from the first attempt after which the last failure is passed on.</summary>
    public TimeSpan GiveUpAfter { get; init; } = DefaultGiveUpAfter;

    /// <summary>First wait when the server gave no hint; doubled per attempt up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Share of each computed wait added at random (0.2 = up to +20%), so callers do not retry in step.</summary>
    public double Jitter { get; init; } = 0.2;

    public void Validate()
    {
        if (GiveUpAfter <= TimeSpan.Zero || FirstDelay <= TimeSpan.Zero || MaxDelay < FirstDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(GiveUpAfter), "GiveUpAfter and FirstDelay must be positive and MaxDelay at least FirstDelay");
        }

        if (Jitter is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Jitter), Jitter, "must be between 0 and 1");
        }
    }
}

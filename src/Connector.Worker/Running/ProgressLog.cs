using Connector.Sync.Engine;
using Connector.Worker.Logging;
using Microsoft.Extensions.Logging;

namespace Connector.Worker.Running;

/// <summary>
/// Logs a long run's progress (S15) at most every <see cref="Interval"/>, so a first sync of tens of
/// thousands of items shows it is moving while a normal poll logs nothing extra.
/// </summary>
internal sealed class ProgressLog(ILogger logger, string userId, string kind, TimeProvider time) : IProgress<SyncProgress>
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    private long last = time.GetTimestamp();
    private bool logged;

    public void Report(SyncProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var now = time.GetTimestamp();
        if (time.GetElapsedTime(last, now) < Interval || (value.Compared == value.Total && !logged))
        {
            return; // short runs end with the summary line alone
        }

        last = now;
        logged = true;
        WorkerLog.Progress(logger, userId, kind, value.Compared, value.Total, value.Writes);
    }
}

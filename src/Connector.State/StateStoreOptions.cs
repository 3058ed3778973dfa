namespace Connector.State;

/// <summary>Settings both state stores share.</summary>
public sealed class StateStoreOptions
{
    /// <summary>Default of <see cref="LogLinesPerUser"/>: enough for a few weeks of runs with a handful of lines each.</summary>
    public const int DefaultLogLinesPerUser = 1000;

    /// <summary>
    /// How many log lines are kept per user. <c>AppendLogAsync</c> deletes the user's older lines in the same
    /// call, so the log never grows past this (the table holds at most this many lines per user).
    /// </summary>
    public int LogLinesPerUser { get; init; } = DefaultLogLinesPerUser;

    internal static StateStoreOptions Validated(StateStoreOptions? options)
    {
        options ??= new StateStoreOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.LogLinesPerUser, 1, nameof(LogLinesPerUser));
        return options;
    }
}

namespace Connector.Host.Commands;

/// <summary>Process exit codes, documented in README.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The input was read, but one or more items in it are invalid.</summary>
    public const int InvalidInput = 1;

    /// <summary>Wrong usage: unknown option, missing file, impossible conversion.</summary>
    public const int Usage = 2;
}

namespace Connector.Host.Commands;

/// <summary>Process exit codes, documented in README.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The input was read, but one or more items in it are invalid.</summary>
    public const int InvalidInput = 1;

    /// <summary>Wrong usage: unknown option, missing file, impossible conversion, unknown user.</summary>
    public const int Usage = 2;

    /// <summary>The configuration (settings, .env, admins.json, users file) has errors; each is printed on its own line.</summary>
    public const int Configuration = 3;

    /// <summary>The work failed: a sync did not finish cleanly, `check` found an identity or endpoint that does not answer.</summary>
    public const int Failed = 4;
}

namespace Connector.EndToEnd.Tests;

/// <summary>
/// How many random histories an end-to-end property test runs: a few in every CI run (they talk to
/// real servers), many when <c>CONNECTOR_E2E_PROPERTY_ITER</c> asks for a deeper search.
/// </summary>
internal static class PropertyRuns
{
    public static long Iterations(long ciDefault) =>
        long.TryParse(Environment.GetEnvironmentVariable("CONNECTOR_E2E_PROPERTY_ITER"), out var n) && n > 0 ? n : ciDefault;
}

using Xunit;

namespace Connector.Testing;

/// <summary>
/// A <see cref="FactAttribute"/> for a test that talks to real servers. Outside CI the test is skipped when a
/// server's environment variable is missing; under <c>CI=true</c> it always runs (and fails if the server is
/// missing), so CI never passes by skipping.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ServerFactAttribute : FactAttribute
{
    /// <summary>Marks a test that needs <paramref name="servers"/>.</summary>
    public ServerFactAttribute(params TestServer[] servers)
    {
        Servers = servers ?? [];
        if (TestServerEnvironment.SkipReason(Servers) is { } reason)
        {
            Skip = reason;
        }
    }

    /// <summary>The servers the test needs.</summary>
    public TestServer[] Servers { get; }
}

using Xunit;

namespace Connector.Testing;

/// <summary>The <see cref="TheoryAttribute"/> counterpart of <see cref="ServerFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ServerTheoryAttribute : TheoryAttribute
{
    /// <summary>Marks a theory that needs <paramref name="servers"/>.</summary>
    public ServerTheoryAttribute(params TestServer[] servers)
    {
        Servers = servers ?? [];
        if (TestServerEnvironment.SkipReason(Servers) is { } reason)
        {
            Skip = reason;
        }
    }

    /// <summary>The servers the theory needs.</summary>
    public TestServer[] Servers { get; }
}

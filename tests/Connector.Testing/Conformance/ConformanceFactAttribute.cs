using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Connector.Testing.Conformance;

/// <summary>
/// A <see cref="FactAttribute"/> for a test of an abstract conformance suite whose subclasses may need a real
/// server: a subclass marked <see cref="ConformanceServersAttribute"/> has each inherited test skipped outside
/// CI when a server is missing, exactly as <see cref="ServerFactAttribute"/> does for a single test (under
/// <c>CI=true</c> it always runs). The decision is made per concrete class at discovery, which a plain
/// attribute on the base method cannot do.
/// </summary>
[XunitTestCaseDiscoverer("Connector.Testing.Conformance.ConformanceFactDiscoverer", "Connector.Testing")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ConformanceFactAttribute : FactAttribute;

/// <summary>The real servers every test of this conformance subclass needs.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class ConformanceServersAttribute(params TestServer[] servers) : Attribute
{
    public TestServer[] Servers { get; } = servers ?? [];
}

/// <summary>Discovers <see cref="ConformanceFactAttribute"/> tests, skipped when the concrete class's servers are missing.</summary>
public sealed class ConformanceFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        ArgumentNullException.ThrowIfNull(discoveryOptions);
        ArgumentNullException.ThrowIfNull(testMethod);
        var display = discoveryOptions.MethodDisplayOrDefault();
        var displayOptions = discoveryOptions.MethodDisplayOptionsOrDefault();
        var servers = testMethod.TestClass.Class.ToRuntimeType()?
            .GetCustomAttributes(typeof(ConformanceServersAttribute), inherit: true)
            .OfType<ConformanceServersAttribute>()
            .SelectMany(a => a.Servers)
            .ToArray() ?? [];
        var skip = TestServerEnvironment.SkipReason(servers);
        return skip is null
            ? [new XunitTestCase(diagnosticMessageSink, display, displayOptions, testMethod)]
            : [new XunitSkippedDataRowTestCase(diagnosticMessageSink, display, displayOptions, testMethod, skip)];
    }
}

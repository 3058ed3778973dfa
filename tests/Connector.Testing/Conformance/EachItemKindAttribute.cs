using System.Reflection;
using Connector.Sync.Stores;
using Xunit.Sdk;

namespace Connector.Testing.Conformance;

/// <summary>Theory data: the test runs once for events, once for tasks and once for contacts.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class EachItemKindAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) =>
        [[ItemKind.Event], [ItemKind.Task], [ItemKind.Contact]];
}

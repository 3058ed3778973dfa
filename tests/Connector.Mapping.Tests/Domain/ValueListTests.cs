using Connector.Domain;

namespace Connector.Mapping.Tests.Domain;

public class ValueListTests
{
    [Fact]
    public void CollectionExpression_KeepsItsItems()
    {
        ValueList<string> list = ["a", "b"];

        Assert.Equal(2, list.Count);
        Assert.Equal(ValueList.Of("a", "b"), list);
    }

    [Fact]
    public void Equality_IsByContent()
    {
        Assert.Equal(ValueList.Of(1, 2, 3), new ValueList<int>([1, 2, 3]));
        Assert.NotEqual(ValueList.Of(1, 2, 3), ValueList.Of(1, 3, 2));
        Assert.Equal(default(ValueList<int>), ValueList<int>.Empty);
        Assert.Equal(ValueList.Of(1, 2).GetHashCode(), ValueList.Of(1, 2).GetHashCode());
    }

    [Fact]
    public void RecordsHoldingLists_CompareByContent()
    {
        var a = new TypedValue { Value = "x", Types = ["work", "voice"] };
        var b = new TypedValue { Value = "x", Types = ValueList.Of("work", "voice") };

        Assert.Equal(a, b);
    }
}

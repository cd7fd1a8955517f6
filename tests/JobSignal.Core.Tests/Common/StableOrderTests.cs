using JobSignal.Core.Common;

namespace JobSignal.Core.Tests.Common;

public class StableOrderTests
{
    [Fact]
    public void Orders_by_the_rule_and_keeps_equal_items_in_the_order_they_came()
    {
        var ordered = new List<(int Points, string Name)>();
        foreach (var item in new (int Points, string Name)[] { (2, "a"), (5, "b"), (2, "c"), (9, "d"), (5, "e"), (0, "f") })
            StableOrder.Insert(ordered, item, static (x, y) => x.Points > y.Points);

        Assert.Equal(["d", "b", "e", "a", "c", "f"], ordered.Select(i => i.Name));
    }
}

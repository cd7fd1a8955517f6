namespace JobSignal.Core.Signal;

/// <summary>
/// A list that reads as its items: <c>ToString</c> joins the items' own short forms with ", ". Export-Csv, string
/// interpolation and Format-Table show a property's value with ToString, which for a plain List is its type name
/// (<c>System.Collections.Generic.List`1[...]</c>); the same pattern as <c>CategoryScoreMap</c>.
/// </summary>
public sealed class ItemList<T> : List<T>
{
    public ItemList()
    {
    }

    public ItemList(IEnumerable<T> items) : base(items)
    {
    }

    public ItemList(int capacity) : base(capacity)
    {
    }

    public override string ToString() => string.Join(", ", this);
}

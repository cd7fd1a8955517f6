namespace JobSignal.Core.Store;

/// <summary>Small helpers for building SQL text safely.</summary>
internal static class SqlText
{
    /// <summary>A LIKE pattern (ESCAPE '\') for a PowerShell wildcard: <c>*</c> any text, <c>?</c> one character.</summary>
    public static string FromWildcard(string wildcard)
    {
        var pattern = new System.Text.StringBuilder();
        foreach (var c in wildcard)
            pattern.Append(c switch { '*' => "%", '?' => "_", _ => EscapeLike(c.ToString()) });
        return pattern.ToString();
    }

    private static string EscapeLike(string value) =>
        value.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");

    /// <summary>Splits ids into groups small enough for one <c>IN @ids</c> list each.</summary>
    public static IEnumerable<long[]> Batches(IEnumerable<long> ids, int size = 500) => ids.Distinct().Chunk(size);
}

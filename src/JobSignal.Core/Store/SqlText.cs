namespace JobSignal.Core.Store;

/// <summary>Small helpers for building SQL text safely.</summary>
internal static class SqlText
{
    /// <summary>Splits ids into groups small enough for one <c>IN @ids</c> list each.</summary>
    public static IEnumerable<long[]> Batches(IEnumerable<long> ids, int size = 500) => ids.Distinct().Chunk(size);
}

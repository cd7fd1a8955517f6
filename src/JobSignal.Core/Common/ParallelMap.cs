namespace JobSignal.Core.Common;

/// <summary>Pure per-item work (tokenizing, scoring) spread over cores, results in input order.</summary>
internal static class ParallelMap
{
    /// <summary>Every core: for work nothing else runs beside (re-scoring a page before writing it).</summary>
    public static int AllCores => Environment.ProcessorCount;

    /// <summary>
    /// All cores but one: for work done while the calling thread writes the previous batch (ingestion), which is the
    /// pace-setter; with every core, the preparation took CPU from the writer (alternating 30,000-offer runs: about
    /// 4 % slower).
    /// </summary>
    public static int BesideAWriter => Math.Max(1, Environment.ProcessorCount - 1);

    public static TResult[] Map<T, TResult>(IReadOnlyList<T> items, Func<T, TResult> map, int degree,
        CancellationToken cancellationToken)
    {
        var results = new TResult[items.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = degree, CancellationToken = cancellationToken };
        Parallel.For(0, items.Count, options, i => results[i] = map(items[i]));
        return results;
    }
}

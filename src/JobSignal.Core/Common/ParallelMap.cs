namespace JobSignal.Core.Common;

/// <summary>Pure per-item work (tokenizing, scoring) spread over every core, results in input order.</summary>
internal static class ParallelMap
{
    public static TResult[] Map<T, TResult>(IReadOnlyList<T> items, Func<T, TResult> map, CancellationToken cancellationToken)
    {
        var results = new TResult[items.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        Parallel.For(0, items.Count, options, i => results[i] = map(items[i]));
        return results;
    }
}

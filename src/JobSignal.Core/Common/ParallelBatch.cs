using System.Collections.Concurrent;

namespace JobSignal.Core.Common;

/// <summary>
/// Pure per-item work (tokenizing, scoring) spread over cores, results in input order. Background workers and the
/// thread that joins take items one at a time from a shared counter, so a caller that would otherwise block on the
/// results lends its own core to the items nobody has taken yet.
/// </summary>
internal static class ParallelBatch
{
    /// <summary>
    /// Background workers for work done while the calling thread writes the previous batch (ingestion): all cores but
    /// one, the writer's, which joins in when it has nothing else to do.
    /// </summary>
    public static int BesideAWriter => Math.Max(1, Environment.ProcessorCount - 1);

    /// <summary>Maps every item on every core, the calling thread included, and returns the results.</summary>
    public static TResult[] Map<T, TResult>(IReadOnlyList<T> items, Func<T, TResult> map, CancellationToken cancellationToken) =>
        new ParallelBatch<T, TResult>(items, map, Environment.ProcessorCount - 1, cancellationToken).Join();
}

/// <inheritdoc cref="ParallelBatch"/>
internal sealed class ParallelBatch<T, TResult>
{
    private readonly IReadOnlyList<T> _items;
    private readonly Func<T, TResult> _map;
    private readonly CancellationToken _cancellationToken;
    private readonly TResult[] _results;
    private readonly Task[] _workers;
    private readonly ConcurrentQueue<Exception> _failures = new();
    private int _next = -1;

    /// <summary>Starts <paramref name="backgroundWorkers"/> workers (at most one per item) on the thread pool.</summary>
    public ParallelBatch(IReadOnlyList<T> items, Func<T, TResult> map, int backgroundWorkers, CancellationToken cancellationToken)
    {
        _items = items;
        _map = map;
        _cancellationToken = cancellationToken;
        _results = new TResult[items.Count];
        _workers = new Task[Math.Clamp(backgroundWorkers, 0, items.Count)];
        for (var i = 0; i < _workers.Length; i++) _workers[i] = Task.Run(Drain, CancellationToken.None);
    }

    /// <summary>
    /// Maps the items nobody has taken yet on this thread, waits for the workers, and returns the results; throws an
    /// <see cref="AggregateException"/> of what the map threw (even when cancelled meanwhile, as Parallel.For did), else
    /// <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    public TResult[] Join()
    {
        Drain();
        Task.WaitAll(_workers);
        if (!_failures.IsEmpty) throw new AggregateException(_failures);
        _cancellationToken.ThrowIfCancellationRequested();
        return _results;
    }

    /// <summary>The results will not be used: no item is started any more; returns once the workers are done.</summary>
    public void Abandon()
    {
        StopTaking();
        Task.WaitAll(_workers);
    }

    private void Drain()
    {
        int index;
        while (!_cancellationToken.IsCancellationRequested && (index = Interlocked.Increment(ref _next)) < _items.Count)
        {
            try
            {
                _results[index] = _map(_items[index]);
            }
            catch (Exception ex)
            {
                _failures.Enqueue(ex);
                StopTaking();
            }
        }
    }

    private void StopTaking() => Interlocked.Exchange(ref _next, _items.Count);
}

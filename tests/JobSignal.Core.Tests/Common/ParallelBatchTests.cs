using System.Collections.Concurrent;
using JobSignal.Core.Common;

namespace JobSignal.Core.Tests.Common;

public class ParallelBatchTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public void Map_returns_every_result_in_input_order()
    {
        var items = Enumerable.Range(0, 5_000).ToArray();
        var results = ParallelBatch.Map(items, i => i * 3L, CancellationToken.None);
        Assert.Equal(items.Select(i => i * 3L), results);
    }

    [Fact]
    public void An_empty_batch_joins_at_once_with_no_results()
    {
        var batch = new ParallelBatch<int, int>([], i => i, backgroundWorkers: 4, CancellationToken.None);
        Assert.Empty(batch.Join());
    }

    [Fact]
    public void The_joining_thread_maps_the_items_no_worker_has_taken()
    {
        var joiner = Environment.CurrentManagedThreadId;
        var mappedByJoiner = 0;
        var held = 0;
        var items = Enumerable.Range(0, 20).ToArray();
        using var othersDone = new ManualResetEventSlim();
        using var workerStarted = new ManualResetEventSlim();
        var batch = new ParallelBatch<int, int>(items, i =>
        {
            if (Environment.CurrentManagedThreadId == joiner)
            {
                if (Interlocked.Increment(ref mappedByJoiner) == items.Length - 1) othersDone.Set();
            }
            else if (Interlocked.Exchange(ref held, 1) == 0)
            {
                // The one worker holds its first item until the joining thread has mapped every other one.
                workerStarted.Set();
                othersDone.Wait(Patience);
            }
            return -i;
        }, backgroundWorkers: 1, CancellationToken.None);

        // Joined once the worker runs (Task.WaitAll would otherwise run a worker not started yet on this thread).
        Assert.True(workerStarted.Wait(Patience), "the worker never started");
        var results = batch.Join();

        Assert.Equal(items.Select(i => -i), results);
        Assert.Equal(items.Length - 1, mappedByJoiner);
    }

    [Fact]
    public void A_failing_item_stops_the_batch_and_join_throws_what_the_map_threw()
    {
        var mapped = new ConcurrentBag<int>();
        var batch = new ParallelBatch<int, int>(Enumerable.Range(0, 10).ToArray(), i =>
        {
            mapped.Add(i);
            return i == 3 ? throw new FormatException("item 3") : i;
        }, backgroundWorkers: 0, CancellationToken.None);

        var error = Assert.Throws<AggregateException>(() => batch.Join());

        Assert.Equal("item 3", Assert.IsType<FormatException>(Assert.Single(error.InnerExceptions)).Message);
        Assert.Equal([0, 1, 2, 3], mapped.Order());
    }

    [Fact]
    public void Cancellation_stops_taking_items_and_join_throws_operation_cancelled()
    {
        using var cancellation = new CancellationTokenSource();
        var mapped = new ConcurrentBag<int>();
        var batch = new ParallelBatch<int, int>(Enumerable.Range(0, 10).ToArray(), i =>
        {
            mapped.Add(i);
            if (i == 4) cancellation.Cancel();
            return i;
        }, backgroundWorkers: 0, cancellation.Token);

        Assert.Throws<OperationCanceledException>(() => batch.Join());
        Assert.Equal([0, 1, 2, 3, 4], mapped.Order());
    }

    [Fact]
    public void A_failure_is_reported_even_when_the_batch_was_cancelled_meanwhile()
    {
        using var cancellation = new CancellationTokenSource();
        var batch = new ParallelBatch<int, int>(Enumerable.Range(0, 10).ToArray(), i =>
        {
            if (i < 3) return i;
            cancellation.Cancel();
            throw new FormatException("item 3");
        }, backgroundWorkers: 0, cancellation.Token);

        var error = Assert.Throws<AggregateException>(() => batch.Join());
        Assert.Equal("item 3", Assert.Single(error.InnerExceptions).Message);
    }

    [Fact]
    public void Abandon_starts_no_further_item_and_returns_once_the_workers_are_done()
    {
        var mapped = new ConcurrentBag<int>();
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var batch = new ParallelBatch<int, int>(Enumerable.Range(0, 10).ToArray(), i =>
        {
            mapped.Add(i);
            started.Set();
            release.Wait(Patience);
            return i;
        }, backgroundWorkers: 1, CancellationToken.None);
        Assert.True(started.Wait(Patience), "the worker never started");

        // A thread of its own: a pool thread might start only after the worker was released.
        var abandoning = new Thread(batch.Abandon);
        abandoning.Start();
        Assert.True(SpinWait.SpinUntil(() => (abandoning.ThreadState & ThreadState.WaitSleepJoin) != 0, Patience),
            "Abandon never waited for the worker");
        Assert.True(abandoning.IsAlive, "Abandon returned while the worker was still mapping");
        release.Set();

        Assert.True(abandoning.Join(Patience), "Abandon did not return once the worker was done");
        Assert.Equal([0], mapped);
    }
}

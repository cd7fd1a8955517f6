namespace JobSignal.Core.Common;

/// <summary>
/// The knobs every chunked batch writer shares (ingestion, aggregation, re-scoring): how many items go in one
/// transaction, how an item's failing write is retried, and the clock that says "now".
/// </summary>
public abstract record ChunkedWriteOptions
{
    /// <summary>Items read and written in one transaction.</summary>
    public int ChunkSize { get; init; } = 200;

    /// <summary>Retries of one item's failing write after its first attempt (default 2).</summary>
    public int MaxRetries { get; init; } = 2;

    /// <summary>Wait before the first retry; doubled for each further one, ±20 % jitter (default 100 ms).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How retries wait; null sleeps. Tests pass a recorder.</summary>
    public RetryPolicy.Waiter? Wait { get; init; }

    /// <summary>"Now" of the batch; null: the store's clock.</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>The retry policy these settings describe.</summary>
    public RetryPolicy Retry() => new(MaxRetries, RetryDelay, wait: Wait);

    internal virtual void Validate()
    {
        if (ChunkSize < 1) throw new ArgumentOutOfRangeException(nameof(ChunkSize), ChunkSize, "must be 1 or more");
        if (MaxRetries < 0) throw new ArgumentOutOfRangeException(nameof(MaxRetries), MaxRetries, "must be 0 or more");
        if (RetryDelay < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RetryDelay), RetryDelay, "must not be negative");
    }
}

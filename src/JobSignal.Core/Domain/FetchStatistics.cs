namespace JobSignal.Core.Domain;

/// <summary>Counters of one fetch from a job board; thread-safe because details are fetched concurrently.</summary>
public sealed class FetchStatistics
{
    private int _pages, _requests, _rateLimited, _retries, _detailsSkipped;
    private long _bytes;

    public string? QueryKey { get; set; }
    public int Pages => Volatile.Read(ref _pages);
    public int Requests => Volatile.Read(ref _requests);
    public int RateLimited => Volatile.Read(ref _rateLimited);
    public int Retries => Volatile.Read(ref _retries);
    public long Bytes => Interlocked.Read(ref _bytes);
    public int OffersListed { get; set; }
    public int DetailsFetched { get; set; }
    /// <summary>Listed offers whose detail was not fetched because the store already holds them unchanged.</summary>
    public int DetailsSkipped => Volatile.Read(ref _detailsSkipped);
    /// <summary>Why paging stopped before the end of the results (max_pages, max_offers, rate_limited, server_error...), or null.</summary>
    public string? TruncationReason { get; set; }

    public void AddPage() => Interlocked.Increment(ref _pages);
    public void AddRequest(long bytes)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Add(ref _bytes, bytes);
    }
    public void AddRateLimited() => Interlocked.Increment(ref _rateLimited);
    public void AddRetry() => Interlocked.Increment(ref _retries);
    public void AddDetailSkipped() => Interlocked.Increment(ref _detailsSkipped);

    public override string ToString() =>
        $"{QueryKey ?? "fetch"}: {OffersListed} listed, {DetailsFetched} details fetched, {Pages} pages, {Requests} requests" +
        (TruncationReason is null ? "" : $", stopped: {TruncationReason}");
}

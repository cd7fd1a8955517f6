using JobSignal.Core.Domain;

namespace JobSignal.Core.Tests.Domain;

public class FetchStatisticsTests
{
    [Fact]
    public void Counters_are_exact_under_concurrent_detail_fetches()
    {
        var stats = new FetchStatistics();
        Parallel.For(0, 1000, i =>
        {
            stats.AddRequest(10);
            if (i % 10 == 0) stats.AddRetry();
            if (i % 100 == 0) stats.AddRateLimited();
        });
        Assert.Equal(1000, stats.Requests);
        Assert.Equal(10_000, stats.Bytes);
        Assert.Equal(100, stats.Retries);
        Assert.Equal(10, stats.RateLimited);
    }
}

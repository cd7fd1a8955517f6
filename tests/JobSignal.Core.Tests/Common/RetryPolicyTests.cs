using JobSignal.Core.Common;

namespace JobSignal.Core.Tests.Common;

public class RetryPolicyTests
{
    private static (RetryPolicy Policy, List<TimeSpan> Waits) Recording(int maxRetries, double jitter = 0)
    {
        var waits = new List<TimeSpan>();
        var policy = new RetryPolicy(maxRetries, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2), jitter,
            (d, _) => { waits.Add(d); return Task.CompletedTask; }, new Random(42));
        return (policy, waits);
    }

    [Fact]
    public void Fails_then_succeeds_with_exponential_waits()
    {
        var (policy, waits) = Recording(maxRetries: 3);
        var calls = 0;
        var result = policy.Execute(() => ++calls < 3 ? throw new TimeoutException() : calls, ex => ex is TimeoutException);
        Assert.Equal(3, result);
        Assert.Equal(new[] { TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200) }, waits);
    }

    [Fact]
    public void Gives_up_after_max_retries_and_rethrows_the_last_failure()
    {
        var (policy, waits) = Recording(maxRetries: 2);
        var calls = 0;
        var ex = Assert.Throws<TimeoutException>(() => policy.Execute(() => { calls++; throw new TimeoutException("#" + calls); }, _ => true));
        Assert.Equal("#3", ex.Message);
        Assert.Equal(2, waits.Count);
    }

    [Fact]
    public void Permanent_failures_are_not_retried()
    {
        var (policy, waits) = Recording(maxRetries: 5);
        Assert.Throws<InvalidOperationException>(() => policy.Execute(() => throw new InvalidOperationException(), ex => ex is TimeoutException));
        Assert.Empty(waits);
    }

    [Fact]
    public void Retry_after_is_honoured_but_capped()
    {
        var (policy, _) = Recording(maxRetries: 1);
        Assert.Equal(TimeSpan.FromSeconds(1), policy.DelayFor(1, TimeSpan.FromSeconds(1)));
        Assert.Equal(TimeSpan.FromSeconds(2), policy.DelayFor(1, TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public void A_retry_after_shorter_than_the_base_delay_waits_the_base_delay()
    {
        var policy = new RetryPolicy(3, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2), jitter: 0);
        Assert.Equal(TimeSpan.FromMilliseconds(500), policy.DelayFor(1, TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromMilliseconds(500), policy.DelayFor(3, TimeSpan.FromMilliseconds(100)));
        Assert.Equal(TimeSpan.FromMilliseconds(800), policy.DelayFor(1, TimeSpan.FromMilliseconds(800)));
        // A base delay above the cap still waits the cap, not more.
        Assert.Equal(TimeSpan.FromSeconds(1), new RetryPolicy(1, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1)).DelayFor(1, TimeSpan.Zero));
    }

    [Fact]
    public void Jitter_stays_within_its_band_and_varies()
    {
        var (policy, _) = Recording(maxRetries: 1, jitter: 0.2);
        var delays = Enumerable.Range(0, 200).Select(_ => policy.DelayFor(2).TotalMilliseconds).ToList();
        Assert.All(delays, d => Assert.InRange(d, 160, 240));
        Assert.True(delays.Distinct().Count() > 50);
    }
}

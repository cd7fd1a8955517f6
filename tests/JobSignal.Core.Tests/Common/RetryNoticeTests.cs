using JobSignal.Core.Common;

namespace JobSignal.Core.Tests.Common;

public class RetryNoticeTests
{
    private static readonly RetryPolicy Policy = new(4, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), jitter: 0);

    [Theory]
    [InlineData(null, "retry 2 of 4 in 2 s.")]
    [InlineData(12, "retry 2 of 4 in 12 s, as InfoJobs' Retry-After asked.")]
    [InlineData(0, "retry 2 of 4 in 1 s (InfoJobs' Retry-After asked 0 s; never less than the base back-off).")]
    [InlineData(120, "retry 2 of 4 in 30 s (InfoJobs' Retry-After asked 120 s; never more than 30 s).")]
    public void Tells_the_wait_the_policy_gives_and_the_servers_own_ask(int? retryAfterSeconds, string told)
    {
        var notice = RetryNotice.For(Policy, "GET /api/9/offer", "429 TooManyRequests", 2,
            retryAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : null, "InfoJobs");

        Assert.Equal("GET /api/9/offer failed (429 TooManyRequests): " + told, notice.ToString());
        Assert.Equal(Policy.DelayFor(2, notice.RetryAfter), notice.Delay);
        Assert.StartsWith($"Waiting {notice.Delay.TotalSeconds:0} s (429 TooManyRequests) before retry 2 of 4: GET /api/9/offer", notice.Waiting);
    }

    [Fact]
    public void A_server_whose_name_does_not_end_in_s_takes_an_apostrophe_s() =>
        Assert.EndsWith("as Google's Retry-After asked.",
            RetryNotice.For(Policy, "values.get", "SheetsRateLimited, 429", 1, TimeSpan.FromSeconds(3), "Google").ToString());
}

using JobSignal.Core.Infojobs;

namespace JobSignal.Core.Pipeline;

/// <summary>
/// The InfoJobs bucket of a query's next incremental fetch. InfoJobs has no free date filter, only buckets
/// (_24_HOURS, _7_DAYS, _15_DAYS, ANY), and it evaluates the bucket on its own clock when it serves each page, not
/// when the run started: a run that asked for exactly the time since its last success would lose the offers
/// published at the edge of the window (a daily schedule sits right at 24 hours). So the window starts earlier by a
/// margin: <see cref="MinimumMargin"/>, or the query's last run's duration when that is longer (this run's pages are
/// likely to be served as late into the run).
/// </summary>
public static class IncrementalWindow
{
    public static readonly TimeSpan MinimumMargin = TimeSpan.FromHours(1);

    /// <param name="lastSuccessAt">When the query's last successful run started.</param>
    /// <param name="lastRunDuration">How long the query's last run took, if known.</param>
    public static InfojobsSince Since(DateTimeOffset lastSuccessAt, TimeSpan? lastRunDuration, DateTimeOffset now)
    {
        var margin = lastRunDuration is { } duration && duration > MinimumMargin ? duration : MinimumMargin;
        var from = lastSuccessAt - margin;
        // A last success stamped ahead of this clock (a clock set back) is no reason to fail the query.
        return InfojobsSince.FromDate(from < now ? from : now, now);
    }
}

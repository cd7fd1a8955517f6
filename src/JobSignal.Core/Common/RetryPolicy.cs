namespace JobSignal.Core.Common;

/// <summary>
/// Bounded exponential back-off with jitter, shared by every retry in the product (SQLite BUSY/LOCKED writes,
/// aggregation, InfoJobs and Sheets HTTP). The wait is injectable so tests assert the delays without sleeping.
/// </summary>
public sealed class RetryPolicy
{
    /// <summary>Waits for the given time; the default sleeps. Tests pass a recorder.</summary>
    public delegate Task Waiter(TimeSpan delay, CancellationToken cancellationToken);

    public static readonly Waiter RealWait = Task.Delay;

    public RetryPolicy(int maxRetries, TimeSpan baseDelay, TimeSpan? maxDelay = null, double jitter = 0.2,
        Waiter? wait = null, Random? random = null)
    {
        if (maxRetries < 0) throw new ArgumentOutOfRangeException(nameof(maxRetries), "must be 0 or more");
        if (baseDelay < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(baseDelay), "must not be negative");
        if (jitter is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(jitter), "must be between 0 and 1");
        MaxRetries = maxRetries;
        BaseDelay = baseDelay;
        MaxDelay = maxDelay ?? TimeSpan.FromSeconds(30);
        Jitter = jitter;
        Wait = wait ?? RealWait;
        _random = random ?? Random.Shared;
    }

    private readonly Random _random;

    /// <summary>Retries after the first attempt (so MaxRetries + 1 attempts in all).</summary>
    public int MaxRetries { get; }
    public TimeSpan BaseDelay { get; }
    /// <summary>Upper bound of any single wait, including a server's Retry-After.</summary>
    public TimeSpan MaxDelay { get; }
    /// <summary>Each computed delay is spread uniformly by ± this fraction, so retrying clients do not stampede.</summary>
    public double Jitter { get; }
    public Waiter Wait { get; }

    /// <summary>
    /// The wait before retry number <paramref name="retry"/> (1-based): BaseDelay x 2^(retry-1) ± jitter, or the
    /// server's Retry-After when it gave one, but never less than BaseDelay (a <c>Retry-After: 0</c> would otherwise
    /// retry in a burst) nor more than MaxDelay.
    /// </summary>
    public TimeSpan DelayFor(int retry, TimeSpan? retryAfter = null)
    {
        if (retry < 1) throw new ArgumentOutOfRangeException(nameof(retry), "retries are numbered from 1");
        if (retryAfter is { } serverWait && serverWait >= TimeSpan.Zero)
            return serverWait < BaseDelay ? Min(BaseDelay, MaxDelay) : Min(serverWait, MaxDelay);
        var exponential = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retry - 1, 30));
        double factor;
        lock (_random) factor = 1 + Jitter * (2 * _random.NextDouble() - 1);
        var ms = Math.Min(exponential * factor, MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(Math.Max(0, ms));
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>
    /// The wait an HTTP server's Retry-After asks for: its delay, or the time until its date (none once past); null
    /// when it sent none. <see cref="DelayFor"/> bounds it.
    /// </summary>
    public static TimeSpan? RetryAfter(System.Net.Http.Headers.RetryConditionHeaderValue? header) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>
    /// Runs <paramref name="action"/>, retrying while <paramref name="isTransient"/> says the failure may pass.
    /// <paramref name="onRetry"/> hears each retry (number, delay, failure) before its wait, e.g. to count it.
    /// </summary>
    public T Execute<T>(Func<T> action, Func<Exception, bool> isTransient,
        Action<int, TimeSpan, Exception>? onRetry = null, CancellationToken cancellationToken = default)
    {
        for (var retry = 1; ; retry++)
        {
            try { return action(); }
            catch (Exception ex) when (retry <= MaxRetries && isTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                var delay = DelayFor(retry);
                onRetry?.Invoke(retry, delay, ex);
                Wait(delay, cancellationToken).GetAwaiter().GetResult();
            }
        }
    }

    public void Execute(Action action, Func<Exception, bool> isTransient,
        Action<int, TimeSpan, Exception>? onRetry = null, CancellationToken cancellationToken = default) =>
        Execute<object?>(() => { action(); return null; }, isTransient, onRetry, cancellationToken);
}

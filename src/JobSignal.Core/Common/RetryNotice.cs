using System.Globalization;

namespace JobSignal.Core.Common;

/// <summary>
/// One retry of an HTTP call, told before its wait: the call, why it is retried (an ErrorId or status, never the
/// server's text nor any secret), which retry of how many, and how long the wait is, with the server's own Retry-After
/// when it asked for one. The InfoJobs and Sheets clients tell each retry this way, for -Verbose, a progress status
/// and the scheduled pipeline's log, so that a long wait never looks like a hang.
/// </summary>
/// <param name="Server">Who answered, as the text names it: "InfoJobs", "Google".</param>
public sealed record RetryNotice(string Call, string Reason, int Retry, int MaxRetries, TimeSpan Delay,
    TimeSpan? RetryAfter, TimeSpan MaxDelay, string Server)
{
    /// <summary>Retry number <paramref name="retry"/> (1-based) of a call, with the wait <paramref name="policy"/> gives it.</summary>
    public static RetryNotice For(RetryPolicy policy, string call, string reason, int retry, TimeSpan? retryAfter, string server) =>
        new(call, reason, retry, policy.MaxRetries, policy.DelayFor(retry, retryAfter), retryAfter, policy.MaxDelay, server);

    /// <summary>A progress status for the time of the wait.</summary>
    public string Waiting => $"Waiting {Seconds(Delay)} s ({Reason}) before retry {Retry} of {MaxRetries}: {Call}";

    /// <summary>The line for -Verbose and logs, e.g. "GET /x failed (429 TooManyRequests): retry 1 of 4 in 3 s, as InfoJobs' Retry-After asked."</summary>
    public override string ToString()
    {
        var asker = Server.EndsWith('s') ? Server + "'" : Server + "'s";
        return $"{Call} failed ({Reason}): retry {Retry} of {MaxRetries} in {Seconds(Delay)} s" + (RetryAfter is not { } asked ? "."
            : Delay > asked ? $" ({asker} Retry-After asked {Seconds(asked)} s; never less than the base back-off)."
            : Delay < asked ? $" ({asker} Retry-After asked {Seconds(asked)} s; never more than {Seconds(MaxDelay)} s)."
            : $", as {asker} Retry-After asked.");
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
}

using System.Globalization;

namespace JobSignal.Core.Infojobs;

/// <summary>The recency windows the InfoJobs list endpoint understands (its <c>sinceDate</c> parameter).</summary>
public enum InfojobsSinceBucket
{
    Last24Hours,
    Last7Days,
    Last15Days,
    Any,
}

/// <summary>
/// A <c>-Since</c> value: a bucket name, or a date mapped to the smallest bucket that still covers it (the API has
/// no free date filter). The date is kept so that messages can show what the user asked for.
/// </summary>
public sealed record InfojobsSince(InfojobsSinceBucket Bucket, DateTimeOffset? RequestedDate = null)
{
    private static readonly (InfojobsSinceBucket Bucket, string ApiName, TimeSpan? Window)[] Buckets =
    {
        (InfojobsSinceBucket.Last24Hours, "_24_HOURS", TimeSpan.FromHours(24)),
        (InfojobsSinceBucket.Last7Days, "_7_DAYS", TimeSpan.FromDays(7)),
        (InfojobsSinceBucket.Last15Days, "_15_DAYS", TimeSpan.FromDays(15)),
        (InfojobsSinceBucket.Any, "ANY", null),
    };

    /// <summary>Clock skew tolerated before a date counts as "in the future".</summary>
    private static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    /// <summary>The value sent as <c>sinceDate</c>.</summary>
    public string ApiValue => Buckets.First(b => b.Bucket == Bucket).ApiName;

    /// <summary>The bucket names accepted by <see cref="Parse"/>, as the API spells them.</summary>
    public static IReadOnlyList<string> BucketNames { get; } = Buckets.Select(b => b.ApiName).ToArray();

    /// <summary>The smallest bucket whose window covers <paramref name="date"/>; a future date is an error.</summary>
    public static InfojobsSince FromDate(DateTimeOffset date, DateTimeOffset now)
    {
        if (date > now + FutureTolerance)
            throw new ArgumentOutOfRangeException(paramName: null,
                $"The date {date.ToUniversalTime():yyyy-MM-dd HH:mm} UTC is in the future; -Since needs a past date or one of {string.Join(", ", BucketNames)}.");
        var age = now - date;
        var bucket = Buckets.First(b => b.Window is null || age <= b.Window).Bucket;
        return new InfojobsSince(bucket, date);
    }

    /// <summary>
    /// A bucket name (<c>_7_DAYS</c>, <c>7_DAYS</c>, <c>any</c>; case-insensitive) or a date/time in invariant or
    /// ISO-8601 form (a date without offset is local time).
    /// </summary>
    public static InfojobsSince Parse(string text, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        foreach (var b in Buckets)
        {
            if (string.Equals(trimmed, b.ApiName, StringComparison.OrdinalIgnoreCase)
                || string.Equals(trimmed, b.ApiName.TrimStart('_'), StringComparison.OrdinalIgnoreCase))
                return new InfojobsSince(b.Bucket);
        }
        if (DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var date))
            return FromDate(date, now);
        throw new FormatException(
            $"'{text}' is neither a date nor one of {string.Join(", ", BucketNames)}.");
    }

    public override string ToString() => RequestedDate is { } d ? $"{ApiValue} (since {d:yyyy-MM-dd HH:mm zzz})" : ApiValue;
}

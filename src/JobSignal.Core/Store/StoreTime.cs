using System.Globalization;

namespace JobSignal.Core.Store;

/// <summary>
/// Every timestamp in the store is UTC ISO-8601 text with milliseconds ("2024-05-01T08:30:00.000Z"), so that
/// timestamps sort and compare correctly as text in SQL.
/// </summary>
public static class StoreTime
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string ToText(DateTimeOffset value) =>
        value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static string? ToText(DateTimeOffset? value) => value is { } v ? ToText(v) : null;

    /// <summary>Reads the store's format; any other ISO-8601 text is accepted too and taken as UTC when it has no offset.</summary>
    public static DateTimeOffset Parse(string text) =>
        DateTimeOffset.TryParseExact(text, Format, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var exact)
            ? exact
            : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal).ToUniversalTime();

    /// <summary>Now, truncated to what the store keeps (milliseconds), so a value written and read back is equal.</summary>
    public static DateTimeOffset Now(TimeProvider? clock = null) => Truncate((clock ?? TimeProvider.System).GetUtcNow());

    public static DateTimeOffset Truncate(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
    }
}

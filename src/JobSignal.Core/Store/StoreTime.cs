using System.Globalization;

namespace JobSignal.Core.Store;

/// <summary>
/// Every timestamp in the store is UTC ISO-8601 text with milliseconds ("2024-05-01T08:30:00.000Z"), so that
/// timestamps sort and compare correctly as text in SQL.
/// </summary>
public static class StoreTime
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    // Written by position (same text as Format): every offer stores several timestamps, and the general formatter's
    // custom-format path was a visible share of ingestion and of what the JIT compiles again while it runs.
    public static string ToText(DateTimeOffset value) =>
        string.Create(24, value.UtcDateTime, static (text, utc) =>
        {
            "0000-00-00T00:00:00.000Z".CopyTo(text);
            WriteDigits(text, 0, 4, utc.Year);
            WriteDigits(text, 5, 2, utc.Month);
            WriteDigits(text, 8, 2, utc.Day);
            WriteDigits(text, 11, 2, utc.Hour);
            WriteDigits(text, 14, 2, utc.Minute);
            WriteDigits(text, 17, 2, utc.Second);
            WriteDigits(text, 20, 3, utc.Millisecond);
        });

    private static void WriteDigits(Span<char> text, int start, int count, int value)
    {
        for (var i = start + count - 1; i >= start; i--, value /= 10) text[i] = (char)('0' + value % 10);
    }

    public static string? ToText(DateTimeOffset? value) => value is { } v ? ToText(v) : null;

    /// <summary>Reads the store's format; any other ISO-8601 text is accepted too and taken as UTC when it has no offset.</summary>
    public static DateTimeOffset Parse(string text) =>
        TryParseFormat(text, out var stored) ? stored
        : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal).ToUniversalTime();

    // Format read by position: reads of many rows (aggregation) parse several timestamps each, and the general parser
    // was a large part of their cost. Anything else, valid or not, is left to the general parser.
    private static bool TryParseFormat(string text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length != 24 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':'
            || text[19] != '.' || text[23] != 'Z') return false;
        if (!Digits(text, 0, 4, out var year) || !Digits(text, 5, 2, out var month) || !Digits(text, 8, 2, out var day)
            || !Digits(text, 11, 2, out var hour) || !Digits(text, 14, 2, out var minute)
            || !Digits(text, 17, 2, out var second) || !Digits(text, 20, 3, out var millisecond)) return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23
            || minute > 59 || second > 59) return false;
        value = new DateTimeOffset(year, month, day, hour, minute, second, millisecond, TimeSpan.Zero);
        return true;
    }

    private static bool Digits(string text, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var digit = text[i] - '0';
            if (digit is < 0 or > 9) return false;
            value = value * 10 + digit;
        }
        return true;
    }

    /// <summary>Now, truncated to what the store keeps (milliseconds), so a value written and read back is equal.</summary>
    public static DateTimeOffset Now(TimeProvider? clock = null) => Truncate((clock ?? TimeProvider.System).GetUtcNow());

    public static DateTimeOffset Truncate(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
    }
}

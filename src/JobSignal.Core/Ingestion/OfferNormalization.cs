using System.Globalization;

namespace JobSignal.Core.Ingestion;

/// <summary>How offer fields are written to the store: trimmed text, UTC ISO-8601 timestamps.</summary>
public static class OfferNormalization
{
    /// <summary>The text without surrounding whitespace; null when nothing is left.</summary>
    public static string? TrimToNull(string? text)
    {
        if (text is null) return null;
        var trimmed = text.AsSpan().Trim();
        if (trimmed.IsEmpty) return null;
        return trimmed.Length == text.Length ? text : trimmed.ToString();
    }

    /// <summary>
    /// Reads a provider or stored timestamp: ISO-8601 with an offset written <c>Z</c>, <c>+00:00</c> or
    /// <c>+0000</c> (InfoJobs: <c>2012-09-21T10:26:23.000+0000</c>), with or without fractional seconds. A timestamp
    /// without an offset is taken as UTC. Returns the moment in UTC; false for blank or unreadable text.
    /// </summary>
    public static bool TryParseTimestamp(string? text, out DateTimeOffset utc)
    {
        utc = default;
        var trimmed = TrimToNull(text);
        if (trimmed is null) return false;
        const DateTimeStyles styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
        if (!DateTimeOffset.TryParse(WithColonOffset(trimmed), CultureInfo.InvariantCulture, styles, out var parsed))
        {
            return false;
        }
        utc = parsed.ToUniversalTime();
        return true;
    }

    // .NET reads "+00:00" but not "+0000"; insert the colon when the text ends in a four-digit offset.
    private static string WithColonOffset(string text)
    {
        var n = text.Length;
        if (n < 5 || text[n - 5] is not ('+' or '-')) return text;
        for (var i = n - 4; i < n; i++)
        {
            if (!char.IsAsciiDigit(text[i])) return text;
        }
        return string.Concat(text.AsSpan(0, n - 2), ":", text.AsSpan(n - 2));
    }
}

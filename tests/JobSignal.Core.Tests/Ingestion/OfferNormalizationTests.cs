using JobSignal.Core.Ingestion;
using JobSignal.Core.Store;

namespace JobSignal.Core.Tests.Ingestion;

public class OfferNormalizationTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData(" \t\n ", null)]
    [InlineData("  Contable  ", "Contable")]
    [InlineData("Contable", "Contable")]
    public void TrimToNull_trims_and_turns_blank_into_null(string? text, string? expected)
    {
        Assert.Equal(expected, OfferNormalization.TrimToNull(text));
    }

    [Fact]
    public void TrimToNull_returns_the_same_instance_when_nothing_to_trim()
    {
        var text = "Contable";
        Assert.Same(text, OfferNormalization.TrimToNull(text));
    }

    [Theory]
    [InlineData("2012-09-21T10:26:23.000+0000", "2012-09-21T10:26:23.000Z")]
    [InlineData("2012-09-21T12:26:23.000+0200", "2012-09-21T10:26:23.000Z")]
    [InlineData("2012-09-21T08:26:23-0200", "2012-09-21T10:26:23.000Z")]
    [InlineData("2012-09-21T10:26:23+00:00", "2012-09-21T10:26:23.000Z")]
    [InlineData("2012-09-21T10:26:23.5Z", "2012-09-21T10:26:23.500Z")]
    [InlineData("2012-09-21T10:26:23", "2012-09-21T10:26:23.000Z")]
    [InlineData(" 2012-09-21 ", "2012-09-21T00:00:00.000Z")]
    [InlineData("2012-09-21T00:30:00.000+0100", "2012-09-20T23:30:00.000Z")]
    public void Provider_timestamps_become_utc_iso_8601(string text, string expected)
    {
        Assert.True(OfferNormalization.TryParseTimestamp(text, out var utc));
        Assert.Equal(TimeSpan.Zero, utc.Offset);
        Assert.Equal(expected, StoreTime.ToText(utc));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("2012-13-45T10:00:00Z")]
    public void Unreadable_timestamps_are_rejected(string? text)
    {
        Assert.False(OfferNormalization.TryParseTimestamp(text, out _));
    }

    [Fact]
    public void Formatting_converts_any_offset_to_utc_and_round_trips()
    {
        var moment = new DateTimeOffset(2024, 2, 29, 23, 59, 59, 123, TimeSpan.FromHours(-5));
        var text = StoreTime.ToText(moment);

        Assert.Equal("2024-03-01T04:59:59.123Z", text);
        Assert.True(OfferNormalization.TryParseTimestamp(text, out var back));
        Assert.Equal(moment, back);
        Assert.Null(StoreTime.ToText((DateTimeOffset?)null));
    }

    [Fact]
    public void Stored_timestamps_sort_as_text_in_time_order()
    {
        var earlier = StoreTime.ToText(new DateTimeOffset(2024, 1, 9, 9, 0, 0, TimeSpan.Zero));
        var later = StoreTime.ToText(new DateTimeOffset(2024, 1, 10, 8, 0, 0, TimeSpan.FromHours(-2)));
        Assert.True(string.CompareOrdinal(earlier, later) < 0);
    }
}

using JobSignal.Core.Store;

namespace JobSignal.Core.Tests.Store;

public class StoreTimeTests
{
    [Fact]
    public void Text_is_utc_with_milliseconds_and_sorts_like_time()
    {
        var madrid = new DateTimeOffset(2024, 3, 31, 3, 30, 0, 250, TimeSpan.FromHours(2));
        Assert.Equal("2024-03-31T01:30:00.250Z", StoreTime.ToText(madrid));
        var earlier = new DateTimeOffset(2024, 3, 31, 1, 0, 0, TimeSpan.Zero);
        Assert.True(string.CompareOrdinal(StoreTime.ToText(earlier), StoreTime.ToText(madrid)) < 0);
        Assert.Null(StoreTime.ToText((DateTimeOffset?)null));
    }

    [Fact]
    public void Text_is_what_the_general_formatter_writes_for_the_store_format()
    {
        var random = new Random(20261130);
        DateTimeOffset[] edges =
        [
            DateTimeOffset.MinValue, DateTimeOffset.MaxValue, new(999, 1, 2, 3, 4, 5, 6, TimeSpan.Zero),
            new(2024, 2, 29, 23, 59, 59, 999, TimeSpan.FromHours(-14)), new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(9_999),
        ];
        var moments = edges.Concat(Enumerable.Range(0, 2_000).Select(_ =>
            new DateTimeOffset(random.NextInt64(DateTimeOffset.MinValue.Ticks + TimeSpan.TicksPerDay, DateTimeOffset.MaxValue.Ticks - TimeSpan.TicksPerDay),
                TimeSpan.FromMinutes(15 * random.Next(-56, 57)))));
        foreach (var moment in moments)
        {
            Assert.Equal(moment.UtcDateTime.ToString(StoreTime.Format, System.Globalization.CultureInfo.InvariantCulture), StoreTime.ToText(moment));
        }
    }

    [Theory]
    [InlineData("2024-03-31T01:30:00.250Z")]
    [InlineData("2024-03-31T03:30:00.250+02:00")]
    [InlineData("2024-03-31T01:30:00.25")]
    public void Parse_reads_the_store_format_and_other_iso_text_as_utc(string text)
    {
        var parsed = StoreTime.Parse(text);
        Assert.Equal(new DateTimeOffset(2024, 3, 31, 1, 30, 0, 250, TimeSpan.Zero), parsed);
        Assert.Equal(TimeSpan.Zero, parsed.Offset);
    }

    [Theory]
    [InlineData("2024-02-29T23:59:59.999Z")]
    [InlineData("0001-01-01T00:00:00.000Z")]
    [InlineData("9999-12-31T23:59:59.999Z")]
    [InlineData("2024-12-01T00:00:00.001Z")]
    public void Parse_of_the_store_format_agrees_with_the_general_parser(string text)
    {
        var general = DateTimeOffset.ParseExact(text, StoreTime.Format, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal);
        Assert.Equal((general, TimeSpan.Zero), (StoreTime.Parse(text), StoreTime.Parse(text).Offset));
        Assert.Equal(text, StoreTime.ToText(StoreTime.Parse(text)));
    }

    [Theory]
    [InlineData("2023-02-29T00:00:00.000Z")]
    [InlineData("2024-13-01T00:00:00.000Z")]
    [InlineData("2024-01-01T24:00:00.000Z")]
    [InlineData("2024-01-01T00:00:60.000Z")]
    [InlineData("2024-01-0xT00:00:00.000Z")]
    public void Text_shaped_like_the_store_format_that_is_no_real_time_is_refused(string text)
    {
        Assert.Throws<FormatException>(() => StoreTime.Parse(text));
    }

    [Fact]
    public void Now_is_truncated_to_what_the_store_keeps()
    {
        var clock = new ManualClock(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(12_345_678));
        var now = StoreTime.Now(clock);
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 1, 234, TimeSpan.Zero), now);
        Assert.Equal(now, StoreTime.Parse(StoreTime.ToText(now)));
    }
}

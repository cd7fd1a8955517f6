using JobSignal.Core.Infojobs;

namespace JobSignal.Core.Tests.Infojobs;

public class InfojobsSinceTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 2, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0.5, "_24_HOURS")]
    [InlineData(24, "_24_HOURS")]
    [InlineData(25, "_7_DAYS")]
    [InlineData(7 * 24, "_7_DAYS")]
    [InlineData(8 * 24, "_15_DAYS")]
    [InlineData(15 * 24, "_15_DAYS")]
    [InlineData(16 * 24, "ANY")]
    [InlineData(400 * 24, "ANY")]
    public void Maps_a_date_to_the_smallest_bucket_that_covers_it(double hoursAgo, string expected)
    {
        var since = InfojobsSince.FromDate(Now.AddHours(-hoursAgo), Now);

        Assert.Equal(expected, since.ApiValue);
        Assert.Equal(Now.AddHours(-hoursAgo), since.RequestedDate);
    }

    [Fact]
    public void Rejects_a_future_date()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => InfojobsSince.FromDate(Now.AddDays(2), Now));
        Assert.Contains("in the future", ex.Message);
    }

    [Theory]
    [InlineData("_7_DAYS", "_7_DAYS")]
    [InlineData("7_days", "_7_DAYS")]
    [InlineData(" any ", "ANY")]
    [InlineData("_24_hours", "_24_HOURS")]
    [InlineData("15_DAYS", "_15_DAYS")]
    public void Parses_bucket_names(string text, string expected)
    {
        var since = InfojobsSince.Parse(text, Now);

        Assert.Equal(expected, since.ApiValue);
        Assert.Null(since.RequestedDate);
    }

    [Fact]
    public void Parses_dates()
    {
        Assert.Equal("_7_DAYS", InfojobsSince.Parse("2025-05-30T12:00:00Z", Now).ApiValue);
        Assert.Throws<ArgumentOutOfRangeException>(() => InfojobsSince.Parse("2030-01-01T00:00:00Z", Now));
    }

    [Fact]
    public void Rejects_other_text_naming_the_buckets()
    {
        var ex = Assert.Throws<FormatException>(() => InfojobsSince.Parse("last week", Now));
        Assert.Contains("_24_HOURS, _7_DAYS, _15_DAYS, ANY", ex.Message);
    }
}

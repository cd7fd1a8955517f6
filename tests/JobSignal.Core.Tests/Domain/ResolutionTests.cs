using JobSignal.Core.Domain;

namespace JobSignal.Core.Tests.Domain;

public class ResolutionTests
{
    [Theory]
    [InlineData("PENDING", "PENDING")]
    [InlineData(" in_progress ", "IN_PROGRESS")]
    [InlineData("High_Interest", "HIGH_INTEREST")]
    [InlineData("already_client\t", "ALREADY_CLIENT")]
    [InlineData("accepted", "ACCEPTED")]
    [InlineData("REJECTED", "REJECTED")]
    public void TryParse_is_trimmed_and_case_insensitive(string text, string expected)
    {
        Assert.True(Resolution.TryParse(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("DONE")]
    [InlineData("IN PROGRESS")]
    public void TryParse_rejects_blank_and_unknown(string? text)
    {
        Assert.False(Resolution.TryParse(text, out _));
    }

    [Theory]
    [InlineData("PENDING", false, true)]
    [InlineData("IN_PROGRESS", false, true)]
    [InlineData("HIGH_INTEREST", false, true)]
    [InlineData("ALREADY_CLIENT", true, false)]
    [InlineData("accepted", true, false)]
    [InlineData(" Rejected ", true, false)]
    [InlineData(null, false, false)]
    [InlineData("garbage", false, false)]
    public void Final_and_active_values(string? text, bool isFinal, bool isActive)
    {
        Assert.Equal(isFinal, Resolution.IsFinal(text));
        Assert.Equal(isActive, Resolution.IsActive(text));
    }
}

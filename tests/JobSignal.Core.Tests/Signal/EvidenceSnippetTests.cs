using JobSignal.Core.Signal;

namespace JobSignal.Core.Tests.Signal;

public class EvidenceSnippetTests
{
    [Theory]
    [InlineData("  pagos\t\tinternacionales \r\n en USD  ", false, false, "pagos internacionales en USD")]
    [InlineData(" en USD ", true, true, "…en USD…")]
    [InlineData("a\u0000b\u0007c", false, false, "a b c")]
    [InlineData("😀 ok", false, false, "😀 ok")]
    [InlineData("   ", true, false, "…")]
    [InlineData("", false, false, "")]
    public void Text_becomes_one_printable_line(string text, bool cutBefore, bool cutAfter, string expected) =>
        Assert.Equal(expected, EvidenceSnippet.Clean(text, cutBefore, cutAfter));

    [Fact]
    public void A_lone_surrogate_becomes_the_replacement_character() =>
        Assert.Equal("lone \ufffd high…", EvidenceSnippet.Clean("lone \ud800 high", cutAfter: true));

    [Fact]
    public void Long_text_is_cleaned_the_same_way()
    {
        var text = string.Concat(Enumerable.Repeat("palabra \n ", 500));

        var cleaned = EvidenceSnippet.Clean(text, cutBefore: true, cutAfter: true);

        Assert.Equal("…" + string.Join(' ', Enumerable.Repeat("palabra", 500)) + "…", cleaned);
    }
}

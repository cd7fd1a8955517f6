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
    [InlineData("tipo\u200Bde cambio", false, false, "tipo de cambio")]
    [InlineData("expor\u00ADtaci\u00F3n \u200Eok\uFEFF", false, false, "exportaci\u00F3n ok")]
    [InlineData("\U0001F469\u200D\U0001F4BB dev", false, false, "\U0001F469\u200D\U0001F4BB dev")]
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

    [Theory]
    [InlineData("x", "\U0001F4B5")]            // surrogate pairs
    [InlineData("", "\U0001F469\u200D\U0001F4BB")] // a ZWJ emoji sequence
    [InlineData("", "e\u0301")]                // a letter and its combining accent
    public void Cuts_only_between_text_elements(string prefix, string element)
    {
        // No space near either cut: the window falls wherever the arithmetic puts it, for every alignment.
        for (var pad = 0; pad < 4; pad++)
        {
            var run = string.Concat(Enumerable.Repeat(element, 80));
            var text = prefix + new string('y', pad) + run + " USD " + run;
            var offset = text.IndexOf("USD", StringComparison.Ordinal);

            var snippet = EvidenceSnippet.Around(text, offset, 3);

            Assert.DoesNotContain('\uFFFD', snippet);
            Assert.Contains(" USD ", snippet);
            var inner = snippet.Trim('\u2026');
            Assert.Contains(inner, text); // only original text
            var elements = System.Globalization.StringInfo.ParseCombiningCharacters(inner);
            var first = System.Globalization.StringInfo.GetNextTextElement(inner, 0);
            var last = System.Globalization.StringInfo.GetNextTextElement(inner, elements[^1]);
            Assert.True(first == element || first.Length == 1 && !char.IsSurrogate(first[0]) && first != "\u0301", $"starts with '{first}'");
            Assert.True(last == element || last.Length == 1 && !char.IsSurrogate(last[0]), $"ends with '{last}'");
        }
    }
}

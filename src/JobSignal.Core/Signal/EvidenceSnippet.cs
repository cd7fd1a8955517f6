using System.Globalization;

namespace JobSignal.Core.Signal;

/// <summary>
/// Cuts about 120 characters of original text around a hit, on word boundaries (else text-element boundaries, so an
/// emoji is never halved into U+FFFD and no snippet starts with a bare combining mark), on one line.
/// </summary>
internal static class EvidenceSnippet
{
    internal const int Width = 120;
    private const int WordSlack = 20;
    private const char Ellipsis = '\u2026';

    internal static string Around(string text, int offset, int length, int width = Width)
    {
        int start = 0, end = text.Length;
        if (text.Length > width)
        {
            var context = Math.Max(0, width - length);
            start = Math.Max(0, offset - context / 2);
            end = Math.Min(text.Length, Math.Max(start + width, offset + length));
            start = Math.Max(0, Math.Min(start, end - width));
            if (start > 0)
            {
                var space = text.AsSpan(start, Math.Min(WordSlack, Math.Max(0, offset - start))).IndexOfAny(' ', '\n', '\t');
                if (space >= 0) start += space + 1;
            }
            if (end < text.Length)
            {
                var from = Math.Max(offset + length, end - WordSlack);
                var space = text.AsSpan(from, end - from).LastIndexOfAny(' ', '\n', '\t');
                if (space >= 0) end = from + space;
            }
            // A cut with no space nearby can fall inside a surrogate pair, a combining sequence or an emoji sequence.
            if (start > 0) start = Math.Min(ElementBoundary(text, start, after: true), offset);
            if (end < text.Length) end = Math.Max(ElementBoundary(text, end, after: false), offset + length);
        }
        return Clean(text.AsSpan(start, end - start), start > 0, end < text.Length);
    }

    /// <summary>The text-element boundary at or after (or at or before) <paramref name="index"/>.</summary>
    private static int ElementBoundary(string text, int index, bool after)
    {
        // Elements are walked from the last whitespace before the cut (a boundary); at most ElementScan characters
        // back, so a long run without spaces costs little (and resynchronizes within an element or two).
        var from = index;
        var floor = Math.Max(0, index - ElementScan);
        while (from > floor && !char.IsWhiteSpace(text[from - 1])) from--;
        var boundary = from;
        while (boundary < index)
        {
            var next = boundary + StringInfo.GetNextTextElementLength(text.AsSpan(boundary));
            if (next > index) return after ? next : boundary;
            boundary = next;
        }
        return boundary;
    }

    private const int ElementScan = 32;

    /// <summary>One line of printable text: whitespace and controls collapse to one space, lone surrogates become U+FFFD.</summary>
    internal static string Clean(ReadOnlySpan<char> span, bool cutBefore = false, bool cutAfter = false)
    {
        // Every offer's hits make snippets: written into one buffer (on the stack when small), one string at the end.
        var capacity = span.Length + 2;
        var buffer = capacity <= 1024 ? stackalloc char[capacity] : new char[capacity];
        var length = 0;
        if (cutBefore) buffer[length++] = Ellipsis;
        var start = length;
        var pendingSpace = false;
        for (var i = 0; i < span.Length; i++)
        {
            var c = span[i];
            // Shown as the character it stands for, as the tokenizer reads it ("pagos&nbsp;internacionales").
            if (c == '&' && HtmlEntity.TryDecode(span[i..], out var referenced, out var referenceLength))
            {
                c = referenced;
                i += referenceLength - 1;
            }
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c == CharFolding.ZeroWidthSpace)
            {
                // The tokenizer splits words at a zero-width space: shown as nothing, it would glue "tipo de" together.
                pendingSpace = length > start;
                continue;
            }
            // Soft hyphens and direction marks are invisible; joiners stay (they hold emoji sequences together).
            if (c > '\u007F' && c is not ('\u200C' or '\u200D') && char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format) continue;
            if (pendingSpace) buffer[length++] = ' ';
            pendingSpace = false;
            if (char.IsHighSurrogate(c) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
            {
                buffer[length++] = c;
                buffer[length++] = span[++i];
            }
            else buffer[length++] = char.IsSurrogate(c) ? '\uFFFD' : c;
        }
        if (cutAfter) buffer[length++] = Ellipsis;
        return new string(buffer[..length]);
    }
}

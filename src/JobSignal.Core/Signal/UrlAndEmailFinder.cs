namespace JobSignal.Core.Signal;

/// <summary>
/// Finds URLs and e-mail addresses, which the tokenizer drops before splitting words (the audited system matched
/// <c>stripe</c> inside <c>https://stripe.com/jobs</c>). Hand-written scans with bounded look-back: linear time on
/// any input, no regex backtracking.
/// </summary>
internal static class UrlAndEmailFinder
{
    private const int MaxSchemeLength = 32;
    private const int MaxLocalPartLength = 64;
    private const int MaxDomainLength = 255;

    /// <summary>The [Start, End) ranges to drop, sorted and merged; null when there are none.</summary>
    internal static List<(int Start, int End)>? Find(ReadOnlySpan<char> text)
    {
        List<(int Start, int End)>? ranges = null;
        AddSchemeUrls(text, ref ranges);
        AddWwwUrls(text, ref ranges);
        AddEmails(text, ref ranges);
        if (ranges is null || ranges.Count < 2) return ranges;
        ranges.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        var merged = new List<(int Start, int End)>(ranges.Count) { ranges[0] };
        for (var i = 1; i < ranges.Count; i++)
        {
            var last = merged[^1];
            if (ranges[i].Start <= last.End) merged[^1] = (last.Start, Math.Max(last.End, ranges[i].End));
            else merged.Add(ranges[i]);
        }
        return merged;
    }

    private static void AddSchemeUrls(ReadOnlySpan<char> text, ref List<(int, int)>? ranges)
    {
        var from = 0;
        while (from < text.Length)
        {
            var found = text[from..].IndexOf("://", StringComparison.Ordinal);
            if (found < 0) return;
            var separator = from + found;
            var start = separator;
            var limit = Math.Max(0, separator - MaxSchemeLength);
            while (start > limit && IsSchemeChar(text[start - 1])) start--;
            while (start < separator && !char.IsAsciiLetter(text[start])) start++;
            var end = UrlEnd(text, separator + 3);
            if (start < separator) (ranges ??= new()).Add((start, end));
            from = end;
        }
    }

    private static void AddWwwUrls(ReadOnlySpan<char> text, ref List<(int, int)>? ranges)
    {
        var from = 0;
        while (from < text.Length)
        {
            var found = text[from..].IndexOf("www.", StringComparison.OrdinalIgnoreCase);
            if (found < 0) return;
            var start = from + found;
            var end = UrlEnd(text, start + 4);
            var atWordStart = start == 0 || !char.IsLetterOrDigit(text[start - 1]);
            if (atWordStart && end > start + 4) (ranges ??= new()).Add((start, end));
            from = Math.Max(end, start + 4);
        }
    }

    private static void AddEmails(ReadOnlySpan<char> text, ref List<(int, int)>? ranges)
    {
        var from = 0;
        while (from < text.Length)
        {
            var found = text[from..].IndexOf('@');
            if (found < 0) return;
            var at = from + found;
            var start = at;
            var limit = Math.Max(0, at - MaxLocalPartLength);
            while (start > limit && IsLocalPartChar(text[start - 1])) start--;
            var end = at + 1;
            var domainLimit = Math.Min(text.Length, at + 1 + MaxDomainLength);
            while (end < domainLimit && (char.IsLetterOrDigit(text[end]) || text[end] is '.' or '-')) end++;
            while (end > at + 1 && text[end - 1] is '.' or '-') end--;
            if (start < at && HasTopLevelDomain(text[(at + 1)..end]))
            {
                (ranges ??= new()).Add((start, end));
                from = end;
            }
            else from = at + 1;
        }
    }

    private static bool HasTopLevelDomain(ReadOnlySpan<char> domain)
    {
        var dot = domain.LastIndexOf('.');
        return dot > 0 && dot < domain.Length - 1 && char.IsLetter(domain[dot + 1]);
    }

    private static int UrlEnd(ReadOnlySpan<char> text, int position)
    {
        while (position < text.Length && !EndsUrl(text[position])) position++;
        return position;
    }

    private static bool EndsUrl(char c) =>
        char.IsWhiteSpace(c) || char.IsControl(c) || c is '"' or '<' or '>' or '`' or '\u201C' or '\u201D'
            or '\u2018' or '\u2019' or '\u00AB' or '\u00BB';

    private static bool IsSchemeChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '+' or '.' or '-';

    private static bool IsLocalPartChar(char c) => char.IsLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-';
}

namespace JobSignal.Core.Signal;

/// <summary>
/// Finds URLs and e-mail addresses, which the tokenizer drops before splitting words (the audited system matched
/// <c>stripe</c> inside <c>https://stripe.com/jobs</c>): with a scheme, starting with <c>www.</c>, or a bare domain
/// followed by a path (<c>stripe.com/jobs</c>). Hand-written scans with bounded look-back: linear time on any input,
/// no regex backtracking.
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
        AddBareDomainUrls(text, ref ranges);
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
            var start = RunStart(text, separator, MaxSchemeLength, IsSchemeChar);
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

    /// <summary>
    /// <c>host.tld/path</c> without a scheme ("Más info en stripe.com/jobs"). Only a domain followed by '/' is a URL:
    /// a bare "Salesforce.com" is how the product is named. The top-level domain must be a common one written in
    /// lower case, so that "Node.js/React" (no such domain) and "ASP.NET/C#" (a framework) stay words.
    /// </summary>
    private static void AddBareDomainUrls(ReadOnlySpan<char> text, ref List<(int, int)>? ranges)
    {
        var from = 0;
        while (from < text.Length)
        {
            var found = text[from..].IndexOf('/');
            if (found < 0) return;
            var slash = from + found;
            var start = RunStart(text, slash, MaxDomainLength, IsHostChar);
            // A domain ends a run of host characters that starts a word, not the tail of a path ("a/b.com/") or address.
            var startsWord = start == 0 || !(IsHostChar(text[start - 1]) || text[start - 1] is '/' or '\\' or '@' or '_');
            if (startsWord && IsCommonDomain(text[start..slash]))
            {
                var end = UrlEnd(text, slash + 1);
                (ranges ??= new()).Add((start, end));
                from = end;
            }
            else from = slash + 1;
        }
    }

    /// <summary>Labels of letters, digits and inner hyphens, at least two, the last a common top-level domain in lower case.</summary>
    private static bool IsCommonDomain(ReadOnlySpan<char> host)
    {
        var lastDot = host.LastIndexOf('.');
        if (lastDot <= 0) return false;
        var tld = host[(lastDot + 1)..];
        // "ASP.Net/C#" and "VB.NET/C#" are frameworks, not addresses: only a top-level domain written in lower case counts.
        if (tld.Length < 2 || tld.ContainsAnyExceptInRange('a', 'z') || !s_commonTopLevelDomains.Contains(tld.ToString())) return false;
        foreach (var label in host[..lastDot].ToString().Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-') return false;
        }
        return true;
    }

    // Generic domains and those of the countries a Spanish job ad links to; file extensions (.js, .py, .sh, .md) are none.
    private static readonly HashSet<string> s_commonTopLevelDomains = new(StringComparer.Ordinal)
    {
        "com", "net", "org", "info", "biz", "io", "co", "ai", "app", "dev", "tech", "online", "site", "store", "shop",
        "jobs", "pro", "global", "cloud", "eu", "es", "cat", "gal", "eus", "uk", "ie", "de", "fr", "it", "pt", "nl", "be",
        "lu", "ch", "at", "se", "dk", "fi", "us", "ca", "mx", "ar", "cl", "pe", "uy", "ec", "br",
    };

    private static bool IsHostChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.';

    private static void AddEmails(ReadOnlySpan<char> text, ref List<(int, int)>? ranges)
    {
        var from = 0;
        while (from < text.Length)
        {
            var found = text[from..].IndexOf('@');
            if (found < 0) return;
            var at = from + found;
            var start = RunStart(text, at, MaxLocalPartLength, IsLocalPartChar);
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

    /// <summary>Where the run of <paramref name="part"/> characters that ends at <paramref name="end"/> starts, looking back at most <paramref name="longest"/>.</summary>
    private static int RunStart(ReadOnlySpan<char> text, int end, int longest, Func<char, bool> part)
    {
        var start = end;
        var limit = Math.Max(0, end - longest);
        while (start > limit && part(text[start - 1])) start--;
        return start;
    }

    private static int UrlEnd(ReadOnlySpan<char> text, int position)
    {
        // "&nbsp;" or "&quot;" after a URL ends it as the space or quote would ("&amp;" is the URL's own '&').
        while (position < text.Length && !EndsUrl(text[position])
               && !(text[position] == '&' && HtmlEntity.TryDecode(text[position..], out var referenced, out _) && EndsUrl(referenced)))
            position++;
        return position;
    }

    private static bool EndsUrl(char c) =>
        char.IsWhiteSpace(c) || char.IsControl(c) || c is '"' or '<' or '>' or '`' or '\u201C' or '\u201D'
            or '\u2018' or '\u2019' or '\u00AB' or '\u00BB';

    private static bool IsSchemeChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '+' or '.' or '-';

    private static bool IsLocalPartChar(char c) => char.IsLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-';
}

namespace JobSignal.Core.Signal;

/// <summary>
/// The HTML character references offer text carries when a recruiter pastes from a web page ("pagos&amp;nbsp;internacionales"):
/// the common named ones and numeric ones. The tokenizer reads each as the one character it stands for, where it stands,
/// so token offsets (and evidence) still point into the original text.
/// </summary>
internal static class HtmlEntity
{
    // Named references longer than this are none of ours ("&ntilde;" is the longest with its '&' and ';').
    private const int LongestName = 6;
    // "&#x10FFFF;" is the longest numeric reference.
    private const int LongestNumeric = 10;

    private static readonly Dictionary<string, char> s_named = new(StringComparer.Ordinal)
    {
        ["nbsp"] = '\u00A0', ["amp"] = '&', ["lt"] = '<', ["gt"] = '>', ["quot"] = '"', ["apos"] = '\'',
        ["euro"] = '\u20AC', ["pound"] = '\u00A3', ["iexcl"] = '\u00A1', ["iquest"] = '\u00BF', ["ordm"] = '\u00BA',
        ["ordf"] = '\u00AA', ["aacute"] = '\u00E1', ["eacute"] = '\u00E9', ["iacute"] = '\u00ED', ["oacute"] = '\u00F3',
        ["uacute"] = '\u00FA', ["ntilde"] = '\u00F1', ["uuml"] = '\u00FC', ["ccedil"] = '\u00E7', ["Aacute"] = '\u00C1',
        ["Eacute"] = '\u00C9', ["Iacute"] = '\u00CD', ["Oacute"] = '\u00D3', ["Uacute"] = '\u00DA', ["Ntilde"] = '\u00D1',
        ["Uuml"] = '\u00DC', ["Ccedil"] = '\u00C7',
    };

    /// <summary>
    /// Whether <paramref name="text"/> starts with a reference ('&amp;' ... ';') to a character of the Basic Multilingual
    /// Plane (not a surrogate): that character, and how many characters the reference takes.
    /// </summary>
    internal static bool TryDecode(ReadOnlySpan<char> text, out char decoded, out int length)
    {
        decoded = '\0';
        length = 0;
        if (text.Length < 4 || text[0] != '&') return false;
        var semicolon = text[1..Math.Min(text.Length, LongestNumeric + 1)].IndexOf(';') + 1;
        if (semicolon < 2) return false;
        var body = text[1..semicolon];
        if (body[0] == '#')
        {
            if (!TryParseNumber(body[1..], out var code) || code is 0 or > 0xFFFF || char.IsSurrogate((char)code)) return false;
            decoded = (char)code;
        }
        else if (body.Length > LongestName || !s_named.TryGetValue(body.ToString(), out decoded)) return false;
        length = semicolon + 1;
        return true;
    }

    /// <summary>The text with every reference <see cref="TryDecode"/> reads replaced by its character.</summary>
    internal static string Decode(ReadOnlySpan<char> text)
    {
        var decoded = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '&' && TryDecode(text[i..], out var c, out var length))
            {
                decoded.Append(c);
                i += length - 1;
            }
            else decoded.Append(text[i]);
        }
        return decoded.ToString();
    }

    /// <summary>"233" or "xE9" (or "XE9").</summary>
    private static bool TryParseNumber(ReadOnlySpan<char> digits, out int code)
    {
        var hex = digits.Length > 0 && digits[0] is 'x' or 'X';
        if (hex) digits = digits[1..];
        code = 0;
        if (digits.Length is 0 or > 7) return false;
        foreach (var digit in digits)
        {
            var value = char.IsAsciiDigit(digit) ? digit - '0'
                : hex && char.IsAsciiHexDigit(digit) ? (digit | 0x20) - 'a' + 10 : -1;
            if (value < 0) return false;
            code = code * (hex ? 16 : 10) + value;
        }
        return true;
    }
}

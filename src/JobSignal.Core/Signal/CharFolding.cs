using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace JobSignal.Core.Signal;

/// <summary>
/// What the tokenizer does with one UTF-16 code unit: fold it (lowercase, no diacritics), drop it, or split on it.
/// Computed once per distinct character and cached in a flat table, so tokenizing never allocates per character.
/// </summary>
internal static class CharFolding
{
    /// <summary>The character ends the current token.</summary>
    internal const char Separator = '\uFFFF';

    /// <summary>Separates words like a space although it shows as nothing (the one format character that does).</summary>
    internal const char ZeroWidthSpace = '\u200B';

    /// <summary>The character vanishes without splitting (combining marks, soft hyphens, joiners).</summary>
    internal const char Ignored = '\uFFFE';

    /// <summary>The character folds to more than one character; see <see cref="Expansion"/>.</summary>
    internal const char Expanded = '\uFFFD';

    // '\0' means "not computed yet"; no character folds to '\0' (controls are separators).
    private static readonly char[] s_table = new char[char.MaxValue + 1];
    private static readonly ConcurrentDictionary<char, string> s_expansions = new();

    internal static char Fold(char c)
    {
        var folded = s_table[c];
        if (folded != '\0') return folded;
        folded = Compute(c);
        // Racing threads compute the same value, so a plain store is enough.
        s_table[c] = folded;
        return folded;
    }

    internal static string Expansion(char c) => s_expansions.GetOrAdd(c, static ch => FoldLetter(ch));

    private static char Compute(char c)
    {
        if (c < 128)
        {
            if (c is >= 'A' and <= 'Z') return (char)(c + 32);
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9') return c;
            // Kept inside tokens: c++, c#, $100k, 50€ (injections), p&l, 100%, @handle.
            return c is '+' or '#' or '$' or '&' or '@' or '%' ? c : Separator;
        }
        if (c == ZeroWidthSpace) return Separator;
        switch (char.GetUnicodeCategory(c))
        {
            case UnicodeCategory.NonSpacingMark:
            case UnicodeCategory.SpacingCombiningMark:
            case UnicodeCategory.EnclosingMark:
            case UnicodeCategory.Format:
                return Ignored;
            case UnicodeCategory.CurrencySymbol:
                return c;
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.OtherLetter:
            case UnicodeCategory.DecimalDigitNumber:
            case UnicodeCategory.LetterNumber:
            case UnicodeCategory.OtherNumber:
                var folded = FoldLetter(c);
                if (folded.Length == 0) return Ignored;
                if (folded.Length > 1) { s_expansions.TryAdd(c, folded); return Expanded; }
                return folded[0] is Separator or Ignored or Expanded ? Separator : folded[0];
            default:
                // Whitespace, controls, surrogates, punctuation (incl. curly quotes, guillemets, dashes, bullets)
                // and other symbols all split tokens.
                return Separator;
        }
    }

    private static string FoldLetter(char c)
    {
        var decomposed = c.ToString().Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var part in decomposed)
        {
            var category = char.GetUnicodeCategory(part);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
                or UnicodeCategory.EnclosingMark) continue;
            builder.Append(char.ToLowerInvariant(part));
        }
        return builder.ToString();
    }
}

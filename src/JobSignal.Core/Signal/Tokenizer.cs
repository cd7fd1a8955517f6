using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using JobSignal.Core.Common;

namespace JobSignal.Core.Signal;

/// <summary>
/// The one tokenizer (SPEC 5.2) for catalog aliases, offer text, fingerprints and repost checks: drops URLs and
/// e-mail addresses, splits on whitespace, punctuation and symbols, lowercases and strips diacritics, keeping each
/// token's offsets in the original text. <see cref="Tokenize"/> also injects alternative readings (<c>U.S.</c> ->
/// <c>us</c>/<c>usa</c>, <c>$</c> -> <c>usd</c>...) as a lattice over the original token slots.
/// </summary>
/// <remarks>
/// Token characters are letters, digits, combining marks (dropped), currency symbols and <c>+ # &amp; @ %</c> (so
/// <c>c++</c>, <c>c#</c>, <c>$100k</c> and <c>p&amp;l</c> stay whole). Everything else separates: whitespace, controls,
/// lone surrogates, punctuation (including curly quotes, guillemets, dashes, bullets) and other symbols.
/// </remarks>
public static class Tokenizer
{
    private const string Usd = "usd", Gbp = "gbp", Eur = "eur", Us = "us", Usa = "usa", Uk = "uk", Latam = "latam";

    // Per thread: the token list and hash list being built (reused, so only the final arrays are allocated) and a
    // small cache of token strings. Offers repeat the same few hundred words, so most tokens are not allocated again.
    [ThreadStatic] private static List<Token>? t_tokens;
    [ThreadStatic] private static List<uint>? t_hashes;
    [ThreadStatic] private static string?[]? t_recentTokens;
    private const int RecentTokenSlots = 4096;
    private const int LongestCachedToken = 24;

    /// <summary>Tokens with offsets plus injected alternatives: what the matcher walks.</summary>
    public static TokenizedText Tokenize(string? text) => Tokenize(text, rent: false);

    /// <summary>
    /// <see cref="Tokenize(string?)"/> into arrays rented from the shared pool: for a text read only while one offer
    /// is prepared, whose owner gives them back with <see cref="TokenizedText.ReturnRented"/> (a fifth of what
    /// ingestion allocated were token arrays that lived a few microseconds).
    /// </summary>
    internal static TokenizedText TokenizeRented(string? text) => Tokenize(text, rent: true);

    private static TokenizedText Tokenize(string? text, bool rent)
    {
        text ??= "";
        var list = t_tokens ??= new List<Token>(512);
        var hashes = t_hashes ??= new List<uint>(512);
        list.Clear();
        hashes.Clear();
        var sink = new LatticeSink { Tokens = list, Hashes = hashes };
        Scan(text, ref sink);
        var count = list.Count;
        var tokens = rent ? ArrayPool<Token>.Shared.Rent(count) : new Token[count];
        var tokenHashes = rent ? ArrayPool<uint>.Shared.Rent(count) : new uint[count];
        list.CopyTo(tokens);
        hashes.CopyTo(tokenHashes);
        list.Clear();
        hashes.Clear();
        if (list.Capacity > 65_536)
        {
            // A huge text must not pin its buffers for the thread's life.
            t_tokens = null;
            t_hashes = null;
        }
        var alternatives = sink.Alternatives ?? new List<TokenAlternative>();
        AddSequenceAlternatives(tokens.AsSpan(0, count), alternatives);
        if (alternatives.Count > 1) alternatives.Sort(static (a, b) => a.Slot.CompareTo(b.Slot));
        return new TokenizedText(text, tokens, tokenHashes, count, rent, alternatives.ToArray());
    }

    /// <summary>Just the normalized original tokens (no offsets, no injections): for fingerprints and similarity.</summary>
    public static IReadOnlyList<string> NormalizedTokens(string? text)
    {
        var sink = new StringListSink { Tokens = new List<string>() };
        Scan(text ?? "", ref sink);
        return sink.Tokens;
    }

    /// <summary>The normalized tokens joined by single spaces ("Ingeniero/a de DATOS" -> "ingeniero a de datos").</summary>
    public static string Normalize(string? text)
    {
        var sink = new JoinedSink { Builder = new StringBuilder() };
        Scan(text ?? "", ref sink);
        return sink.Builder.ToString();
    }

    /// <summary>
    /// The other spellings this tokenizer also reads as <paramref name="token"/>: the reverse of the injections of
    /// <see cref="AddSequenceAlternatives"/> and of the currency marks (<c>us</c> is also read in <c>eeuu</c>,
    /// <c>ee uu</c>, <c>u s</c>, <c>u s a</c>; <c>usd</c> in <c>$</c>). Catalog validation uses it to find aliases that
    /// match the same text only through these readings; keep it in step with the rules it reverses.
    /// </summary>
    internal static IReadOnlyList<string> SpellingsReadAs(string token) => token switch
    {
        Us or Usa => s_usSpellings,
        Uk => s_ukSpellings,
        Latam => s_latamSpellings,
        Usd => s_usdSpellings,
        Gbp => s_gbpSpellings,
        Eur => s_eurSpellings,
        _ => [],
    };

    private static readonly string[] s_usSpellings = ["eeuu", "ee uu", "u s", "u s a"];
    private static readonly string[] s_ukSpellings = ["u k"];
    private static readonly string[] s_latamSpellings = ["latinoamerica"];
    private static readonly string[] s_usdSpellings = ["$"];
    private static readonly string[] s_gbpSpellings = ["\u00A3"];
    private static readonly string[] s_eurSpellings = ["\u20AC"];

    /// <summary>
    /// Every reading of the whole text through its lattice (original tokens or injected alternatives), each as tokens
    /// joined by spaces; at most <paramref name="limit"/>. "U.S. market" -> "u s market", "us market", "usa market".
    /// </summary>
    internal static List<string> Readings(string text, int limit)
    {
        var tokenized = Tokenize(text);
        var readings = new List<string>();
        var path = new List<string>();
        AddReadings(tokenized, 0, path, readings, limit);
        return readings;
    }

    private static void AddReadings(TokenizedText text, int slot, List<string> path, List<string> readings, int limit)
    {
        if (readings.Count >= limit) return;
        if (slot == text.Count)
        {
            readings.Add(string.Join(' ', path));
            return;
        }
        path.Add(text.TokenSpan[slot].Value);
        AddReadings(text, slot + 1, path, readings, limit);
        path.RemoveAt(path.Count - 1);
        foreach (var alternative in text.AlternativesAt(slot))
        {
            path.Add(alternative.Value);
            AddReadings(text, slot + alternative.SlotCount, path, readings, limit);
            path.RemoveAt(path.Count - 1);
        }
    }

    private static void AddSequenceAlternatives(ReadOnlySpan<Token> tokens, List<TokenAlternative> alternatives)
    {
        for (var i = 0; i < tokens.Length; i++)
        {
            var value = tokens[i].Value;
            // Only the spellings below start an alternative; nearly every token is ruled out by its length.
            if (value.Length > 2 && value.Length != 4 && value.Length != 13) continue;
            var next = i + 1 < tokens.Length ? tokens[i + 1].Value : null;
            switch (value)
            {
                case "eeuu":
                    AddCountry(alternatives, i, 1, Us, Usa);
                    break;
                case "latinoamerica":
                    alternatives.Add(new TokenAlternative(Latam, i, 1));
                    break;
                case "ee" when next == "uu":
                    AddCountry(alternatives, i, 2, Us, Usa);
                    break;
                case "u" when next == "k":
                    alternatives.Add(new TokenAlternative(Uk, i, 2));
                    break;
                case "u" when next == "s":
                    AddCountry(alternatives, i, 2, Us, Usa);
                    if (i + 2 < tokens.Length && tokens[i + 2].Value == "a") AddCountry(alternatives, i, 3, Usa, Us);
                    break;
            }
        }
    }

    private static void AddCountry(List<TokenAlternative> alternatives, int slot, int slotCount, string first, string second)
    {
        alternatives.Add(new TokenAlternative(first, slot, slotCount));
        alternatives.Add(new TokenAlternative(second, slot, slotCount));
    }

    [Flags]
    private enum CurrencyMarks : byte
    {
        None = 0,
        Dollar = 1,
        Pound = 2,
        Euro = 4,
    }

    private interface ITokenSink
    {
        void Add(ReadOnlySpan<char> normalized, int start, int end, CurrencyMarks marks);
    }

    private struct LatticeSink : ITokenSink
    {
        public List<Token> Tokens;
        public List<uint> Hashes;
        public List<TokenAlternative>? Alternatives;

        public void Add(ReadOnlySpan<char> normalized, int start, int end, CurrencyMarks marks)
        {
            var slot = Tokens.Count;
            var hash = TokenHash.Of(normalized);
            Tokens.Add(new Token(TokenString(normalized, hash), start, end));
            Hashes.Add(hash);
            if (marks == CurrencyMarks.None) return;
            Alternatives ??= new List<TokenAlternative>();
            if ((marks & CurrencyMarks.Dollar) != 0) Alternatives.Add(new TokenAlternative(Usd, slot, 1));
            if ((marks & CurrencyMarks.Pound) != 0) Alternatives.Add(new TokenAlternative(Gbp, slot, 1));
            if ((marks & CurrencyMarks.Euro) != 0) Alternatives.Add(new TokenAlternative(Eur, slot, 1));
        }
    }

    /// <summary>The token as a string, shared with the last identical token this thread made when it is still cached.</summary>
    private static string TokenString(ReadOnlySpan<char> normalized, uint hash)
    {
        if (normalized.Length > LongestCachedToken) return new string(normalized);
        var recent = t_recentTokens ??= new string?[RecentTokenSlots];
        var slot = hash & (RecentTokenSlots - 1);
        if (recent[slot] is { } cached && OrdinalText.Equal(normalized, cached)) return cached;
        var created = new string(normalized);
        recent[slot] = created;
        return created;
    }

    private struct StringListSink : ITokenSink
    {
        public List<string> Tokens;

        public void Add(ReadOnlySpan<char> normalized, int start, int end, CurrencyMarks marks) =>
            Tokens.Add(new string(normalized));
    }

    private struct JoinedSink : ITokenSink
    {
        public StringBuilder Builder;

        public void Add(ReadOnlySpan<char> normalized, int start, int end, CurrencyMarks marks)
        {
            if (Builder.Length > 0) Builder.Append(' ');
            Builder.Append(normalized);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scan<TSink>(string text, ref TSink sink) where TSink : struct, ITokenSink
    {
        var dropped = UrlAndEmailFinder.Find(text);
        var droppedIndex = 0;
        var nextDropped = dropped is null ? int.MaxValue : dropped[0].Start;
        var token = new TokenBuffer(ArrayPool<char>.Shared.Rent(64));
        try
        {
            for (var i = 0; i < text.Length; i++)
            {
                if (i >= nextDropped)
                {
                    token.Flush(ref sink);
                    i = dropped![droppedIndex].End - 1;
                    droppedIndex++;
                    nextDropped = droppedIndex < dropped.Count ? dropped[droppedIndex].Start : int.MaxValue;
                    continue;
                }
                var c = text[i];
                // ASCII letters, digits and spaces (most of any offer) take the short way; Fold gives the same.
                if (char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))
                {
                    token.Append(c, i);
                    continue;
                }
                if (char.IsAsciiLetterUpper(c))
                {
                    token.Append((char)(c | 0x20), i);
                    continue;
                }
                if (c == ' ')
                {
                    token.Flush(ref sink);
                    continue;
                }
                if (char.IsSurrogate(c))
                {
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        token.AppendRune(new Rune(c, text[i + 1]), i, ref sink);
                        i++;
                    }
                    else token.Flush(ref sink); // a lone surrogate separates
                    continue;
                }
                // An HTML reference ("&nbsp;", "&amp;", "&#233;") is read as its character, spanning the reference.
                var next = i + 1;
                if (c == '&' && HtmlEntity.TryDecode(text.AsSpan(i), out var referenced, out var referenceLength))
                {
                    c = referenced;
                    next = i + referenceLength;
                }
                var folded = CharFolding.Fold(c);
                switch (folded)
                {
                    case CharFolding.Separator:
                        token.Flush(ref sink);
                        break;
                    case CharFolding.Ignored:
                        break;
                    case CharFolding.Expanded:
                        token.Append(CharFolding.Expansion(c), i, next);
                        break;
                    default:
                        token.Append(folded, i, next);
                        // Every currency sign is '$' or beyond ASCII ('+', '#', '&', '@' and '%' skip the switch).
                        if (c == '$' || c > '\u007F')
                        {
                            token.Marks |= c switch
                            {
                                '$' or '\uFF04' or '\uFE69' => IsCodeSigil(text, i) ? CurrencyMarks.None : CurrencyMarks.Dollar,
                                '\u00A3' or '\uFFE1' => CurrencyMarks.Pound,
                                '\u20AC' => CurrencyMarks.Euro,
                                _ => CurrencyMarks.None,
                            };
                        }
                        break;
                }
                i = next - 1;
            }
            token.Flush(ref sink);
        }
        finally
        {
            token.Return();
        }
    }

    /// <summary>
    /// A dollar sign that starts a name in code rather than an amount: <c>$this</c>, <c>$_POST</c>, <c>${x}</c>,
    /// <c>$(cmd)</c>, <c>$.ajax</c>, <c>$HOME</c> in developer ads. After a letter or digit (<c>U$S</c>, <c>5$</c>),
    /// before a digit (<c>$100K</c>), alone (<c>($)</c>, <c>US$ 20</c>) or before US/USD (<c>$US 1.500</c>) it is money.
    /// </summary>
    private static bool IsCodeSigil(string text, int at)
    {
        if (at > 0 && char.IsLetterOrDigit(text[at - 1])) return false;
        if (at + 1 >= text.Length) return false;
        var next = text[at + 1];
        if (next is '_' or '{' or '(') return true;
        if (next == '.') return at + 2 < text.Length && char.IsLetter(text[at + 2]);
        if (!char.IsLetter(next)) return false;
        var name = text.AsSpan(at + 1);
        var length = 0;
        while (length < name.Length && char.IsLetter(name[length])) length++;
        return !(name[..length].Equals("us", StringComparison.OrdinalIgnoreCase) || name[..length].Equals("usd", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The token being built: normalized characters in a pooled buffer, original offsets, currency marks.</summary>
    private struct TokenBuffer
    {
        private char[] _chars;
        private int _length;
        private int _start;
        private int _end;
        public CurrencyMarks Marks;

        public TokenBuffer(char[] chars)
        {
            _chars = chars;
            _length = 0;
            _start = -1;
            _end = 0;
            Marks = CurrencyMarks.None;
        }

        public void Append(char c, int position) => Append(c, position, position + 1);

        /// <summary>A character written as the text from <paramref name="position"/> to <paramref name="end"/> (an HTML reference).</summary>
        public void Append(char c, int position, int end)
        {
            Reserve(1);
            if (_length == 0) _start = position;
            _chars[_length++] = c;
            _end = end;
        }

        public void Append(string folded, int position, int end)
        {
            Reserve(folded.Length);
            if (_length == 0) _start = position;
            folded.CopyTo(0, _chars, _length, folded.Length);
            _length += folded.Length;
            _end = end;
        }

        /// <summary>A supplementary-plane character: kept (lowercased) when it is a letter or digit, else it separates.</summary>
        public void AppendRune<TSink>(Rune rune, int position, ref TSink sink) where TSink : struct, ITokenSink
        {
            if (!Rune.IsLetterOrDigit(rune))
            {
                Flush(ref sink);
                return;
            }
            Reserve(2);
            if (_length == 0) _start = position;
            _length += Rune.ToLowerInvariant(rune).EncodeToUtf16(_chars.AsSpan(_length));
            _end = position + 2;
        }

        public void Flush<TSink>(ref TSink sink) where TSink : struct, ITokenSink
        {
            if (_length == 0) return;
            sink.Add(_chars.AsSpan(0, _length), _start, _end, Marks);
            _length = 0;
            Marks = CurrencyMarks.None;
        }

        public void Return() => ArrayPool<char>.Shared.Return(_chars);

        private void Reserve(int count)
        {
            if (_length + count <= _chars.Length) return;
            var larger = ArrayPool<char>.Shared.Rent(Math.Max(_chars.Length * 2, _length + count));
            _chars.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<char>.Shared.Return(_chars);
            _chars = larger;
        }
    }
}

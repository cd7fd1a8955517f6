using System.Buffers;

namespace JobSignal.Core.Signal;

/// <summary>One word of the text: its normalized form and where it stands in the original text.</summary>
/// <param name="Value">Lowercase, without diacritics.</param>
/// <param name="Start">Offset of its first character in the original text.</param>
/// <param name="End">Offset just past its last character in the original text.</param>
public readonly record struct Token(string Value, int Start, int End)
{
    public int Length => End - Start;
}

/// <summary>
/// A token the tokenizer injected as an alternative reading of <see cref="SlotCount"/> original tokens starting at
/// <see cref="Slot"/> (<c>u</c>,<c>s</c> -> <c>us</c>; <c>$100k</c> -> <c>usd</c>). Matching may take either path, and
/// positions stay those of the original tokens.
/// </summary>
public readonly record struct TokenAlternative(string Value, int Slot, int SlotCount);

/// <summary>A text split into tokens (the slots) plus injected alternatives: a small token lattice.</summary>
public sealed class TokenizedText
{
    // The first _count elements of the token and hash arrays are the text's; the arrays are longer when rented.
    private Token[] _tokens;
    private uint[] _tokenHashes;
    private int _count;
    private bool _rented;
    private readonly TokenAlternative[] _alternatives;
    // _firstAlternative[slot] = index of the first alternative starting at or after slot; null when there are none.
    private readonly int[]? _firstAlternative;

    internal TokenizedText(string text, Token[] tokens, uint[] tokenHashes, int count, bool rented,
        TokenAlternative[] alternatives)
    {
        Text = text;
        _tokens = tokens;
        _tokenHashes = tokenHashes;
        _count = count;
        _rented = rented;
        _alternatives = alternatives;
        if (alternatives.Length == 0) return;
        _firstAlternative = new int[count + 1];
        var next = 0;
        for (var slot = 0; slot <= count; slot++)
        {
            while (next < alternatives.Length && alternatives[next].Slot < slot) next++;
            _firstAlternative[slot] = next;
        }
    }

    /// <summary>The original text.</summary>
    public string Text { get; }

    // A rented text hands out a copy: its array goes back to the pool.
    public IReadOnlyList<Token> Tokens => _rented || _count != _tokens.Length ? _tokens[.._count] : _tokens;

    /// <summary>Injected alternatives, ordered by slot.</summary>
    public IReadOnlyList<TokenAlternative> Alternatives => _alternatives;

    public int Count => _count;

    internal ReadOnlySpan<Token> TokenSpan => _tokens.AsSpan(0, _count);

    /// <summary>The <see cref="TokenHash"/> of each token's value, by slot.</summary>
    internal ReadOnlySpan<uint> TokenHashes => _tokenHashes.AsSpan(0, _count);

    internal ReadOnlySpan<TokenAlternative> AlternativesAt(int slot)
    {
        if (_firstAlternative is null || slot >= _count) return default;
        return _alternatives.AsSpan(_firstAlternative[slot], _firstAlternative[slot + 1] - _firstAlternative[slot]);
    }

    /// <summary>The original text covered by <paramref name="slotCount"/> tokens from <paramref name="slot"/>.</summary>
    public string OriginalText(int slot, int slotCount)
    {
        var tokens = TokenSpan;
        var first = tokens[slot];
        var last = tokens[slot + slotCount - 1];
        return Text.Substring(first.Start, last.End - first.Start);
    }

    /// <summary>
    /// Gives the arrays of a text made by <see cref="Tokenizer.TokenizeRented"/> back to the pool; the text then has
    /// no tokens. Its owner calls it once nothing reads the text any more. No-op for other texts.
    /// </summary>
    internal void ReturnRented()
    {
        if (!_rented) return;
        // Cleared first: a pooled array must not keep token strings alive.
        Array.Clear(_tokens, 0, _count);
        ArrayPool<Token>.Shared.Return(_tokens);
        ArrayPool<uint>.Shared.Return(_tokenHashes);
        _tokens = [];
        _tokenHashes = [];
        _count = 0;
        _rented = false;
    }
}

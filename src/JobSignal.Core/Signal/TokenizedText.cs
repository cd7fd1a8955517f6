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
    private readonly Token[] _tokens;
    private readonly uint[] _tokenHashes;
    private readonly TokenAlternative[] _alternatives;
    // _firstAlternative[slot] = index of the first alternative starting at or after slot; null when there are none.
    private readonly int[]? _firstAlternative;

    internal TokenizedText(string text, Token[] tokens, uint[] tokenHashes, TokenAlternative[] alternatives)
    {
        Text = text;
        _tokens = tokens;
        _tokenHashes = tokenHashes;
        _alternatives = alternatives;
        if (alternatives.Length == 0) return;
        _firstAlternative = new int[tokens.Length + 1];
        var next = 0;
        for (var slot = 0; slot <= tokens.Length; slot++)
        {
            while (next < alternatives.Length && alternatives[next].Slot < slot) next++;
            _firstAlternative[slot] = next;
        }
    }

    /// <summary>The original text.</summary>
    public string Text { get; }

    public IReadOnlyList<Token> Tokens => _tokens;

    /// <summary>Injected alternatives, ordered by slot.</summary>
    public IReadOnlyList<TokenAlternative> Alternatives => _alternatives;

    public int Count => _tokens.Length;

    internal ReadOnlySpan<Token> TokenSpan => _tokens;

    /// <summary>The <see cref="TokenHash"/> of each token's value, by slot.</summary>
    internal ReadOnlySpan<uint> TokenHashes => _tokenHashes;

    internal ReadOnlySpan<TokenAlternative> AlternativesAt(int slot)
    {
        if (_firstAlternative is null || slot >= _tokens.Length) return default;
        return _alternatives.AsSpan(_firstAlternative[slot], _firstAlternative[slot + 1] - _firstAlternative[slot]);
    }

    /// <summary>The original text covered by <paramref name="slotCount"/> tokens from <paramref name="slot"/>.</summary>
    public string OriginalText(int slot, int slotCount)
    {
        var first = _tokens[slot];
        var last = _tokens[slot + slotCount - 1];
        return Text.Substring(first.Start, last.End - first.Start);
    }
}

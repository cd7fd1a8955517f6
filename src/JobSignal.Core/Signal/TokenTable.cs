using System.Numerics;
using JobSignal.Core.Common;

namespace JobSignal.Core.Signal;

/// <summary>
/// A read-only map from normalized tokens (or other short keys: a catalog's term ids) to values, looked up with the
/// key's <see cref="TokenHash"/>, which the tokenizer has already computed for every token of a text
/// (<see cref="TokenizedText.TokenHashes"/>). Open addressing,
/// at most half full, so an absent token, the usual case, mostly costs one probe. Code of our own rather than a
/// framework dictionary: it is compiled optimized at its first call, where the framework's collections run as
/// instrumented code (tiered PGO) through most of a nightly run, and it does not hash the token a second time.
/// </summary>
internal sealed class TokenTable<TValue>
{
    private readonly string?[] _keys;
    private readonly TValue[] _values;
    private readonly int _mask;

    /// <summary>The entries' tokens must be distinct (ordinal).</summary>
    public TokenTable(IReadOnlyCollection<KeyValuePair<string, TValue>> entries)
    {
        var size = (int)Math.Max(2, BitOperations.RoundUpToPowerOf2((uint)entries.Count * 2));
        _keys = new string?[size];
        _values = new TValue[size];
        _mask = size - 1;
        foreach (var (token, value) in entries)
        {
            var slot = (int)(TokenHash.Of(token) & (uint)_mask);
            while (_keys[slot] is { } taken)
            {
                if (string.Equals(taken, token, StringComparison.Ordinal)) throw new ArgumentException($"The token '{token}' is given twice.", nameof(entries));
                slot = (slot + 1) & _mask;
            }
            _keys[slot] = token;
            _values[slot] = value;
        }
        Count = entries.Count;
    }

    public int Count { get; }

    /// <summary>The value of <paramref name="token"/>, whose <see cref="TokenHash"/> is <paramref name="hash"/>.</summary>
    public bool TryGetValue(string token, uint hash, out TValue value)
    {
        for (var slot = (int)(hash & (uint)_mask); _keys[slot] is { } key; slot = (slot + 1) & _mask)
        {
            if (OrdinalText.Equal(key, token))
            {
                value = _values[slot];
                return true;
            }
        }
        value = default!;
        return false;
    }
}

/// <summary>A set of normalized tokens (negation cues, an exclusion's context words) on a <see cref="TokenTable{TValue}"/>.</summary>
internal sealed class TokenSet(IEnumerable<string> tokens)
{
    private readonly TokenTable<bool> _table = new(tokens.Distinct(StringComparer.Ordinal).Select(t => KeyValuePair.Create(t, true)).ToList());

    public int Count => _table.Count;

    /// <summary>Whether <paramref name="token"/>, whose <see cref="TokenHash"/> is <paramref name="hash"/>, is in the set.</summary>
    public bool Contains(string token, uint hash) => _table.TryGetValue(token, hash, out _);

    public bool Contains(string token) => Contains(token, TokenHash.Of(token));
}

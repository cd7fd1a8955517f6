namespace JobSignal.Core.Signal;

/// <summary>
/// The stable hash of a normalized token: FNV-1a 64 over its UTF-16 code units, then a MurmurHash3 finalizer.
/// Content signatures store its low 32 bits, so it must never change without a new format version of
/// <see cref="Ingestion.ContentSignature"/>. The tokenizer computes it once per token
/// (<see cref="TokenizedText.TokenHashes"/>) for the repost signature, its token cache and the catalog trie's filters.
/// </summary>
internal static class TokenHash
{
    /// <summary>The 32-bit token hash that content signatures store.</summary>
    public static uint Of(ReadOnlySpan<char> token) => (uint)Of64(token);

    /// <summary>All 64 bits of the hash (FNV-1a 64, then <see cref="Mix"/>).</summary>
    public static ulong Of64(ReadOnlySpan<char> text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        return Mix(hash);
    }

    /// <summary>The MurmurHash3 64-bit finalizer: spreads every input bit over every output bit.</summary>
    public static ulong Mix(ulong hash)
    {
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53UL;
        hash ^= hash >> 33;
        return hash;
    }
}

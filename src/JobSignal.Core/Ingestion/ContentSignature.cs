using System.Runtime.CompilerServices;
using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using JobSignal.Core.Common;
using JobSignal.Core.Signal;

namespace JobSignal.Core.Ingestion;

/// <summary>
/// What repost detection knows about an offer's content (SPEC 5.4), built once per offer from the tokenizer's
/// normalized tokens and stored as an opaque BLOB (<see cref="ToBytes"/>, <see cref="FromBytes"/>) next to the
/// fingerprint, normalized title and description token count columns.
/// </summary>
public sealed class ContentSignature : IEquatable<ContentSignature>
{
    private const byte FormatVersion = 1;
    private const int FingerprintByteLength = 32;

    // The description as a multiset: distinct token hashes ascending, with how often each occurs (repeats beyond
    // 65,535 are not counted, the same way everywhere).
    private readonly uint[] _tokenHashes;
    private readonly ushort[] _tokenCounts;
    private readonly byte[] _fingerprint;
    // Made on first use: signatures read back only to verify a repost candidate never need it.
    private string? _fingerprintHex;
    private OverlapSketch? _sketch;

    private ContentSignature(byte[] fingerprint, string normalizedTitle, int descriptionTokenCount,
        uint[] tokenHashes, ushort[] tokenCounts)
    {
        _fingerprint = fingerprint;
        NormalizedTitle = normalizedTitle;
        DescriptionTokenCount = descriptionTokenCount;
        _tokenHashes = tokenHashes;
        _tokenCounts = tokenCounts;
    }

    /// <summary>SHA-256 (lowercase hex) of the normalized title, a line feed, and the description tokens joined by spaces.</summary>
    public string Fingerprint => _fingerprintHex ??= ToLowerHex(_fingerprint);

    /// <summary>The title tokens joined by single spaces.</summary>
    public string NormalizedTitle { get; }

    /// <summary>How many tokens the description has; 0 when the offer has no description.</summary>
    public int DescriptionTokenCount { get; }

    public bool HasDescription => DescriptionTokenCount > 0;

    internal ReadOnlySpan<uint> TokenHashes => _tokenHashes;
    internal ReadOnlySpan<ushort> TokenCounts => _tokenCounts;

    /// <summary>The description's overlap sketch, made on first use (for a new offer, while its chunk is prepared).</summary>
    internal OverlapSketch Sketch => _sketch ??= OverlapSketch.Of(this);

    /// <summary>Same fingerprint: the raw SHA-256 bytes compared, as equal as the hex strings, without making them.</summary>
    internal bool HasSameFingerprint(ContentSignature other) => _fingerprint.AsSpan().SequenceEqual(other._fingerprint);

    /// <summary>
    /// 64 bits of the fingerprint (its first 8 bytes): what an index keys offers by. Equal fingerprints give equal
    /// keys; an equal key still has to be confirmed with <see cref="HasSameFingerprint"/>. Never 0.
    /// </summary>
    internal ulong FingerprintKey => Math.Max(1, BinaryPrimitives.ReadUInt64LittleEndian(_fingerprint));

    /// <summary>
    /// A 64-bit hash of <see cref="NormalizedTitle"/> (FNV-1a over UTF-16 code units, then a MurmurHash3
    /// finalizer), never 0; 0 when there is no title. Equal titles give equal keys; an equal key still has to be
    /// confirmed by comparing the titles. Not stored: it may change between versions.
    /// </summary>
    internal ulong TitleKey
    {
        get
        {
            if (NormalizedTitle.Length == 0) return 0;
            var hash = TokenHash.Of64(NormalizedTitle);
            return hash == 0 ? 1 : hash;
        }
    }

    internal static ContentSignature Create(IReadOnlyList<string> titleTokens, IReadOnlyList<string> descriptionTokens)
    {
        ArgumentNullException.ThrowIfNull(titleTokens);
        ArgumentNullException.ThrowIfNull(descriptionTokens);
        var hashes = ArrayPool<uint>.Shared.Rent(descriptionTokens.Count);
        try
        {
            for (var i = 0; i < descriptionTokens.Count; i++) hashes[i] = TokenHash.Of(descriptionTokens[i]);
            return Create(new ListTokenValues(titleTokens), new ListTokenValues(descriptionTokens), hashes.AsSpan(0, descriptionTokens.Count));
        }
        finally
        {
            ArrayPool<uint>.Shared.Return(hashes);
        }
    }

    /// <summary>From tokens whose <see cref="TokenHash"/>es are known (the tokenizer computed them).</summary>
    internal static ContentSignature Create<TValues>(TValues titleTokens, TValues descriptionTokens, ReadOnlySpan<uint> descriptionHashes)
        where TValues : struct, ITokenValues
    {
        var title = JoinTokens(titleTokens);
        var (hashes, counts, tokenCount) = CountTokens(descriptionHashes);
        return new ContentSignature(ComputeFingerprint(title, descriptionTokens), title, tokenCount, hashes, counts);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (uint[] Hashes, ushort[] Counts, int TokenCount) CountTokens(ReadOnlySpan<uint> tokenHashes)
    {
        if (tokenHashes.Length == 0) return ([], [], 0);
        var sorted = ArrayPool<uint>.Shared.Rent(2 * tokenHashes.Length);
        try
        {
            var span = sorted.AsSpan(0, tokenHashes.Length);
            tokenHashes.CopyTo(span);
            RadixSort(span, sorted.AsSpan(tokenHashes.Length, tokenHashes.Length));

            var distinct = 1;
            for (var i = 1; i < span.Length; i++)
            {
                if (span[i] != span[i - 1]) distinct++;
            }
            var hashes = new uint[distinct];
            var counts = new ushort[distinct];
            var slot = -1;
            var tokenCount = 0;
            for (var i = 0; i < span.Length; i++)
            {
                if (i == 0 || span[i] != span[i - 1])
                {
                    hashes[++slot] = span[i];
                }
                if (counts[slot] < ushort.MaxValue)
                {
                    counts[slot]++;
                    tokenCount++;
                }
            }
            return (hashes, counts, tokenCount);
        }
        finally
        {
            ArrayPool<uint>.Shared.Return(sorted);
        }
    }

    private static string JoinTokens<TValues>(TValues tokens) where TValues : struct, ITokenValues
    {
        if (tokens.Count == 0) return "";
        if (tokens.Count == 1) return tokens[0];
        var length = tokens.Count - 1;
        for (var i = 0; i < tokens.Count; i++) length += tokens[i].Length;
        return string.Create(length, tokens, static (chars, source) =>
        {
            var at = 0;
            for (var i = 0; i < source.Count; i++)
            {
                if (i > 0) chars[at++] = ' ';
                source[i].AsSpan().CopyTo(chars[at..]);
                at += source[i].Length;
            }
        });
    }

    /// <summary>
    /// Sorts <paramref name="keys"/> ascending, a byte at a time from the least significant (four counting passes
    /// through <paramref name="scratch"/>, as long as the keys): for the few hundred token hashes of a description it
    /// takes about a third of the time of the framework's introsort, which was half the cost of a signature.
    /// </summary>
    internal static void RadixSort(Span<uint> keys, Span<uint> scratch)
    {
        if (scratch.Length < keys.Length) throw new ArgumentException("The scratch space is shorter than the keys.", nameof(scratch));
        Span<int> offsets = stackalloc int[256];
        var source = keys;
        var target = scratch[..keys.Length];
        for (var shift = 0; shift < 32; shift += 8)
        {
            offsets.Clear();
            foreach (var key in source) offsets[(int)((key >> shift) & 0xFF)]++;
            var start = 0;
            for (var digit = 0; digit < offsets.Length; digit++)
            {
                var count = offsets[digit];
                offsets[digit] = start;
                start += count;
            }
            foreach (var key in source) target[offsets[(int)((key >> shift) & 0xFF)]++] = key;
            var filled = target;
            target = source;
            source = filled;
        }
        // Four passes, an even number: the sorted keys are back in place.
    }

    /// <summary>SHA-256 of the UTF-8 of the title, a line feed, and the description tokens joined by single spaces.</summary>
    private static byte[] ComputeFingerprint<TValues>(string title, TValues descriptionTokens) where TValues : struct, ITokenValues
    {
        // Joined first, then transcoded in one call: one call per token cost more than the transcoding itself.
        var length = title.Length + 1;
        for (var i = 0; i < descriptionTokens.Count; i++) length += descriptionTokens[i].Length + 1;
        var chars = ArrayPool<char>.Shared.Rent(length);
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(length));
        try
        {
            title.CopyTo(chars);
            var at = title.Length;
            chars[at++] = '\n';
            for (var i = 0; i < descriptionTokens.Count; i++)
            {
                if (i > 0) chars[at++] = ' ';
                // Char by char: tokens are short, and a copy call per token cost more than the copying (the framework's
                // copy runs instrumented, under tiered PGO, through most of a nightly run).
                var token = descriptionTokens[i];
                for (var c = 0; c < token.Length; c++) chars[at++] = token[c];
            }
            var count = Encoding.UTF8.GetBytes(chars.AsSpan(0, at), bytes);
            return SHA256.HashData(bytes.AsSpan(0, count));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private static string ToLowerHex(byte[] bytes) =>
        string.Create(bytes.Length * 2, bytes, static (chars, source) =>
        {
            const string digits = "0123456789abcdef";
            for (var i = 0; i < source.Length; i++)
            {
                chars[2 * i] = digits[source[i] >> 4];
                chars[2 * i + 1] = digits[source[i] & 0xF];
            }
        });

    /// <summary>
    /// The compact stored form: a format version, the raw fingerprint, the title, the token count, then the
    /// multiset as delta-encoded hashes with their counts (variable-length integers).
    /// </summary>
    public byte[] ToBytes()
    {
        var titleLength = Encoding.UTF8.GetByteCount(NormalizedTitle);
        var size = 1 + FingerprintByteLength + VarIntSize((uint)titleLength) + titleLength
            + VarIntSize((uint)DescriptionTokenCount) + VarIntSize((uint)_tokenHashes.Length);
        var previous = 0u;
        for (var i = 0; i < _tokenHashes.Length; i++)
        {
            size += VarIntSize(_tokenHashes[i] - previous) + VarIntSize(_tokenCounts[i]);
            previous = _tokenHashes[i];
        }

        var bytes = new byte[size];
        var at = 0;
        bytes[at++] = FormatVersion;
        _fingerprint.CopyTo(bytes, at);
        at += FingerprintByteLength;
        WriteVarInt(bytes, ref at, (uint)titleLength);
        at += Encoding.UTF8.GetBytes(NormalizedTitle, bytes.AsSpan(at));
        WriteVarInt(bytes, ref at, (uint)DescriptionTokenCount);
        WriteVarInt(bytes, ref at, (uint)_tokenHashes.Length);
        previous = 0;
        for (var i = 0; i < _tokenHashes.Length; i++)
        {
            WriteVarInt(bytes, ref at, _tokenHashes[i] - previous);
            WriteVarInt(bytes, ref at, _tokenCounts[i]);
            previous = _tokenHashes[i];
        }
        return bytes;
    }

    /// <summary>Reads a stored signature back; a damaged or foreign BLOB is a ContentSignatureInvalid error.</summary>
    public static ContentSignature FromBytes(ReadOnlySpan<byte> bytes)
    {
        var reader = new Reader(bytes);
        var version = reader.Byte();
        if (version != FormatVersion) throw Invalid($"unknown format version {version}");
        var fingerprint = reader.Bytes(FingerprintByteLength).ToArray();
        var titleLength = reader.Count(bytes.Length);
        var title = Encoding.UTF8.GetString(reader.Bytes(titleLength));
        var tokenCount = (int)reader.VarInt();
        var distinct = reader.Count(bytes.Length);

        var hashes = new uint[distinct];
        var counts = new ushort[distinct];
        var hash = 0u;
        long total = 0;
        for (var i = 0; i < distinct; i++)
        {
            var delta = reader.VarInt();
            if (i > 0 && delta == 0) throw Invalid("token hashes are not strictly ascending");
            if (delta > uint.MaxValue - hash) throw Invalid("token hash out of range");
            hash += delta;
            var count = reader.VarInt();
            if (count is 0 or > ushort.MaxValue) throw Invalid($"token count {count} out of range");
            hashes[i] = hash;
            counts[i] = (ushort)count;
            total += count;
        }
        if (total != tokenCount) throw Invalid($"token counts add up to {total}, not {tokenCount}");
        if (!reader.AtEnd) throw Invalid("unexpected bytes after the token multiset");
        return new ContentSignature(fingerprint, title, tokenCount, hashes, counts);
    }

    private static JobSignalException Invalid(string problem) =>
        new("ContentSignatureInvalid", FailureKind.InvalidData,
            $"The stored content signature cannot be read: {problem}.",
            recommendedAction: "Re-ingest the offer so its signature is rebuilt from its title and description.");

    private static int VarIntSize(uint value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }
        return size;
    }

    private static void WriteVarInt(byte[] bytes, ref int at, uint value)
    {
        while (value >= 0x80)
        {
            bytes[at++] = (byte)(value | 0x80);
            value >>= 7;
        }
        bytes[at++] = (byte)value;
    }

    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private int _at;

        public readonly bool AtEnd => _at == _bytes.Length;

        public byte Byte() => Bytes(1)[0];

        public ReadOnlySpan<byte> Bytes(int length)
        {
            if (length > _bytes.Length - _at) throw Invalid("it is truncated");
            var slice = _bytes.Slice(_at, length);
            _at += length;
            return slice;
        }

        // A length or count can never exceed the BLOB's size; checking that keeps a damaged BLOB from allocating.
        public int Count(int limit)
        {
            var value = VarInt();
            if (value > (uint)limit) throw Invalid($"length {value} exceeds the signature size");
            return (int)value;
        }

        public uint VarInt()
        {
            uint value = 0;
            for (var shift = 0; shift < 35; shift += 7)
            {
                var b = Byte();
                if (shift == 28 && b > 0x0F) throw Invalid("variable-length integer out of range");
                value |= (uint)(b & 0x7F) << shift;
                if (b < 0x80) return value;
            }
            throw Invalid("variable-length integer out of range");
        }
    }

    public bool Equals(ContentSignature? other) =>
        other is not null
        && HasSameFingerprint(other)
        && NormalizedTitle == other.NormalizedTitle
        && DescriptionTokenCount == other.DescriptionTokenCount
        && TokenHashes.SequenceEqual(other.TokenHashes)
        && TokenCounts.SequenceEqual(other.TokenCounts);

    public override bool Equals(object? obj) => Equals(obj as ContentSignature);

    public override int GetHashCode() => HashCode.Combine(Fingerprint, DescriptionTokenCount);
}

/// <summary>
/// The token strings a signature is built from. Read through a struct per source, so that the hot path (tokens of a
/// <see cref="TokenizedText"/>) costs no interface call per token.
/// </summary>
internal interface ITokenValues
{
    int Count { get; }
    string this[int index] { get; }
}

internal readonly struct ListTokenValues(IReadOnlyList<string> tokens) : ITokenValues
{
    public int Count => tokens.Count;
    public string this[int index] => tokens[index];
}

internal readonly struct TokenizedValues(TokenizedText text) : ITokenValues
{
    public int Count => text.Count;
    public string this[int index] => text.TokenSpan[index].Value;
}

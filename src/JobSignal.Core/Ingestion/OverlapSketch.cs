using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using JobSignal.Core.Signal;

namespace JobSignal.Core.Ingestion;

/// <summary>
/// How many of a description's multiset elements (<see cref="RepostIndex.Element"/>) fall in each of 256 hash
/// buckets: an exact upper bound on the tokens two descriptions have in common is the sum over buckets of the
/// smaller count. <see cref="RepostIndex"/> keeps each offer's sketch packed in 4 bits per bucket
/// (<see cref="Pack"/>, 15 meaning "15 or more") and rejects a candidate whose bound is below the threshold
/// without reading it back. A signature's sketch is made once, on the threads that prepare a chunk.
/// </summary>
internal sealed class OverlapSketch
{
    public const int BucketBits = 8;
    public const int Buckets = 1 << BucketBits;
    /// <summary>The size of a packed sketch: two 4-bit counts per byte.</summary>
    public const int PackedBytes = Buckets / 2;
    private const int Saturated = 15;

    // Counts capped at 255, in the order of a packed sketch's nibbles: buckets 0, 2, 4... (the low nibbles of packed
    // bytes 0, 1, 2...) first, then buckets 1, 3, 5... (the high nibbles), so both halves line up with the packed bytes.
    private readonly byte[] _counts = new byte[Buckets];
    // A bucket holding 255 or more (only in descriptions of tens of thousands of tokens): then a byte cannot carry
    // its count and no candidate is rejected.
    private readonly bool _capped;

    private OverlapSketch(ContentSignature signature)
    {
        var hashes = signature.TokenHashes;
        var occurrences = signature.TokenCounts;
        for (var i = 0; i < hashes.Length; i++)
        {
            for (var occurrence = 1; occurrence <= occurrences[i]; occurrence++)
            {
                var bucket = (int)(TokenHash.Mix(RepostIndex.Element(hashes[i], occurrence)) >> (64 - BucketBits));
                ref var count = ref _counts[(bucket >> 1) + (bucket & 1) * PackedBytes];
                if (count == byte.MaxValue) _capped = true;
                else count++;
            }
        }
    }

    public static OverlapSketch Of(ContentSignature signature) => new(signature);

    /// <summary>Writes the 4-bit form a <see cref="RepostIndex"/> keeps per offer.</summary>
    public void Pack(Span<byte> destination)
    {
        for (var i = 0; i < PackedBytes; i++)
        {
            destination[i] = (byte)(Math.Min(_counts[i], (byte)Saturated) | (Math.Min(_counts[PackedBytes + i], (byte)Saturated) << 4));
        }
    }

    /// <summary>
    /// An upper bound on the tokens this description has in common with the one whose packed sketch is given: per
    /// bucket the smaller count, this one's where the packed count is saturated (it may be anything from 15 up).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Bound(ReadOnlySpan<byte> packed)
    {
        if (_capped) return int.MaxValue;
        var nibble = Vector128.Create((byte)0x0F);
        var sum = Vector128<ushort>.Zero;
        ReadOnlySpan<byte> counts = _counts;
        for (var i = 0; i < PackedBytes; i += Vector128<byte>.Count)
        {
            var bytes = Vector128.Create(packed.Slice(i, Vector128<byte>.Count));
            var low = bytes & nibble;
            var high = Vector128.ShiftRightLogical(bytes.AsUInt16(), 4).AsByte() & nibble;
            // A saturated nibble becomes 255, so the smaller count is this sketch's.
            low |= Vector128.Equals(low, nibble);
            high |= Vector128.Equals(high, nibble);
            var (a, b) = Vector128.Widen(Vector128.Min(Vector128.Create(counts.Slice(i, Vector128<byte>.Count)), low));
            var (c, d) = Vector128.Widen(Vector128.Min(Vector128.Create(counts.Slice(PackedBytes + i, Vector128<byte>.Count)), high));
            // At most 8 rounds of four sums of 255: no lane overflows.
            sum += a + b + c + d;
        }
        return Vector128.Sum(sum);
    }
}

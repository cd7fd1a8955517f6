using JobSignal.Core.Ingestion;
using JobSignal.Core.Signal;
using static JobSignal.Core.Tests.Ingestion.RepostDetectorTests;

namespace JobSignal.Core.Tests.Ingestion;

public class OverlapSketchTests
{
    [Fact]
    public void The_bound_is_the_sum_of_the_smaller_bucket_counts_and_never_below_the_true_overlap()
    {
        var random = new Random(11);
        for (var trial = 0; trial < 300; trial++)
        {
            // Small vocabularies and heavy repeats fill buckets past the 4-bit saturation point.
            var vocabulary = random.Next(3, 400);
            var a = Signature("a", RandomWords(random, random.Next(1, 900), vocabulary));
            var b = Signature("b", RandomWords(random, random.Next(1, 900), vocabulary));
            var packed = new byte[OverlapSketch.PackedBytes];
            b.Sketch.Pack(packed);

            var bound = a.Sketch.Bound(packed);

            Assert.Equal(ReferenceBound(a, b), bound);
            Assert.True(bound >= Overlap(a, b), $"trial {trial}: bound {bound} below the overlap {Overlap(a, b)}");
        }
    }

    [Fact]
    public void Identical_descriptions_are_bounded_by_their_length()
    {
        var a = Signature("a", Words(300));
        var packed = new byte[OverlapSketch.PackedBytes];
        a.Sketch.Pack(packed);

        Assert.Equal(300, a.Sketch.Bound(packed));
    }

    [Fact]
    public void A_bucket_too_full_for_a_byte_rejects_nothing()
    {
        // About 70,000 elements over 256 buckets: some bucket holds more than a byte can count.
        var huge = Signature("a", string.Join(' ', Enumerable.Repeat("palabra", 65_535)) + " " + Words(5_000));
        var other = Signature("b", Words(10));
        var packed = new byte[OverlapSketch.PackedBytes];
        other.Sketch.Pack(packed);

        Assert.Equal(int.MaxValue, huge.Sketch.Bound(packed));
    }

    private static string RandomWords(Random random, int count, int vocabulary) =>
        string.Join(' ', Enumerable.Range(0, count).Select(_ => "w" + random.Next(vocabulary)));

    // Per bucket (by element hash), the smaller count; a count of 15 or more in the packed side stands for "any".
    private static int ReferenceBound(ContentSignature a, ContentSignature b)
    {
        var countsA = BucketCounts(a);
        var countsB = BucketCounts(b);
        var bound = 0;
        for (var i = 0; i < countsA.Length; i++) bound += countsB[i] >= 15 ? countsA[i] : Math.Min(countsA[i], countsB[i]);
        return bound;
    }

    private static int[] BucketCounts(ContentSignature signature)
    {
        var counts = new int[OverlapSketch.Buckets];
        var hashes = signature.TokenHashes;
        var occurrences = signature.TokenCounts;
        for (var i = 0; i < hashes.Length; i++)
        {
            for (var occurrence = 1; occurrence <= occurrences[i]; occurrence++)
                counts[(int)(TokenHash.Mix(RepostIndex.Element(hashes[i], occurrence)) >> (64 - OverlapSketch.BucketBits))]++;
        }
        return counts;
    }

    private static int Overlap(ContentSignature a, ContentSignature b)
    {
        int i = 0, j = 0, overlap = 0;
        while (i < a.TokenHashes.Length && j < b.TokenHashes.Length)
        {
            if (a.TokenHashes[i] == b.TokenHashes[j]) overlap += Math.Min(a.TokenCounts[i++], b.TokenCounts[j++]);
            else if (a.TokenHashes[i] < b.TokenHashes[j]) i++;
            else j++;
        }
        return overlap;
    }
}

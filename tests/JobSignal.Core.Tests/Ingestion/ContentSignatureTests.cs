using JobSignal.Core.Ingestion;

namespace JobSignal.Core.Tests.Ingestion;

public class ContentSignatureTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(2, 3)]
    [InlineData(437, 4)]
    [InlineData(5000, 5)]
    public void Radix_sort_orders_token_hashes_like_the_framework_sort(int length, int seed)
    {
        var random = new Random(seed);
        // Repeats (a description repeats words), both ends of the range, and keys differing in one byte only.
        var keys = Enumerable.Range(0, length).Select(i => (i % 7) switch
        {
            0 => 0u,
            1 => uint.MaxValue,
            2 => 0x01000000u * (uint)(i % 5),
            3 => (uint)random.Next(16),
            _ => (uint)random.NextInt64(0, 1L << 32),
        }).ToArray();
        var expected = keys.Order().ToArray();

        ContentSignature.RadixSort(keys, new uint[length + 3]);

        Assert.Equal(expected, keys);
    }

    [Fact]
    public void Radix_sort_needs_scratch_space_as_long_as_the_keys()
    {
        Assert.Throws<ArgumentException>(() => ContentSignature.RadixSort(new uint[4], new uint[3]));
    }
}

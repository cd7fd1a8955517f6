namespace JobSignal.Core.Common;

/// <summary>
/// Ordinal comparison of short text (tokens, ids, names) by a loop of our own: compiled optimized at its first call,
/// where the framework's vectorized comparison runs instrumented (tiered PGO) through most of a nightly run, and a
/// call to it costs more than comparing a token.
/// </summary>
internal static class OrdinalText
{
    public static bool Equal(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.Length != b.Length) return false;
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i]) return false;
        }
        return true;
    }

    /// <summary>Both null, the same instance, or the same characters.</summary>
    public static bool Equal(string? a, string? b) => ReferenceEquals(a, b) || (a is not null && b is not null && Equal(a.AsSpan(), b.AsSpan()));
}

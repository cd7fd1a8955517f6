namespace JobSignal.Core.Common;

/// <summary>Reads back the stable text codes an enum is stored (or shown) as.</summary>
public static class EnumCodes
{
    /// <summary>
    /// The value whose code (or, with <paramref name="orName"/>, whose name) is the text, trimmed, in any letter case.
    /// </summary>
    public static bool TryParse<T>(string? text, Func<T, string> code, bool orName, out T value) where T : struct, Enum
    {
        var trimmed = text.AsSpan().Trim();
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (trimmed.Equals(code(candidate), StringComparison.OrdinalIgnoreCase)
                || (orName && trimmed.Equals(candidate.ToString(), StringComparison.OrdinalIgnoreCase)))
            {
                value = candidate;
                return true;
            }
        }
        value = default;
        return false;
    }
}

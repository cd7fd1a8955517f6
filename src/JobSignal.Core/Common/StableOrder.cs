namespace JobSignal.Core.Common;

/// <summary>
/// Ordering of the handful of items an offer or a company has (categories, phrases, evidence terms): an insertion that
/// keeps equal items in the order they came, by a loop of our own rather than LINQ's sorting (see TokenTable for why
/// that matters on ingestion's path).
/// </summary>
internal static class StableOrder
{
    /// <summary>Inserts <paramref name="item"/> into <paramref name="ordered"/> before every item it <paramref name="precedes"/>, after the rest.</summary>
    public static void Insert<T>(List<T> ordered, T item, Func<T, T, bool> precedes)
    {
        var at = ordered.Count;
        while (at > 0 && precedes(item, ordered[at - 1])) at--;
        ordered.Insert(at, item);
    }
}

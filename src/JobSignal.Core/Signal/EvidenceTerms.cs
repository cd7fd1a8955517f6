namespace JobSignal.Core.Signal;

/// <summary>A term that justifies a score, with the points it brought.</summary>
public sealed record EvidenceTerm(string Term, decimal Points);

/// <summary>
/// Short evidence lists ("USD, International Payments, AWS") for the Sheet and company aggregation: each scoring
/// category's winning keyword (canonical name) and each scoring phrase, most points first.
/// </summary>
public static class EvidenceTerms
{
    public const int DefaultMax = 5;

    /// <summary>The terms of one score, most points first (categories before phrases on ties), without repeats.</summary>
    public static IReadOnlyList<EvidenceTerm> Of(SignalScore score)
    {
        ArgumentNullException.ThrowIfNull(score);
        // A phrase found at the very spot of a scoring keyword ("pagos internacionales") says nothing new.
        var keywordSpots = score.Categories.Select(c => (c.Hit.Field, c.Hit.Position)).ToHashSet();
        var candidates = score.Categories.Select(c => new EvidenceTerm(c.Hit.Term, c.Points))
            .Concat(score.Phrases
                .Where(p => !keywordSpots.Contains((p.Hit.Field, p.Hit.Position)))
                .Select(p => new EvidenceTerm(p.Name, p.Points)));
        return Distinct(candidates.OrderByDescending(t => t.Points)).ToList();
    }

    /// <summary>Across many scores (a company's offers): points added up per term, most first, ties by name.</summary>
    public static IReadOnlyList<EvidenceTerm> Summarize(IEnumerable<SignalScore> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        return scores.SelectMany(Of)
            .GroupBy(t => t.Term, StringComparer.OrdinalIgnoreCase)
            .Select(g => new EvidenceTerm(g.First().Term, g.Sum(t => t.Points)))
            .OrderByDescending(t => t.Points)
            .ThenBy(t => t.Term, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    /// <summary>The first <paramref name="max"/> terms joined by ", ".</summary>
    public static string Join(IEnumerable<EvidenceTerm> terms, int max = DefaultMax) =>
        string.Join(", ", terms.Take(max).Select(t => t.Term));

    private static IEnumerable<EvidenceTerm> Distinct(IEnumerable<EvidenceTerm> terms)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var term in terms)
            if (seen.Add(term.Term)) yield return term;
    }
}

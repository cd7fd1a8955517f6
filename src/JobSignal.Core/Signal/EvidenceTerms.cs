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

    /// <summary>
    /// Across many offers' terms (a company's): points added up per term, a term counting once per offer (its best
    /// points there) and case-insensitively, most points first; ties go to the term more offers carry, then to the one
    /// met first (offers in the order given, terms in each offer's order), whose spelling is kept. Blank terms are
    /// ignored.
    /// </summary>
    public static IReadOnlyList<EvidenceTerm> Summarize(IEnumerable<IEnumerable<EvidenceTerm>> termsPerOffer)
    {
        ArgumentNullException.ThrowIfNull(termsPerOffer);
        var totals = new Dictionary<string, (string Text, decimal Points, int Offers, int FirstSeen)>(StringComparer.OrdinalIgnoreCase);
        var inThisOffer = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);
        foreach (var offerTerms in termsPerOffer)
        {
            inThisOffer.Clear();
            foreach (var term in offerTerms)
            {
                var text = term.Term?.Trim();
                if (string.IsNullOrEmpty(text)) continue;
                inThisOffer[text] = inThisOffer.TryGetValue(text, out var best) ? Math.Max(best, term.Points) : term.Points;
                if (!totals.ContainsKey(text)) totals[text] = (text, 0m, 0, totals.Count);
            }
            foreach (var (text, points) in inThisOffer)
            {
                var total = totals[text];
                totals[text] = total with { Points = total.Points + points, Offers = total.Offers + 1 };
            }
        }
        return totals.Values
            .OrderByDescending(t => t.Points).ThenByDescending(t => t.Offers).ThenBy(t => t.FirstSeen)
            .Select(t => new EvidenceTerm(t.Text, t.Points))
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

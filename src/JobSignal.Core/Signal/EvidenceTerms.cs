using JobSignal.Core.Common;

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
        // Loops rather than LINQ: done for every offer ingested (see TokenTable for why that matters).
        var candidates = new List<EvidenceTerm>(score.Categories.Count + score.Phrases.Count);
        foreach (var category in score.Categories) candidates.Add(new EvidenceTerm(category.Hit.Term, category.Points));
        foreach (var phrase in score.Phrases)
        {
            // A phrase found at the very spot of a scoring keyword ("pagos internacionales") says nothing new.
            if (!AtSpotOfAny(score.Categories, phrase.Hit)) candidates.Add(new EvidenceTerm(phrase.Name, phrase.Points));
        }
        // Most points first; a stable insertion keeps categories before phrases, and each list's order, on ties.
        var ranked = new List<EvidenceTerm>(candidates.Count);
        foreach (var candidate in candidates) StableOrder.Insert(ranked, candidate, static (a, b) => a.Points > b.Points);
        // A repeated term keeps its first place, where it brought the most points.
        var terms = new List<EvidenceTerm>(ranked.Count);
        foreach (var term in ranked)
        {
            if (!terms.Exists(kept => string.Equals(kept.Term, term.Term, StringComparison.OrdinalIgnoreCase))) terms.Add(term);
        }
        return terms;
    }

    private static bool AtSpotOfAny(IReadOnlyList<SignalContribution> categories, SignalHit hit)
    {
        foreach (var category in categories)
        {
            if (category.Hit.Field == hit.Field && category.Hit.Position == hit.Position) return true;
        }
        return false;
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
        // Totals of a class, not of a tuple: framework collections over value types are compiled anew for them and run
        // unoptimized at first; over a class they share code already compiled.
        var totals = new Dictionary<string, Total>(StringComparer.OrdinalIgnoreCase);
        var inThisOffer = new Dictionary<string, Total>(StringComparer.OrdinalIgnoreCase);
        foreach (var offerTerms in termsPerOffer)
        {
            inThisOffer.Clear();
            foreach (var term in offerTerms)
            {
                var text = term.Term?.Trim();
                if (string.IsNullOrEmpty(text)) continue;
                if (!totals.TryGetValue(text, out var total)) totals[text] = total = new Total(text, totals.Count);
                if (!inThisOffer.TryGetValue(text, out var best)) inThisOffer[text] = new Total(text, 0) { Points = term.Points, Of = total };
                else best.Points = Math.Max(best.Points, term.Points);
            }
            foreach (var best in inThisOffer.Values)
            {
                best.Of!.Points += best.Points;
                best.Of.Offers++;
            }
        }
        var ranked = new List<Total>(totals.Values);
        ranked.Sort(static (a, b) => a.Points != b.Points ? b.Points.CompareTo(a.Points)
            : a.Offers != b.Offers ? b.Offers.CompareTo(a.Offers) : a.FirstSeen.CompareTo(b.FirstSeen));
        var terms = new List<EvidenceTerm>(ranked.Count);
        foreach (var total in ranked) terms.Add(new EvidenceTerm(total.Text, total.Points));
        return terms;
    }

    /// <summary>A term's points so far: over a company's offers, or (with <see cref="Of"/>, its company total) in one offer.</summary>
    private sealed class Total(string text, int firstSeen)
    {
        public string Text { get; } = text;
        public int FirstSeen { get; } = firstSeen;
        public decimal Points { get; set; }
        public int Offers { get; set; }
        public Total? Of { get; init; }
    }

    /// <summary>The first <paramref name="max"/> terms joined by ", ".</summary>
    public static string Join(IEnumerable<EvidenceTerm> terms, int max = DefaultMax) =>
        string.Join(", ", terms.Take(max).Select(t => t.Term));

}

using JobSignal.Core.Catalog;
using JobSignal.Core.Signal;

namespace JobSignal.Core.Tests.Signal;

public class EvidenceTermsTests
{
    private static SignalScore Score(string? title, string description) => SignalTestData.DefaultScorer.Score(title, description);

    [Fact]
    public void Lists_category_winners_and_phrases_by_points()
    {
        var (title, description) = SignalTestData.Golden("fx01_strong_usd_signal");
        Assert.Equal("USD, International Clients, Google Ads, Stripe, AWS", Score(title, description).Evidence);
    }

    [Fact]
    public void Skips_a_phrase_found_at_the_spot_of_a_scoring_keyword()
    {
        var (title, description) = SignalTestData.Golden("fx05_phrase_boost_fx");
        var terms = EvidenceTerms.Of(Score(title, description));
        Assert.Equal(new[] { "Divisa", "International Payments", "Finance Operations", "foreign exchange" },
            terms.Select(t => t.Term));
        Assert.Equal(new[] { 4.0m, 4.0m, 3.75m, 2.0m }, terms.Select(t => t.Points));
    }

    [Fact]
    public void Keeps_a_phrase_that_no_keyword_covers()
    {
        Assert.Equal("USD, expansión internacional", Score(null, "expansión internacional en USD").Evidence);
    }

    [Fact]
    public void Lists_a_term_named_twice_once_where_it_brought_the_most_points_and_keeps_ties_in_order()
    {
        SignalContribution C(SignalTermKind kind, string name, decimal points, int position) => new()
        {
            Kind = kind, Id = name, Name = name, Points = points,
            Hit = new SignalHit { Id = name, Term = name, Field = SignalField.Description, Position = position },
        };
        var score = new SignalScore
        {
            Categories = [C(SignalTermKind.Keyword, "USD", 2.5m, 1), C(SignalTermKind.Keyword, "Treasury", 2m, 5)],
            // A phrase named as a category's term, worth more; one worth as much as a category comes after it.
            Phrases = [C(SignalTermKind.Phrase, "usd", 4m, 9), C(SignalTermKind.Phrase, "cash pooling", 2m, 12)],
        };

        Assert.Equal([new EvidenceTerm("usd", 4m), new EvidenceTerm("Treasury", 2m), new EvidenceTerm("cash pooling", 2m)],
            EvidenceTerms.Of(score));
    }

    [Fact]
    public void Summarizes_many_scores_by_total_points()
    {
        var scores = new[] { Score(null, "USD y AWS"), Score(null, "USD"), Score(null, "tesorería y AWS") };
        var terms = EvidenceTerms.Summarize(scores.Select(EvidenceTerms.Of));
        Assert.Equal(new[] { "USD", "Treasury", "AWS" }, terms.Select(t => t.Term));
        Assert.Equal(new[] { 8.0m, 2.5m, 2.0m }, terms.Select(t => t.Points));
        Assert.Equal("USD, Treasury", EvidenceTerms.Join(terms, max: 2));
    }

    [Fact]
    public void Summarizing_counts_a_term_once_per_offer_at_its_best_and_breaks_ties_by_offers_then_first_seen()
    {
        EvidenceTerm T(string term, decimal points) => new(term, points);
        var terms = EvidenceTerms.Summarize(
        [
            [T("Beta", 2m), T("usd", 1m), T("USD", 3m), T(" ", 9m)],   // USD counts once here, at 3
            [T("Alpha", 1m), T("Gamma", 1m)],
            [T("Alpha", 1m), T("USD", 1m)],
        ]);
        // USD 4 (2 offers); Beta 2 (1 offer) and Alpha 2 (2 offers): Alpha first; Gamma 1 last. First spelling kept.
        Assert.Equal([T("usd", 4m), T("Alpha", 2m), T("Beta", 2m), T("Gamma", 1m)], terms);
    }

    [Fact]
    public void Is_empty_for_a_score_without_hits()
    {
        Assert.Equal("", Score(null, "nada").Evidence);
    }

    [Fact]
    public void A_score_reads_as_its_score_category_and_evidence_where_it_becomes_text()
    {
        var (title, description) = SignalTestData.Golden("fx01_strong_usd_signal");
        var strong = Score(title, description);
        Assert.Equal($"{strong.Score} strong, {strong.TopCategory}: USD, International Clients, Google Ads, Stripe, AWS", strong.ToString());
        Assert.Equal("0", Score(null, "nada").ToString());
    }
}

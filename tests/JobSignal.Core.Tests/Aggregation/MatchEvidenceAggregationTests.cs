using JobSignal.Core.Aggregation;
using JobSignal.Core.Common;
using JobSignal.Core.Domain;
using JobSignal.Core.Ingestion;
using JobSignal.Core.Signal;
using JobSignal.Core.Store;
using JobSignal.Core.Tests.Ingestion;

namespace JobSignal.Core.Tests.Aggregation;

/// <summary>
/// The evidence terms each match keeps beside its explanation (schema 2), which aggregation reads instead of the
/// explanation: written by every writer of matches, and equal, in what aggregation makes of them, to the terms of
/// the explanation that older matches (without them) still give.
/// </summary>
public class MatchEvidenceAggregationTests : IngestionTestBase
{
    private static Offer[] AcmeOffers() =>
    [
        Offer("1"),
        Offer("2", title: "Analista de facturación", description:
            "Facturación a clientes en EUR y USD, conciliación de cobros con Stripe y pagos internacionales a proveedores en Asia."),
        Offer("3", title: "Controller financiero", description:
            "Control de gestión en una empresa SaaS con filiales en México y Alemania; reporting en Power BI y AWS."),
        Offer("4", title: "Cajero", description: PlainText),
    ];

    [Fact]
    public void Ingestion_stores_each_match_with_the_evidence_terms_of_its_explanation()
    {
        Ingest(AcmeOffers());

        var matches = Store.Matches.List(AcmeOffers().Select(o => OfferIdOf(o.ProviderOfferId)));
        Assert.Equal(AcmeOffers().Length, matches.Count);
        Assert.All(matches, m => Assert.Equal(TermsOfExplanation(m), m.Evidence));
        Assert.Contains(matches, m => m.Evidence!.Count >= 3);
        Assert.Contains(matches, m => m.Evidence!.Count == 0);
    }

    [Fact]
    public void Rescoring_gives_a_match_stored_without_evidence_its_terms()
    {
        Ingest(AcmeOffers());
        ForgetEvidence();
        Clock.Now += TimeSpan.FromHours(1);

        var run = OfferRescorer.Rescore(Store, () => Catalog, options: new RescoreOptions { Wait = RecordingWaiter });

        Assert.Equal((AcmeOffers().Length, AcmeOffers().Length), (run.Received, run.Scored));
        Assert.Equal(0, Count("matches", "evidence_json IS NULL"));
        Assert.All(Store.Matches.List(AcmeOffers().Select(o => OfferIdOf(o.ProviderOfferId))),
            m => Assert.Equal(TermsOfExplanation(m), m.Evidence));
    }

    [Fact]
    public void Matches_without_evidence_aggregate_exactly_as_matches_with_it()
    {
        Ingest([.. AcmeOffers(), Offer("b1", company: "Beta"), Offer("b2", company: "Beta", title: "Tesorero", description: PlainText)]);
        var companies = new[] { CompanyOf("1"), CompanyOf("b1") };
        var withEvidence = Aggregate(companies);
        Assert.Contains("USD", withEvidence[0].EvidenceTerms);

        // Older matches (stored before schema 2) have none; some with, some without, within one company.
        Execute($"UPDATE matches SET evidence_json = NULL WHERE offer_id IN ({OfferIdOf("2")}, {OfferIdOf("4")}, {OfferIdOf("b1")})");
        var mixed = Aggregate(companies);
        ForgetEvidence();
        var withoutEvidence = Aggregate(companies);

        Assert.Equal(Metrics(withEvidence), Metrics(mixed));
        Assert.Equal(Metrics(withEvidence), Metrics(withoutEvidence));
    }

    [Fact]
    public void A_company_whose_stored_evidence_is_unreadable_fails_alone_with_the_explanation_error_id()
    {
        Ingest([Offer("1"), Offer("b1", company: "Beta")]);
        Execute($"UPDATE matches SET evidence_json = '[{{\"term\":' WHERE offer_id = {OfferIdOf("1")}");
        var runner = new AggregationRunner(Store, new AggregationRunOptions { Wait = RecordingWaiter });

        var results = runner.Aggregate([CompanyOf("1"), CompanyOf("b1")]).ToList();

        Assert.Equal([CompanyAggregationStatus.Failed, CompanyAggregationStatus.Aggregated], results.Select(r => r.Status));
        Assert.Equal(SignalScoreJson.InvalidErrorId, Assert.IsType<JobSignalException>(results[0].Error).ErrorId);
    }

    private static IReadOnlyList<EvidenceTerm> TermsOfExplanation(MatchRecord match) =>
        EvidenceTerms.Of(SignalScoreJson.Deserialize(match.ExplanationJson));

    private void ForgetEvidence() => Execute("UPDATE matches SET evidence_json = NULL");

    private List<Company> Aggregate(long[] companies)
    {
        Clock.Now += TimeSpan.FromMinutes(1);
        var results = new AggregationRunner(Store).Aggregate(companies).ToList();
        Assert.All(results, r => Assert.Equal(CompanyAggregationStatus.Aggregated, r.Status));
        return results.Select(r => r.Company!).ToList();
    }

    // Everything aggregation computes; aggregated_at moves with every run.
    private static List<object> Metrics(List<Company> companies) => companies.Select(c => (object)new
    {
        c.MaxScore, c.OfferCount, c.UniqueOffers, c.StrongOffers, c.AvgStrongScore, c.TopOfferId, c.TopOfferUrl,
        c.TopCategory, Categories = string.Join(",", c.CategoryScores.Select(p => $"{p.Key}={p.Value}")), c.LastStrongAt,
        c.EvidenceTerms, c.OffersLast30Days, c.FirstSeenAt, c.LastSeenAt,
    }).ToList();
}

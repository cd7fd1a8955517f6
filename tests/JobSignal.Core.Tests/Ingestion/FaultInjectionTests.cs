using Dapper;
using JobSignal.Core.Aggregation;
using JobSignal.Core.Domain;
using JobSignal.Core.Ingestion;
using JobSignal.Core.Store;

namespace JobSignal.Core.Tests.Ingestion;

/// <summary>
/// The seed's partial-failure gaps, end to end: faults are injected by SQLite triggers that the test creates on the
/// real store file, so the product code runs exactly as in production.
/// </summary>
public class FaultInjectionTests : IngestionTestBase
{
    [Fact]
    public void A_match_that_cannot_be_stored_leaves_the_offer_stored_without_one_and_the_run_succeeds()
    {
        FailInserts("matches", "NEW.offer_id = (SELECT id FROM offers WHERE provider_offer_id = 'o2')");

        var (run, results) = Ingest(DistinctOffers(3));

        AssertRun(run, RunStatus.Success, received: 3, inserted: 2, matchFailed: 1, scored: 2);
        var failed = results[1];
        Assert.Equal((IngestionOutcome.MatchFailed, OfferIdOf("o2")), (failed.Outcome, failed.OfferId));
        Assert.Contains("injected matches failure", failed.Reason);
        Assert.Equal(3, Count("offers"));
        Assert.Equal(0, Count("matches", $"offer_id = {OfferIdOf("o2")}"));
        // Retried MaxRetries (2) times with exponential back-off and ±20 % jitter before giving up.
        Assert.Equal(2, Waits.Count);
        Assert.InRange(Waits[0].TotalMilliseconds, 80, 120);
        Assert.InRange(Waits[1].TotalMilliseconds, 160, 240);
        // Visible to Get-SignalOffer -Unscored, and its company is still aggregated.
        Assert.Equal([OfferIdOf("o2")], Store.Offers.List(new OfferFilter { Unscored = true }).Select(o => o.OfferId));
        Assert.Contains(CompanyOf("o2"), run.AffectedCompanyIds);
    }

    [Fact]
    public void A_match_whose_failing_statement_kept_its_row_still_leaves_the_offer_without_one()
    {
        // RAISE(FAIL) ends the statement but, unlike ABORT, keeps what it changed so far: the match row itself.
        Execute("""
            CREATE TRIGGER fail_matches AFTER INSERT ON matches
            WHEN NEW.offer_id = (SELECT id FROM offers WHERE provider_offer_id = 'o2')
            BEGIN SELECT RAISE(FAIL, 'injected matches failure'); END
            """);

        var (run, results) = Ingest(DistinctOffers(3));

        AssertRun(run, RunStatus.Success, received: 3, inserted: 2, matchFailed: 1, scored: 2);
        Assert.Equal((IngestionOutcome.MatchFailed, OfferIdOf("o2")), (results[1].Outcome, results[1].OfferId));
        Assert.Equal(0, Count("matches", $"offer_id = {OfferIdOf("o2")}"));
        Assert.Equal(2, Count("matches"));
        Assert.Equal([OfferIdOf("o2")], Store.Offers.List(new OfferFilter { Unscored = true }).Select(o => o.OfferId));
    }

    [Fact]
    public void A_database_error_on_one_offer_fails_only_that_offer_and_its_company_is_still_aggregated()
    {
        FailInserts("offers", "NEW.provider_offer_id = 'o2'");

        var (run, results) = Ingest(DistinctOffers(3));

        AssertRun(run, RunStatus.Success, received: 3, inserted: 2, failedDb: 1);
        Assert.Equal(IngestionOutcome.FailedDb, results[1].Outcome);
        Assert.Contains("injected offers failure", results[1].Reason);
        var company = CompanyOf("o1");
        Assert.Equal(company, results[1].CompanyId);
        Assert.Equal(["o1", "o3"], Store.Offers.List(new OfferFilter { OrderBy = OfferOrder.OfferId }).Select(o => o.ProviderOfferId));
        Assert.Equal([company], run.AffectedCompanyIds);

        var aggregated = new AggregationRunner(Store).AggregateRun(run.RunId)!;
        Assert.Equal((1, 0), (aggregated.CompaniesAggregated, aggregated.CompaniesFailed));
        Assert.Equal(2, Store.Companies.Get(company)!.UniqueOffers);
        Assert.Equal(RunStatus.Success, Store.Runs.Get(run.RunId)!.Status);
    }

    [Fact]
    public void A_chunk_with_a_failing_offer_is_written_again_offer_by_offer_keeping_nothing_of_the_first_attempt()
    {
        // Every row the store really inserts into offers is logged by a trigger in the same transaction.
        Execute("CREATE TABLE offer_log (provider_offer_id TEXT NOT NULL)");
        Execute("CREATE TRIGGER log_offers AFTER INSERT ON offers BEGIN INSERT INTO offer_log VALUES (NEW.provider_offer_id); END");
        FailInserts("offers", "NEW.provider_offer_id = 'o3'");

        var (run, results) = Ingest(DistinctOffers(5));

        AssertRun(run, RunStatus.Success, received: 5, inserted: 4, failedDb: 1);
        Assert.Equal([IngestionOutcome.Inserted, IngestionOutcome.Inserted, IngestionOutcome.FailedDb, IngestionOutcome.Inserted,
            IngestionOutcome.Inserted], results.Select(r => r.Outcome));
        // o1 and o2 were inserted by the first attempt too, which o3 rolled back: each is logged once.
        Assert.Equal(["o1", "o2", "o4", "o5"], Sql.Query<string>("SELECT provider_offer_id FROM offer_log ORDER BY rowid"));
        Assert.Equal(4, Count("matches"));
    }

    [Fact]
    public void A_failed_offer_that_was_creating_its_company_leaves_neither_the_company_nor_a_queued_id()
    {
        FailInserts("offers", "NEW.provider_offer_id = 'b1'");

        var (run, results) = Ingest([
            Offer("a1", company: "Acme", description: UniqueText(1)),
            Offer("b1", company: "Beta", website: "beta.es", companyId: "ij-b", description: UniqueText(2)),
            Offer("c1", company: "Gamma", description: UniqueText(3)),
        ]);

        AssertRun(run, RunStatus.Success, received: 3, inserted: 2, failedDb: 1);
        Assert.Null(results[1].CompanyId);
        Assert.Equal(0, Count("companies", "display_name = 'Beta'"));
        Assert.Equal(0, Count("company_sources"));
        Assert.Equal([CompanyOf("a1"), CompanyOf("c1")], run.AffectedCompanyIds);

        // The rolled-back company left nothing behind in the run's memory either: the next run creates it cleanly.
        Execute("DROP TRIGGER fail_offers");
        var (next, _) = Ingest([Offer("b1", company: "Beta", website: "beta.es", companyId: "ij-b", description: UniqueText(2)),
            Offer("b2", company: "Beta", website: "beta.es", companyId: "ij-b", description: UniqueText(4))]);
        AssertRun(next, RunStatus.Success, received: 2, inserted: 2);
        Assert.Equal(CompanyOf("b1"), CompanyOf("b2"));
    }

    [Fact]
    public void Within_one_run_a_rolled_back_offer_does_not_leave_its_company_in_memory()
    {
        // b1 fails after creating "Beta"; b2 (same company) must create it again rather than reuse a vanished id.
        FailInserts("offers", "NEW.provider_offer_id = 'b1'");

        var (run, results) = Ingest([
            Offer("b1", company: "Beta", website: "beta.es", companyId: "ij-b", description: UniqueText(1)),
            Offer("b2", company: "Beta", website: "beta.es", companyId: "ij-b", description: UniqueText(2)),
        ]);

        AssertRun(run, RunStatus.Success, received: 2, inserted: 1, failedDb: 1);
        Assert.Equal(CompanyOf("b2"), results[1].CompanyId);
        Assert.Equal(1, Count("company_sources", $"company_id = {CompanyOf("b2")}"));
        Assert.Equal("beta.es", Store.Companies.Get(CompanyOf("b2"))!.Domain);
    }
}

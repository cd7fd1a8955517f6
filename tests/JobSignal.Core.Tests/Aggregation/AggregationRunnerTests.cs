using JobSignal.Core.Aggregation;
using JobSignal.Core.Domain;
using JobSignal.Core.Signal;
using JobSignal.Core.Store;
using JobSignal.Core.Tests.Ingestion;

namespace JobSignal.Core.Tests.Aggregation;

public class AggregationRunnerTests : IngestionTestBase
{
    private AggregationRunner Runner(int chunkSize = 50) =>
        new(Store, new AggregationRunOptions { ChunkSize = chunkSize, Wait = RecordingWaiter });

    private long AddCompany(string name) => Store.Companies.Insert(new NewCompany(name, name.ToLowerInvariant(), null, false), T0);

    private long AddOffer(long companyId, string id, int? score, DateTimeOffset? published, int reposts = 0, string text = StrongText,
        bool? strong = null)
    {
        var offer = Offer(id, description: text);
        offer.PublishedAt = published;
        offer.UpdatedAt = null;
        var offerId = Store.Offers.Insert(companyId, offer, new OfferContent(id, id, 1, null), T0.AddDays(-5));
        for (var i = 1; i <= reposts; i++) Store.Offers.RegisterRepost(offerId, Providers.Infojobs, $"{id}-r{i}", T0.AddDays(-5 + i));
        if (score is { } s)
        {
            var explanation = new OfferScorer(Catalog).Score(offer);
            Store.Matches.Upsert(new MatchRecord
            {
                OfferId = offerId, Score = s, Raw = s, IsStrong = strong ?? s >= 6, TopCategory = explanation.TopCategory,
                CatalogVersion = Catalog.Version, ExplanationJson = SignalScoreJson.Serialize(explanation), MatchedAt = T0,
            });
        }
        return offerId;
    }

    [Fact]
    public void Companies_are_recomputed_from_their_stored_offers_and_matches()
    {
        var company = AddCompany("Acme");
        AddOffer(company, "old-strong", 8, T0.AddDays(-20), reposts: 2);
        var top = AddOffer(company, "new-strong", 8, T0.AddDays(-2));
        AddOffer(company, "weak", 3, null, text: PlainText);
        AddOffer(company, "unscored", null, T0.AddDays(-1));

        var result = Assert.Single(Runner().Aggregate([company]));

        Assert.Equal((CompanyAggregationStatus.Aggregated, 1, 0), (result.Status, result.Attempts, result.Delays.Count));
        var c = result.Company!;
        // Ties on score go to the most recent offer; reposts weigh activity, not unique or strong counts.
        Assert.Equal((8, top, 6, 4, 2, 8.0), (c.MaxScore, c.TopOfferId, c.OfferCount, c.UniqueOffers, c.StrongOffers, c.AvgStrongScore));
        // First seen moves back to the oldest offer; last seen never moves back (the company was seen at T0).
        Assert.Equal((T0.AddDays(-2), T0, T0.AddDays(-5), T0), (c.LastStrongAt, c.AggregatedAt, c.FirstSeenAt, c.LastSeenAt));
        Assert.Equal(4, c.OffersLast30Days);
        var expectedEvidence = EvidenceTerms.Of(new OfferScorer(Catalog).Score(Offer("x"))).Select(t => t.Term).Take(5);
        Assert.Equal(string.Join(", ", expectedEvidence), c.EvidenceTerms);
        Assert.Equal(c.TopCategory, new OfferScorer(Catalog).Score(Offer("x")).TopCategory);
    }

    [Fact]
    public void Strong_offers_are_read_from_the_stored_matches_not_recounted_from_their_scores()
    {
        // Matches scored with a catalog whose strong threshold was 9: the stored 8 is not strong, the 9 is.
        var company = AddCompany("Tuned");
        AddOffer(company, "nine", 9, T0.AddDays(-30), strong: true);
        AddOffer(company, "eight", 8, T0.AddDays(-1), strong: false);
        AddOffer(company, "seven", 7, T0.AddDays(-2), strong: false);

        var c = Assert.Single(Runner().Aggregate([company])).Company!;

        Assert.Equal((1, 9.0, T0.AddDays(-30)), (c.StrongOffers, c.AvgStrongScore, c.LastStrongAt));
    }

    [Fact]
    public void Category_scores_cover_every_category_of_the_stored_matches_with_or_without_their_column()
    {
        var company = AddCompany("Categories");
        var withColumn = AddOffer(company, "column", 9, T0);
        AddOffer(company, "explanation-only", 8, T0, text: "Cobros en GBP y cuentas multidivisa para clientes del Reino Unido.");
        // One match stored as ingestion stores it (its categories apart); the other only has its explanation.
        var match = Store.Matches.Get(withColumn)!;
        var score = SignalScoreJson.Deserialize(match.ExplanationJson);
        Store.Matches.Upsert(match with { CategoryPointsJson = MatchCategories.Of(score) });
        var expected = Store.Offers.List(new OfferFilter { CompanyIds = [company] })
            .SelectMany(o => SignalScoreJson.Deserialize(o.Explanation!).Categories)
            .GroupBy(c => c.Id).ToDictionary(g => g.Key, g => g.Max(c => c.Points));

        var c = Assert.Single(Runner().Aggregate([company])).Company!;

        Assert.True(expected.Count > 2, "both offers carry several categories");
        Assert.Equal(expected.OrderBy(p => p.Key), c.CategoryScores.OrderBy(p => p.Key));
        Assert.Contains(c.CategoryScores.Keys, category => category != c.TopCategory);
    }

    [Fact]
    public void Companies_with_a_final_resolution_keep_their_frozen_metrics_and_are_counted_apart()
    {
        var frozen = AddCompany("Frozen");
        AddOffer(frozen, "f1", 9, T0);
        var active = AddCompany("Active");
        AddOffer(active, "a1", 4, T0);
        Runner().Aggregate([frozen]).ToList();
        Store.Companies.UpdateResolution(frozen, Resolution.Rejected, T0);
        AddOffer(frozen, "f2", 10, T0);

        var tally = new AggregationTally();
        var results = Runner().Aggregate([frozen, active, 999, frozen]).ToList();
        results.ForEach(tally.Add);

        Assert.Equal([(frozen, CompanyAggregationStatus.Frozen), (active, CompanyAggregationStatus.Aggregated), (999L, CompanyAggregationStatus.NotFound)],
            results.Select(r => (r.CompanyId, r.Status)));
        Assert.Equal((1, 1, 0, 1), (tally.Aggregated, tally.Frozen, tally.Failed, tally.NotFound));
        var kept = Store.Companies.Get(frozen)!;
        Assert.Equal((9, 1), (kept.MaxScore, kept.UniqueOffers));
    }

    [Fact]
    public void Runs_sharing_companies_get_each_company_aggregated_once_and_each_run_its_own_counts()
    {
        var (first, _) = Ingest([Offer("1"), Offer("2", company: "Beta", description: PlainText, title: "Cajero")]);
        var (second, _) = Ingest([Offer("3"), Offer("4", company: "Gamma", description: PlainText, title: "Cajero")]);
        var acme = CompanyOf("1");
        Store.Companies.UpdateResolution(CompanyOf("4"), Resolution.Rejected, T0);
        var runs = new List<(long, IReadOnlyCollection<long>)> { (first.RunId, first.AffectedCompanyIds), (second.RunId, second.AffectedCompanyIds) };
        var recorded = new List<(long? RunId, int Aggregated, int Frozen)>();

        var results = Runner().AggregateForRuns(first.AffectedCompanyIds.Concat(second.AffectedCompanyIds), runs,
            (run, tally) => recorded.Add((run?.RunId, tally.Aggregated, tally.Frozen))).ToList();

        Assert.Equal(3, results.Count);
        Assert.Single(results, r => r.CompanyId == acme);
        Assert.Equal([((long?)first.RunId, 2, 0), (second.RunId, 1, 1)], recorded);

        // Nobody listening: the runs are written all the same.
        foreach (var run in new[] { first, second }) Store.Runs.RecordAggregation(run.RunId, 0, 0);
        Assert.Equal(0, Store.Runs.Get(first.RunId)!.CompaniesAggregated);
        Assert.Equal(3, Runner().AggregateForRuns(first.AffectedCompanyIds.Concat(second.AffectedCompanyIds), runs).Count());
        Assert.Equal((2, 0), (Store.Runs.Get(first.RunId)!.CompaniesAggregated, Store.Runs.Get(first.RunId)!.CompaniesFailed));
        Assert.Equal(1, Store.Runs.Get(second.RunId)!.CompaniesAggregated);
    }

    [Fact]
    public void A_company_that_fails_then_succeeds_is_retried_with_exponential_back_off()
    {
        var (run, _) = Ingest([Offer("1"), Offer("2", company: "Beta", description: PlainText, title: "Cajero")]);
        var flaky = CompanyOf("1");
        // A counter of attempts kept in the database would be undone with each failing attempt (its failed statement),
        // so the trigger is keyed on the attempt's own data instead: aggregated_at is "now" of the attempt, and the
        // recording waiter moves the manual clock by each back-off. Attempts at T0 and T0 + ~100 ms fail, the third
        // (T0 + ~300 ms) gets through.
        Execute($"""
            CREATE TRIGGER flaky BEFORE UPDATE OF max_score ON companies
            WHEN NEW.id = {flaky} AND NEW.aggregated_at < '{StoreTime.ToText(T0.AddMilliseconds(200))}'
            BEGIN SELECT RAISE(ABORT, 'injected aggregation failure'); END
            """);
        var reported = new List<CompanyAggregationResult>();

        var recorded = Runner().AggregateRun(run.RunId, reported.Add)!;

        var result = reported.Single(r => r.CompanyId == flaky);
        Assert.Equal((CompanyAggregationStatus.Aggregated, 3), (result.Status, result.Attempts));
        Assert.Equal(Waits, result.Delays);
        Assert.Equal(2, Waits.Count);
        Assert.InRange(Waits[0].TotalMilliseconds, 80, 120);
        Assert.InRange(Waits[1].TotalMilliseconds, 160, 240);
        Assert.Equal(StoreTime.Truncate(T0 + Waits[0] + Waits[1]), Store.Companies.Get(flaky)!.AggregatedAt);
        Assert.NotNull(Store.Companies.Get(flaky)!.MaxScore);
        Assert.Equal((2, 0), (recorded.CompaniesAggregated, recorded.CompaniesFailed));
        var stored = Store.Runs.Get(run.RunId)!;
        Assert.Equal((2, 0, RunStatus.Success, 2), (stored.CompaniesAggregated, stored.CompaniesFailed, stored.Status, stored.Inserted));
    }

    [Fact]
    public void Back_off_waits_hold_no_write_lock_so_the_cause_can_be_fixed_meanwhile()
    {
        var (run, _) = Ingest([Offer("1"), Offer("2", company: "Beta")]);
        var broken = CompanyOf("2");
        Execute($"""
            CREATE TRIGGER broken BEFORE UPDATE OF max_score ON companies WHEN NEW.id = {broken}
            BEGIN SELECT RAISE(ABORT, 'injected aggregation failure'); END
            """);
        // The test's connection must not wait for a lock: if the runner held its transaction while backing off,
        // dropping the trigger here would fail with SQLITE_BUSY at once.
        Execute("PRAGMA busy_timeout = 0");
        var failedAttempts = new List<FailedAttempt>();
        var runner = new AggregationRunner(Store, new AggregationRunOptions
        {
            Wait = (delay, _) =>
            {
                Waits.Add(delay);
                Execute("DROP TRIGGER broken");
                return Task.CompletedTask;
            },
            AttemptFailed = failedAttempts.Add,
        });

        var result = runner.Aggregate(run.AffectedCompanyIds).Single(r => r.CompanyId == broken);

        Assert.Equal((CompanyAggregationStatus.Aggregated, 2), (result.Status, result.Attempts));
        Assert.Equal(Waits, result.Delays);
        var failure = Assert.Single(failedAttempts);
        Assert.Equal((broken, 1, Waits[0]), (failure.CompanyId, failure.Attempt, failure.Delay));
        Assert.Contains("injected aggregation failure", failure.Error.Message);
    }

    [Fact]
    public void A_company_that_keeps_failing_is_reported_and_the_batch_goes_on()
    {
        var (run, _) = Ingest([
            Offer("1", company: "A"), Offer("2", company: "B"), Offer("3", company: "C"), Offer("4", company: "D"), Offer("5", company: "E"),
        ]);
        var broken = CompanyOf("2");
        Execute($"""
            CREATE TRIGGER broken BEFORE UPDATE OF max_score ON companies WHEN NEW.id = {broken}
            BEGIN SELECT RAISE(ABORT, 'injected aggregation failure'); END
            """);
        var reported = new List<CompanyAggregationResult>();

        var recorded = Runner(chunkSize: 2).AggregateRun(run.RunId, reported.Add)!;

        Assert.Equal(run.AffectedCompanyIds, reported.Select(r => r.CompanyId));
        var failed = reported.Single(r => r.Status == CompanyAggregationStatus.Failed);
        Assert.Equal((broken, 3, 2), (failed.CompanyId, failed.Attempts, failed.Delays.Count));
        Assert.Contains("injected aggregation failure", failed.Error!.Message);
        Assert.Null(Store.Companies.Get(broken)!.MaxScore);
        Assert.Equal(4, reported.Count(r => r.Status == CompanyAggregationStatus.Aggregated && r.Company!.MaxScore is not null));
        Assert.Equal((4, 1), (recorded.CompaniesAggregated, recorded.CompaniesFailed));
        Assert.Equal((4, 1), (Store.Runs.Get(run.RunId)!.CompaniesAggregated, Store.Runs.Get(run.RunId)!.CompaniesFailed));
    }

    [Fact]
    public void A_failed_attempt_leaves_no_metrics_even_when_its_statement_kept_its_changes()
    {
        var (run, _) = Ingest([Offer("1", company: "A"), Offer("2", company: "B"), Offer("3", company: "C")]);
        var broken = CompanyOf("2");
        // RAISE(FAIL) ends the statement but, unlike ABORT, keeps what it changed so far: here the metrics row itself.
        Execute($"""
            CREATE TRIGGER broken AFTER UPDATE OF max_score ON companies WHEN NEW.id = {broken}
            BEGIN SELECT RAISE(FAIL, 'injected aggregation failure'); END
            """);
        var reported = new List<CompanyAggregationResult>();

        var recorded = Runner().AggregateRun(run.RunId, reported.Add)!;

        var failed = Assert.Single(reported, r => r.Status == CompanyAggregationStatus.Failed);
        Assert.Equal((broken, 3), (failed.CompanyId, failed.Attempts));
        var left = Store.Companies.Get(broken)!;
        Assert.Equal((null, null), (left.MaxScore, left.AggregatedAt));
        Assert.All(reported.Where(r => r.CompanyId != broken), r => Assert.NotNull(Store.Companies.Get(r.CompanyId)!.AggregatedAt));
        Assert.Equal((2, 1), (recorded.CompaniesAggregated, recorded.CompaniesFailed));
    }

    [Fact]
    public void Cancellation_stops_before_the_next_chunk_and_keeps_the_committed_ones()
    {
        var ids = Enumerable.Range(1, 4).Select(i => { var c = AddCompany("C" + i); AddOffer(c, "o" + i, i, T0); return c; }).ToArray();
        using var cancellation = new CancellationTokenSource();
        var results = new List<CompanyAggregationResult>();

        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var result in Runner(chunkSize: 2).Aggregate(ids, cancellation.Token))
            {
                results.Add(result);
                cancellation.Cancel();
            }
        });

        Assert.Equal(ids.Take(2), results.Select(r => r.CompanyId));
        Assert.Equal([1, 2, null, null], ids.Select(id => Store.Companies.Get(id)!.MaxScore));
    }

    [Fact]
    public void A_run_unknown_to_the_store_is_null()
    {
        Assert.Null(Runner().AggregateRun(4242));
    }
}

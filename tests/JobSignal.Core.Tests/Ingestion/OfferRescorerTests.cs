using JobSignal.Core.Catalog;
using JobSignal.Core.Domain;
using JobSignal.Core.Ingestion;
using JobSignal.Core.Signal;
using JobSignal.Core.Store;

namespace JobSignal.Core.Tests.Ingestion;

public class OfferRescorerTests : IngestionTestBase
{
    private RescoreOptions RescoreOptions(int chunkSize = 200) => new() { ChunkSize = chunkSize, Wait = RecordingWaiter };

    /// <summary>A run as a process that ended leaves it: running, owned by a pid of this host no process can have.</summary>
    private (long RunId, string Owner) LeaveRunning()
    {
        var endedOwner = $"{Environment.MachineName}:2147483600:1700000000000";
        Execute($"INSERT INTO ingestion_runs (owner, started_at) VALUES ('{endedOwner}', '2024-04-30T10:00:00.000Z')");
        return (Scalar<long>("SELECT max(id) FROM ingestion_runs"), endedOwner);
    }

    [Fact]
    public void Rescoring_the_unscored_offers_fixes_what_match_failed_left_and_is_recorded_as_a_rescore_run()
    {
        FailInserts("matches", "NEW.offer_id = (SELECT id FROM offers WHERE provider_offer_id = 'o2')");
        var (ingestion, _) = Ingest(DistinctOffers(3));
        AssertRun(ingestion, RunStatus.Success, received: 3, inserted: 2, matchFailed: 1, scored: 2);
        Execute("DROP TRIGGER fail_matches");
        Clock.Now += TimeSpan.FromHours(2);
        var rescoredAt = StoreTime.Truncate(Clock.Now);

        var rescore = OfferRescorer.Rescore(Store, () => Catalog, new OfferFilter { Unscored = true }, RescoreOptions());

        var stored = Store.Runs.Get(rescore.RunId)!;
        Assert.Equal((RunKind.Rescore, RunStatus.Success, Catalog.Version, (string?)null), (stored.Kind, stored.Status, stored.CatalogVersion, stored.ErrorMessage));
        Assert.Equal((1, 1, 0, 0, 0), (stored.Received, stored.Scored, stored.MatchFailed, stored.Inserted, stored.Updated));
        Assert.Equal([CompanyOf("o2")], stored.AffectedCompanyIds);
        Assert.Equal(rescoredAt, Store.Matches.Get(OfferIdOf("o2"))!.MatchedAt);
        Assert.Empty(Store.Offers.List(new OfferFilter { Unscored = true }));
    }

    [Fact]
    public void Ingestion_and_rescoring_both_leave_the_company_s_own_name_out_of_the_score()
    {
        const string text = "En Stripe buscamos ingenieros para cobros en USD.";
        Ingest([Offer("self", company: "Stripe Payments Europe, S.L.", description: text), Offer("user", company: "Tienda Ejemplo S.L.", description: text)]);

        SignalScore Stored(string id) => SignalScoreJson.Deserialize(Store.Offers.Get(OfferIdOf(id))!.Explanation!);
        var self = Stored("self");
        Assert.Equal("part of the company's name 'Stripe Payments Europe, S.L.'", Assert.Single(self.ExcludedHits).ExclusionReason);
        Assert.Empty(Stored("user").ExcludedHits);
        Assert.Contains(Stored("user").Hits, h => h.Id == "kw_stripe");

        OfferRescorer.Rescore(Store, () => Catalog, new OfferFilter(), RescoreOptions());

        // Re-scoring reads the stored company's name: the same decisions.
        Assert.Equal(self.Score, Stored("self").Score);
        Assert.Equal(["kw_stripe"], Stored("self").ExcludedHits.Select(h => h.Id));
        Assert.Contains(Stored("user").Hits, h => h.Id == "kw_stripe");
    }

    [Fact]
    public void Ingestion_and_rescoring_mask_no_name_for_a_hidden_profile()
    {
        // A hidden profile's "name" is the recruiter's description of the employer, not a name its offers could cite.
        const string name = "Empresa líder en pagos internacionales";
        const string text = "Buscamos técnico/a de tesorería para pagos internacionales.";
        Ingest([Offer("hidden", company: name, description: text, companyId: "h1", hidden: true),
            Offer("named", company: name, description: text, companyId: "n1")]);

        SignalScore Stored(string id) => SignalScoreJson.Deserialize(Store.Offers.Get(OfferIdOf(id))!.Explanation!);
        Assert.True(Store.Offers.Get(OfferIdOf("hidden"))!.CompanyHidden);
        Assert.Empty(Stored("hidden").ExcludedHits);
        Assert.Contains(Stored("hidden").Hits, h => h.Id == "kw_international_payments");
        Assert.Contains(Stored("named").ExcludedHits, h => h.Id == "kw_international_payments");

        OfferRescorer.Rescore(Store, () => Catalog, new OfferFilter(), RescoreOptions());

        Assert.Empty(Stored("hidden").ExcludedHits);
        Assert.Contains(Stored("hidden").Hits, h => h.Id == "kw_international_payments");
        Assert.Contains(Stored("named").ExcludedHits, h => h.Id == "kw_international_payments");
    }

    [Fact]
    public void Rescoring_with_another_catalog_replaces_every_match_chunk_by_chunk()
    {
        Ingest([Offer("1"), Offer("2", company: "Beta"), Offer("3", company: "Gamma", title: "Cajero", description: PlainText)]);
        var model = CatalogLoader.Load(DefaultCatalogPath);
        model.Version = "99.0.0";
        var changed = CatalogCompiler.Compile(model);
        var chunks = new List<int>();

        var run = OfferRescorer.Rescore(Store, () => changed, options: RescoreOptions(chunkSize: 2) with { ChunkCommitted = c => chunks.Add(c.Offers) });

        Assert.Equal([2, 1], chunks);
        Assert.Equal((3, 3, RunStatus.Success), (run.Received, run.Scored, run.Status));
        Assert.Equal(3, Count("matches", "catalog_version = '99.0.0'"));
        Assert.Equal(3, run.AffectedCompanyIds.Count);
    }

    [Fact]
    public void An_offer_whose_new_match_cannot_be_stored_is_left_unscored_not_with_its_old_match()
    {
        Ingest(DistinctOffers(2));
        var broken = OfferIdOf("o2");
        Execute($"UPDATE matches SET catalog_version = 'before' WHERE offer_id = {broken}");
        // RAISE(FAIL) ends the statement but, unlike ABORT, keeps what it changed so far: the match row itself.
        Execute($"""
            CREATE TRIGGER broken AFTER UPDATE ON matches WHEN NEW.offer_id = {broken}
            BEGIN SELECT RAISE(FAIL, 'injected rescore failure'); END
            """);

        var run = OfferRescorer.Rescore(Store, () => Catalog, options: RescoreOptions());

        Assert.Equal((RunStatus.Success, 2, 1, 1), (run.Status, run.Received, run.Scored, run.MatchFailed));
        // Neither the failing update's partial change nor the match of the old catalog: no match, listed as unscored.
        Assert.Null(Store.Matches.Get(broken));
        Assert.Equal([broken], Store.Offers.List(new OfferFilter { Unscored = true }).Select(o => o.OfferId));
        Assert.Equal(Catalog.Version, Store.Matches.Get(OfferIdOf("o1"))!.CatalogVersion);

        Execute("DROP TRIGGER broken");
        var retry = OfferRescorer.Rescore(Store, () => Catalog, new OfferFilter { Unscored = true }, RescoreOptions());
        Assert.Equal((1, 1), (retry.Received, retry.Scored));
        Assert.Equal(Catalog.Version, Store.Matches.Get(broken)!.CatalogVersion);
    }

    [Fact]
    public void A_rescore_marks_runs_of_ended_processes_abandoned_and_says_so()
    {
        Ingest([Offer("1")]);
        var (left, endedOwner) = LeaveRunning();
        var warnings = new List<string>();

        var run = OfferRescorer.Rescore(Store, () => Catalog, options: RescoreOptions() with { Warning = warnings.Add });

        Assert.Equal(RunStatus.Success, run.Status);
        Assert.Equal(RunStatus.Abandoned, Store.Runs.Get(left)!.Status);
        Assert.Equal([$"Run {left} was left running by a process that ended ({endedOwner}); it is now marked abandoned."], warnings);
    }

    [Fact]
    public void A_dry_run_on_a_private_copy_says_what_a_real_run_would_mark_abandoned()
    {
        Ingest([Offer("1")]);
        var (left, endedOwner) = LeaveRunning();
        var warnings = new List<string>();

        using (var copy = StoreSnapshot.Create(DatabasePath))
            OfferRescorer.Rescore(copy.Store, () => Catalog, options: RescoreOptions() with { Warning = warnings.Add });

        Assert.Equal([$"Run {left} was left running by a process that ended ({endedOwner}); a real run would mark it abandoned (-WhatIf: the store is left as it is)."], warnings);
        Assert.Equal(RunStatus.Running, Store.Runs.Get(left)!.Status);
    }

    [Fact]
    public void A_store_locked_midway_fails_the_rescore_with_the_lock_and_the_run_says_what_the_store_holds()
    {
        Ingest([Offer("1"), Offer("2", company: "Beta"), Offer("3", company: "Gamma")]);
        using var impatient = SignalStore.Open(DatabasePath, new StoreOptions
        {
            Clock = Clock, BusyTimeout = TimeSpan.FromMilliseconds(50),
            WriteRetry = new JobSignal.Core.Common.RetryPolicy(1, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10)),
        });
        IngestionRun? started = null;
        using var writer = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabasePath};Pooling=False");

        // Another process takes the write lock after the first chunk, and keeps it past the retries.
        var error = Assert.ThrowsAny<Exception>(() => OfferRescorer.Rescore(impatient, () => Catalog, new OfferFilter(), RescoreOptions(chunkSize: 1) with
        {
            Started = run => started = run,
            ChunkCommitted = _ =>
            {
                if (writer.State == System.Data.ConnectionState.Open) return;
                writer.Open();
                using var hold = writer.CreateCommand();
                hold.CommandText = "BEGIN IMMEDIATE; INSERT INTO query_state (query_key) VALUES ('held by another process');";
                hold.ExecuteNonQuery();
            },
        }));

        Assert.True(SignalStore.IsBusy(error));
        // The store refused the run's failure too: the run says what the store holds, not what was attempted.
        Assert.Equal(RunStatus.Running, started!.Status);
        writer.Close();
        Assert.Equal((RunStatus.Running, 1), (Store.Runs.Get(started.RunId)!.Status, Store.Runs.Get(started.RunId)!.Received));
    }

    [Fact]
    public void Rescoring_only_the_offers_of_chosen_companies()
    {
        Ingest([Offer("1"), Offer("2", company: "Beta"), Offer("3", company: "Gamma", title: "Cajero", description: PlainText)]);
        var beta = CompanyOf("2");
        Clock.Now += TimeSpan.FromDays(1);

        var run = OfferRescorer.Rescore(Store, () => Catalog, new OfferFilter { CompanyIds = [beta] }, RescoreOptions());

        Assert.Equal((1, 1), (run.Received, run.Scored));
        Assert.Equal([beta], run.AffectedCompanyIds);
        Assert.Equal(1, Count("matches", $"matched_at = '{StoreTime.ToText(T0.AddDays(1))}'"));
    }

    [Fact]
    public void A_rescore_with_an_invalid_catalog_is_a_failed_run_that_changed_nothing()
    {
        Ingest([Offer("1")]);
        var before = Store.Matches.Get(OfferIdOf("1"))!;

        Assert.Throws<CatalogException>(() => OfferRescorer.Rescore(Store, () => CompiledCatalog.Load(Folder.File("missing.json"))));

        var run = Store.Runs.List(last: 1).Single();
        Assert.Equal((RunKind.Rescore, RunStatus.Failed, 0), (run.Kind, run.Status, run.Received));
        Assert.Contains("does not exist", run.ErrorMessage);
        Assert.Equal(before, Store.Matches.Get(OfferIdOf("1")));
    }
}

using JobSignal.Core.Catalog;
using JobSignal.Core.Domain;
using JobSignal.Core.Ingestion;
using JobSignal.Core.Signal;
using JobSignal.Core.Store;

namespace JobSignal.Core.Tests.Ingestion;

public class OfferIngestorTests : IngestionTestBase
{
    [Fact]
    public void A_run_stores_companies_offers_and_matches_and_records_every_counter()
    {
        var (run, results) = Ingest([
            Offer("1"), Offer("2", title: "Dependiente", description: PlainText),
            Offer("3", company: "Beta Shop", description: PlainText, title: "Cajero"),
        ]);

        AssertRun(run, RunStatus.Success, received: 3, inserted: 3);
        Assert.Equal(T0, run.StartedAt);
        Assert.Equal(2, Count("companies"));
        Assert.Equal(3, Count("offers"));
        Assert.Equal(3, Count("matches"));
        Assert.Equal(new[] { CompanyOf("1"), CompanyOf("3") }, run.AffectedCompanyIds);
        Assert.Equal(CompanyOf("1"), CompanyOf("2"));

        var strong = results.Single(r => r.ProviderOfferId == "1");
        var expected = new OfferScorer(Catalog).Score(Offer("1"));
        Assert.Equal((IngestionOutcome.Inserted, OfferIdOf("1"), expected.Score, expected.TopCategory),
            (strong.Outcome, strong.OfferId, strong.Score, strong.TopCategory));
        Assert.True(expected.Score >= 6, "the strong sample must be strong for the aggregation tests");
        var match = Store.Matches.Get(OfferIdOf("1"))!;
        Assert.Equal((expected.Score, Catalog.Version, T0), (match.Score, match.CatalogVersion, match.MatchedAt));
        Assert.Equal(expected.Evidence, SignalScoreJson.Deserialize(match.ExplanationJson).Evidence);
        // Stored from the serializer's UTF-8 as it is: the same text Serialize gives, and TEXT (LIKE and json_* work).
        Assert.Equal(SignalScoreJson.Serialize(expected with { ProviderOfferId = null }), match.ExplanationJson);
        Assert.Equal(0, Count("matches", "typeof(explanation_json) <> 'text'"));
        Assert.Equal(T0, Store.Offers.Get(OfferIdOf("1"))!.FirstSeenAt);
    }

    [Fact]
    public void The_same_batch_twice_gives_the_same_rows_and_counts_updates_not_inserts()
    {
        Offer[] Batch() => [Offer("1"), Offer("1b"), Offer("2", company: "Beta", title: "Cajero", description: PlainText)];
        var (first, _) = Ingest(Batch());
        AssertRun(first, RunStatus.Success, received: 3, inserted: 2, reposts: 1);
        var rows = Snapshot();

        Clock.Now += TimeSpan.FromHours(1);
        var (second, results) = Ingest(Batch());

        AssertRun(second, RunStatus.Success, received: 3, updated: 3, scored: 0);
        Assert.All(results, r => Assert.Equal(IngestionOutcome.Updated, r.Outcome));
        Assert.Equal(rows, Snapshot());
        Assert.Equal(1, Scalar<long>($"SELECT repost_count FROM offers WHERE id = {OfferIdOf("1")}"));
        Assert.Equal(StoreTime.ToText(T0.AddHours(1)), Scalar<string>($"SELECT last_seen_at FROM offers WHERE id = {OfferIdOf("1")}"));
        Assert.Equal(first.AffectedCompanyIds, second.AffectedCompanyIds);

        // Everything but the timestamps that say when it was seen, per table.
        string Snapshot() => string.Join("\n",
            Rows("SELECT id, display_name, normalized_name, website_domain, resolution FROM companies"),
            Rows("SELECT id, company_id, provider_offer_id, title, repost_count, fingerprint, first_seen_at FROM offers"),
            Rows("SELECT offer_id, score, top_category, explanation_json, matched_at FROM matches"),
            Rows("SELECT provider, provider_offer_id, offer_id FROM offer_reposts"));
    }

    [Fact]
    public void Known_offers_are_rescored_only_when_their_content_changed()
    {
        Ingest([Offer("1"), Offer("2", company: "Beta", title: "Cajero", description: PlainText)]);
        Clock.Now += TimeSpan.FromDays(1);

        var changed = Offer("2", company: "Beta", title: "Cajero", description: PlainText + " Pagos en USD.");
        changed.UpdatedAt = T0;
        var (run, results) = Ingest([Offer("1"), changed]);

        AssertRun(run, RunStatus.Success, received: 2, updated: 2, scored: 1);
        Assert.Null(results[0].Score);
        Assert.Equal(new OfferScorer(Catalog).Score(changed).Score, results[1].Score);
        Assert.Equal(T0.AddDays(1), Store.Matches.Get(OfferIdOf("2"))!.MatchedAt);
        Assert.Equal(T0, Store.Matches.Get(OfferIdOf("1"))!.MatchedAt);
        Assert.EndsWith("Pagos en USD.", Store.Offers.Get(OfferIdOf("2"))!.Description);
    }

    [Fact]
    public void Offers_are_committed_chunk_by_chunk_with_the_run_counters()
    {
        var committed = new List<(int Number, long OffersStored, int Received, long RunRowReceived)>();
        var options = Options(chunkSize: 2) with
        {
            ChunkCommitted = chunk => committed.Add((chunk.Number, Count("offers"), chunk.Run.Received,
                Scalar<long>($"SELECT received FROM ingestion_runs WHERE id = {chunk.Run.RunId}"))),
        };
        var (run, _) = Ingest(DistinctOffers(5), options);

        AssertRun(run, RunStatus.Success, received: 5, inserted: 5);
        // Another connection sees each chunk's offers and counters as soon as that chunk committed.
        Assert.Equal([(1, 2L, 2, 2L), (2, 4L, 4, 4L), (3, 5L, 5, 5L)], committed);
    }

    [Fact]
    public void A_duplicate_id_within_one_chunk_is_an_update_of_the_offer_just_inserted()
    {
        var (run, results) = Ingest([Offer("1"), Offer("1")]);

        AssertRun(run, RunStatus.Success, received: 2, inserted: 1, updated: 1);
        Assert.Equal(1, Count("offers"));
        Assert.Equal(results[0].OfferId, results[1].OfferId);
    }

    [Fact]
    public void An_id_changed_twice_within_one_chunk_ends_with_the_last_content_and_its_match()
    {
        var (run, results) = Ingest([
            Offer("1", title: "Tesorero internacional", description: StrongText),
            Offer("1", title: "Dependiente", description: PlainText),
            Offer("1", title: "Tesorero internacional", description: StrongText),
        ]);

        AssertRun(run, RunStatus.Success, received: 3, inserted: 1, updated: 2, scored: 3);
        Assert.Equal(["New offer", "Known offer, content changed", "Known offer, content changed"],
            results.Select(r => r.Reason!.Split(':', '(')[0].Trim()));
        var stored = Store.Offers.Get(OfferIdOf("1"))!;
        Assert.Equal("Tesorero internacional", stored.Title);
        // The stored match is that of the stored text: what scoring that text again gives.
        Assert.Equal(results[0].Score, stored.Score);
        Assert.NotEqual(results[1].Score, results[0].Score);
    }

    [Fact]
    public void Cancellation_leaves_a_cancelled_run_with_the_committed_chunks_intact()
    {
        using var cancellation = new CancellationTokenSource();
        var options = Options(chunkSize: 2) with { ChunkCommitted = _ => cancellation.Cancel() };
        using var ingestor = OfferIngestor.Start(Store, Catalog, options);

        Assert.ThrowsAny<OperationCanceledException>(() => ingestor.Ingest(DistinctOffers(6), cancellationToken: cancellation.Token));

        AssertRun(ingestor.Run, RunStatus.Cancelled, received: 2, inserted: 2, error: "Cancelled after 1 committed chunk(s)");
        Assert.Equal(["o1", "o2"], Strings("SELECT provider_offer_id FROM offers ORDER BY id"));
        Assert.Equal(2, Count("matches"));
    }

    [Fact]
    public void Cancellation_in_the_middle_of_a_chunk_rolls_that_chunk_back()
    {
        // The match of o5 cannot be stored; the retry's wait is where Ctrl+C lands, in the middle of chunk 2 (o4-o6),
        // after o4 was inserted and matched in that chunk's transaction.
        FailInserts("matches", "NEW.offer_id = (SELECT id FROM offers WHERE provider_offer_id = 'o5')");
        using var cancellation = new CancellationTokenSource();
        var options = Options(chunkSize: 3) with
        {
            Wait = (_, _) =>
            {
                cancellation.Cancel();
                return Task.CompletedTask;
            },
        };
        using var ingestor = OfferIngestor.Start(Store, Catalog, options);

        Assert.ThrowsAny<OperationCanceledException>(() => ingestor.Ingest(DistinctOffers(6), cancellationToken: cancellation.Token));

        AssertRun(ingestor.Run, RunStatus.Cancelled, received: 3, inserted: 3, error: "Cancelled after 1 committed chunk(s)");
        Assert.Equal(["o1", "o2", "o3"], Strings("SELECT provider_offer_id FROM offers ORDER BY id"));
        Assert.Equal(3, Count("matches"));
    }

    [Fact]
    public void Pipelined_chunks_return_every_result_once_in_input_order()
    {
        using var ingestor = OfferIngestor.Start(Store, Catalog, Options(chunkSize: 2));
        var returned = new List<IReadOnlyList<OfferIngestionResult>>();
        // One company per id: the same text in one company would be a repost.
        foreach (var id in new[] { "1", "2", "3", "1", "5" }) returned.Add(ingestor.Add(Offer(id, company: "Company " + id)));
        returned.Add(ingestor.Complete());

        // Chunk {1,2} is written once chunk {3,1} is full; {3,1} and the last, partial {5} at Complete.
        Assert.Equal([0, 0, 0, 2, 0, 3], returned.Select(r => r.Count));
        var results = returned.SelectMany(r => r).ToList();
        Assert.Equal(["1", "2", "3", "1", "5"], results.Select(r => r.ProviderOfferId));
        Assert.Equal([IngestionOutcome.Inserted, IngestionOutcome.Inserted, IngestionOutcome.Inserted, IngestionOutcome.Updated,
            IngestionOutcome.Inserted], results.Select(r => r.Outcome));
        Assert.All(results.Where(r => r.Outcome == IngestionOutcome.Inserted), r => Assert.NotNull(r.Score));
        AssertRun(ingestor.Run, RunStatus.Success, received: 5, inserted: 4, updated: 1, scored: 4);
    }

    [Fact]
    public void Disposing_an_unfinished_ingestor_finishes_its_run_as_cancelled()
    {
        long runId;
        using (var ingestor = OfferIngestor.Start(Store, Catalog, Options(chunkSize: 1)))
        {
            Assert.Empty(ingestor.Add(Offer("1")));
            // Chunks are pipelined: the first is written when the second is full, which is then being prepared.
            Assert.Equal(["1"], ingestor.Add(Offer("2", company: "Beta")).Select(r => r.ProviderOfferId));
            ingestor.Add(Offer("3", company: "Gamma"));
            runId = ingestor.Run.RunId;
        }
        var run = Store.Runs.Get(runId)!;
        // What was committed stays; the chunk prepared but not yet written is dropped, like a buffered one.
        AssertRun(run, RunStatus.Cancelled, received: 2, inserted: 2, error: "Cancelled after 2 committed chunk(s)");
        Assert.Equal(["1", "2"], Strings("SELECT provider_offer_id FROM offers ORDER BY id"));
    }

    [Fact]
    public void A_chunk_the_store_refuses_fails_the_run_and_keeps_the_chunks_before_it()
    {
        // The second chunk cannot be written (its companies cannot be recorded in the run).
        Execute("""
            CREATE TRIGGER fail_run_companies BEFORE INSERT ON ingestion_run_companies WHEN (SELECT count(*) FROM offers) > 2
            BEGIN SELECT RAISE(ABORT, 'injected run failure'); END
            """);
        using var ingestor = OfferIngestor.Start(Store, Catalog, Options(chunkSize: 2));

        var offers = Enumerable.Range(1, 6).Select(i => Offer("o" + i, "Company " + i, title: "Puesto " + i, description: UniqueText(i)));
        var error = Assert.ThrowsAny<Exception>(() => ingestor.Ingest(offers));

        Assert.Contains("injected run failure", error.Message);
        AssertRun(ingestor.Run, RunStatus.Failed, received: 2, inserted: 2, error: "injected run failure");
        Assert.Equal(["o1", "o2"], Strings("SELECT provider_offer_id FROM offers ORDER BY id"));
        Assert.Equal(2, Count("matches"));
    }

    [Fact]
    public void A_source_that_fails_midway_gets_what_it_delivered_committed_in_a_failed_run()
    {
        using var ingestor = OfferIngestor.Start(Store, Catalog, Options(chunkSize: 200));

        // A fetch that InfoJobs refuses after three offers: less than a chunk was delivered.
        static IEnumerable<Offer> Refused(IEnumerable<Offer> delivered)
        {
            foreach (var offer in delivered) yield return offer;
            throw new InvalidOperationException("the source broke");
        }
        var error = Assert.Throws<InvalidOperationException>(() => ingestor.Ingest(Refused(DistinctOffers(3))));

        Assert.Equal("the source broke", error.Message);
        AssertRun(ingestor.Run, RunStatus.Failed, received: 3, inserted: 3, error: "the source broke");
        Assert.Equal(["o1", "o2", "o3"], Strings("SELECT provider_offer_id FROM offers ORDER BY id"));
    }

    [Fact]
    public void Runs_left_running_by_a_dead_process_are_marked_abandoned_by_the_next_run()
    {
        // A process id that cannot be running: above the largest pid Linux, macOS and Windows hand out.
        var deadOwner = $"{Environment.MachineName}:2147483600:1700000000000";
        Execute($"INSERT INTO ingestion_runs (owner, started_at, status, received) VALUES ('{deadOwner}', '2024-04-30T10:00:00.000Z', 'running', 7)");
        var deadRun = Scalar<long>("SELECT max(id) FROM ingestion_runs");

        using var ingestor = OfferIngestor.Start(Store, Catalog, Options());

        Assert.Equal(deadRun, Assert.Single(ingestor.AbandonedRuns).RunId);
        Assert.Equal($"Run {deadRun} was left running by a process that ended ({deadOwner}); it is now marked abandoned.",
            Assert.Single(ingestor.AbandonedRunWarnings));
        var abandoned = Store.Runs.Get(deadRun)!;
        Assert.Equal((RunStatus.Abandoned, T0, 7), (abandoned.Status, abandoned.FinishedAt, abandoned.Received));
        Assert.Contains(deadOwner, abandoned.ErrorMessage);
        Assert.Equal(RunStatus.Running, Store.Runs.Get(ingestor.Run.RunId)!.Status);
        ingestor.Complete();
    }

    [Fact]
    public void An_invalid_catalog_fails_the_run_before_any_offer_is_touched()
    {
        var catalogPath = Folder.File("bad-catalog.json");
        File.WriteAllText(catalogPath, """{ "version": "9.9.9", "categories": [ { "id": "" } ], "keywords": [] }""");

        var error = Assert.Throws<CatalogException>(() => OfferIngestor.Start(Store, () => CompiledCatalog.Load(catalogPath), Options()));

        Assert.Equal(CatalogException.Invalid, error.ErrorId);
        var run = Assert.Single(Store.Runs.List());
        Assert.Equal((RunStatus.Failed, 0, (string?)null), (run.Status, run.Received, run.CatalogVersion));
        Assert.Contains("is invalid", run.ErrorMessage);
        Assert.NotNull(run.FinishedAt);
        Assert.Equal(0, Count("offers"));
    }

    [Fact]
    public void Invalid_offers_are_skipped_with_their_reason_and_the_run_goes_on()
    {
        var noUrl = Offer("2");
        noUrl.Url = "/relative/of-i2";
        var noTitle = Offer("3", title: " ");
        var (run, results) = Ingest([Offer("1"), noUrl, noTitle, Offer("", title: "x")]);

        AssertRun(run, RunStatus.Success, received: 4, inserted: 1, invalid: 3);
        Assert.Contains("absolute", results[1].Reason);
        Assert.Contains("Title", results[2].Reason);
        Assert.Contains("ProviderOfferId", results[3].Reason);
        Assert.Equal(1, Count("offers"));
    }

    [Fact]
    public void Offers_of_a_company_with_a_final_resolution_are_skipped_and_nothing_is_written_for_them()
    {
        Ingest([Offer("1")]);
        var company = CompanyOf("1");
        Store.Companies.UpdateResolution(company, Resolution.AlreadyClient, T0);
        Clock.Now += TimeSpan.FromDays(1);

        var (run, results) = Ingest([Offer("1"), Offer("2", title: "Contable", description: PlainText), Offer("3", company: "Beta")]);

        AssertRun(run, RunStatus.Success, received: 3, inserted: 1, resolved: 2);
        Assert.Equal([IngestionOutcome.SkippedResolved, IngestionOutcome.SkippedResolved, IngestionOutcome.Inserted], results.Select(r => r.Outcome));
        Assert.Equal(company, results[0].CompanyId);
        Assert.Equal(2, Count("offers"));
        Assert.Equal(StoreTime.ToText(T0), Scalar<string>($"SELECT last_seen_at FROM offers WHERE provider_offer_id = '1'"));
        Assert.DoesNotContain(company, run.AffectedCompanyIds);
    }

    [Fact]
    public void Fetch_statistics_and_query_key_of_the_offers_are_recorded_in_the_run()
    {
        var fetch = new FetchStatistics { QueryKey = "madrid-finance", OffersListed = 40, DetailsFetched = 2, TruncationReason = "max_pages" };
        fetch.AddPage();
        fetch.AddRequest(1000);
        fetch.AddRequest(500);
        fetch.AddRateLimited();
        fetch.AddRetry();
        var offers = new[] { Offer("1"), Offer("2", company: "Beta") };
        foreach (var offer in offers) offer.Fetch = fetch;

        var (run, _) = Ingest(offers);

        var stored = Store.Runs.Get(run.RunId)!;
        Assert.Equal(("madrid-finance", 1, 2, 1, 1, 1500L, 40, 2, "max_pages"),
            (stored.QueryKey, stored.Pages, stored.Requests, stored.RateLimited, stored.Retries, stored.Bytes, stored.OffersListed,
                stored.DetailsFetched, stored.TruncationReason));
        AssertRun(run, RunStatus.Success, received: 2, inserted: 2);
    }

    [Fact]
    public void Fetch_statistics_given_in_the_options_are_recorded_in_a_run_that_received_no_offer()
    {
        // A first page answering 429 after its retries: no offer carries the statistics, the run must still have them.
        var fetch = new FetchStatistics { QueryKey = "madrid-finance", TruncationReason = "rate_limited" };
        for (var i = 0; i < 5; i++) { fetch.AddRequest(0); fetch.AddRateLimited(); }
        for (var i = 0; i < 4; i++) fetch.AddRetry();

        var (run, _) = Ingest([], Options() with { Fetch = fetch, Provider = "infojobs" });

        var stored = Store.Runs.Get(run.RunId)!;
        Assert.Equal(("infojobs", "madrid-finance", 0, 5, 5, 4, "rate_limited"),
            (stored.Provider, stored.QueryKey, stored.Pages, stored.Requests, stored.RateLimited, stored.Retries, stored.TruncationReason));
        AssertRun(run, RunStatus.Success, received: 0);
    }

    [Fact]
    public void A_company_history_is_read_once_per_run_whatever_its_size()
    {
        using var ingestor = OfferIngestor.Start(Store, Catalog, Options(chunkSize: 7));
        var run = ingestor.Ingest(DistinctOffers(60));

        AssertRun(run, RunStatus.Success, received: 60, inserted: 60);
        Assert.Equal(1, ingestor.RepostIndexLoads);
    }

    private string Rows(string sql)
    {
        using var command = Sql.CreateCommand();
        command.CommandText = sql + " ORDER BY 1, 2";
        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read())
            lines.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : reader.GetValue(i).ToString())));
        return string.Join("\n", lines);
    }

    private List<string> Strings(string sql)
    {
        using var command = Sql.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read()) values.Add(reader.GetString(0));
        return values;
    }
}

using JobSignal.Core.Aggregation;
using JobSignal.Core.Domain;
using JobSignal.Core.Ingestion;
using JobSignal.Core.Store;

namespace JobSignal.Core.Tests.Ingestion;

/// <summary>Reposts end to end (SPEC 5.4): offers ingested into a real store, decisions read back from its rows.</summary>
public class RepostIngestionTests : IngestionTestBase
{
    // 40 distinct words: a variant with k words replaced shares (40 - k) / 40 of its tokens with this one.
    private static readonly string[] Words =
    [
        "empresa", "lider", "sector", "logistico", "busca", "responsable", "almacen", "para", "coordinar", "equipo",
        "recepcion", "mercancia", "control", "inventario", "expediciones", "diarias", "gestion", "proveedores",
        "transportistas", "planificacion", "turnos", "seguridad", "laboral", "mejora", "continua", "procesos",
        "indicadores", "calidad", "servicio", "cliente", "interno", "formacion", "personal", "nuevo", "uso",
        "sistema", "informatico", "propio", "jornada", "completa",
    ];

    private static string Text(int replaced = 0) =>
        string.Join(" ", Words.Take(Words.Length - replaced).Concat(Enumerable.Range(1, replaced).Select(i => "distinto" + i)));

    private IReadOnlyList<OfferIngestionResult> IngestOne(Offer offer) => Ingest([offer]).Results;

    [Fact]
    public void The_same_content_under_a_new_id_is_a_repost_counted_on_the_canonical_offer()
    {
        IngestOne(Offer("1", title: "Responsable de almacén", description: Text()));
        Clock.Now += TimeSpan.FromDays(3);
        // Case, accents and punctuation do not change the normalized content, so the fingerprints are equal.
        var (run, results) = Ingest([Offer("2", title: "RESPONSABLE DE ALMACEN!", description: Text().ToUpperInvariant() + ".")]);

        AssertRun(run, RunStatus.Success, received: 1, reposts: 1);
        var canonical = OfferIdOf("1");
        Assert.Equal((IngestionOutcome.Repost, canonical), (results[0].Outcome, results[0].OfferId));
        Assert.Contains("Fingerprint", results[0].Reason);
        Assert.Null(results[0].Score);
        Assert.Equal(1, Count("offers"));
        Assert.Equal(1, Count("matches"));
        var offer = Store.Offers.Get(canonical)!;
        Assert.Equal((1, T0.AddDays(3), "2", T0), (offer.RepostCount, offer.LastSeenAt, offer.LastSeenProviderOfferId, offer.FirstSeenAt));
        Assert.Equal(new[] { offer.CompanyId }, run.AffectedCompanyIds);
    }

    [Fact]
    public void A_strong_vacancy_published_again_moves_its_last_strong_signal_to_the_new_publication()
    {
        IngestOne(Offer("old", published: T0.AddDays(-60)));
        Clock.Now += TimeSpan.FromDays(59);
        var repost = IngestOne(Offer("new", published: T0.AddDays(-1)))[0];
        var canonical = OfferIdOf("old");
        Assert.Equal((IngestionOutcome.Repost, canonical), (repost.Outcome, repost.OfferId));

        // The canonical offer keeps its own publication and gets the repost's as its latest one.
        var offer = Store.Offers.Get(canonical)!;
        Assert.Equal((T0.AddDays(-60), T0.AddDays(-1)), (offer.PublishedAt, offer.RepublishedAt));
        var company = new AggregationRunner(Store).Aggregate([offer.CompanyId]).Single().Company!;
        Assert.Equal((T0.AddDays(-1), 2), (company.LastStrongAt, company.OfferCount));
        Assert.Equal([company.CompanyId], Store.Companies.List(new CompanyFilter
        {
            Since = T0.AddDays(-7), SinceField = CompanySince.LastStrong,
        }).Select(c => c.CompanyId));

        // The repost seen again from an older archived payload does not take its publication back; a later
        // publication of the same repost id moves it on.
        IngestOne(Offer("new", published: T0.AddDays(-30)));
        Assert.Equal(T0.AddDays(-1), Store.Offers.Get(canonical)!.RepublishedAt);
        IngestOne(Offer("new", published: T0));
        Assert.Equal(T0, Store.Offers.Get(canonical)!.RepublishedAt);
    }

    [Fact]
    public void A_repost_that_leaves_its_canonical_offer_takes_its_publication_with_it()
    {
        IngestOne(Offer("1", title: "Responsable de almacén", description: Text(), published: T0.AddDays(-40)));
        IngestOne(Offer("2", title: "Responsable de almacén", description: Text(), published: T0.AddDays(-20)));
        IngestOne(Offer("3", title: "Responsable de almacén", description: Text(), published: T0.AddDays(-5)));
        var canonical = OfferIdOf("1");
        Assert.Equal(T0.AddDays(-5), Store.Offers.Get(canonical)!.RepublishedAt);

        IngestOne(Offer("3", title: "Conductor de reparto", description: UniqueText(3), published: T0.AddDays(-5)));

        Assert.Equal((1, T0.AddDays(-20)), (Store.Offers.Get(canonical)!.RepostCount, Store.Offers.Get(canonical)!.RepublishedAt));
    }

    [Fact]
    public void A_repost_id_that_comes_back_with_another_vacancy_leaves_its_canonical_offer_and_is_stored_as_new()
    {
        IngestOne(Offer("1", title: "Responsable de almacén", description: Text()));
        Clock.Now += TimeSpan.FromDays(1);
        Assert.Equal(IngestionOutcome.Repost, IngestOne(Offer("2", title: "Responsable de almacén", description: Text()))[0].Outcome);
        var canonical = OfferIdOf("1");

        // Seen again as it was: still the same vacancy, the canonical offer keeps it.
        Clock.Now += TimeSpan.FromDays(1);
        var again = IngestOne(Offer("2", title: "Responsable de almacén", description: Text()))[0];
        Assert.Equal((IngestionOutcome.Updated, canonical), (again.Outcome, again.OfferId));
        Assert.Contains("Known repost", again.Reason);
        Assert.Equal(1, Store.Offers.Get(canonical)!.RepostCount);

        // Rewritten into another vacancy: its own offer, scored, and the canonical offer counts no repost of it any more.
        Clock.Now += TimeSpan.FromDays(1);
        var (run, results) = Ingest([Offer("2", title: "Tesorero internacional", description: StrongText)]);

        AssertRun(run, RunStatus.Success, received: 1, inserted: 1, scored: 1);
        Assert.Equal(IngestionOutcome.Inserted, results[0].Outcome);
        Assert.NotEqual(canonical, results[0].OfferId);
        Assert.True(results[0].Score > 5);
        Assert.Equal(0, Store.Offers.Get(canonical)!.RepostCount);
        Assert.Equal(0, Count("offer_reposts"));
        Assert.Equal(2, Count("offers"));
        Assert.Equal([Store.Offers.Get(canonical)!.CompanyId], run.AffectedCompanyIds);

        // And it is a known offer of its own from then on.
        Clock.Now += TimeSpan.FromDays(1);
        var last = IngestOne(Offer("2", title: "Tesorero internacional", description: StrongText))[0];
        Assert.Equal((IngestionOutcome.Updated, results[0].OfferId), (last.Outcome, last.OfferId));
    }

    [Fact]
    public void Same_title_and_a_description_similar_enough_is_a_repost_but_not_under_another_title()
    {
        IngestOne(Offer("1", title: "Responsable de almacén", description: Text()));

        // 35 of 40 tokens in common: 0.875, at least the 0.85 of equal titles, below the 0.90 of any title.
        var sameTitle = IngestOne(Offer("2", title: "Responsable de almacén", description: Text(replaced: 5)));
        var otherTitle = IngestOne(Offer("3", title: "Jefe de equipo de almacén", description: Text(replaced: 5)));

        Assert.Equal((IngestionOutcome.Repost, OfferIdOf("1")), (sameTitle[0].Outcome, sameTitle[0].OfferId));
        Assert.Contains("TitleAndDescription, similarity 0.88", sameTitle[0].Reason);
        Assert.Equal(IngestionOutcome.Inserted, otherTitle[0].Outcome);
        Assert.Equal(2, Count("offers"));
    }

    [Fact]
    public void A_very_similar_description_is_a_repost_whatever_the_title()
    {
        IngestOne(Offer("1", title: "Responsable de almacén", description: Text()));

        var result = IngestOne(Offer("2", title: "Encargado/a de logística", description: Text(replaced: 2)));

        Assert.Equal((IngestionOutcome.Repost, OfferIdOf("1")), (result[0].Outcome, result[0].OfferId));
        Assert.Contains("Description, similarity 0.95", result[0].Reason);
    }

    [Fact]
    public void The_same_generic_title_for_another_vacancy_is_not_merged()
    {
        IngestOne(Offer("1", title: "Administrativo/a", description: Text()));

        var result = IngestOne(Offer("2", title: "Administrativo/a", description: Text(replaced: 10)));

        Assert.Equal(IngestionOutcome.Inserted, result[0].Outcome);
        Assert.Equal(2, Count("offers", "repost_count = 0"));
    }

    [Fact]
    public void An_offer_without_description_is_a_repost_only_of_the_same_title_seen_in_the_last_30_days()
    {
        IngestOne(Offer("recent", title: "Mozo de almacén", description: Text()));
        var recent = IngestOne(Offer("2", title: "Mozo de almacén", description: null));
        Assert.Equal((IngestionOutcome.Repost, OfferIdOf("recent")), (recent[0].Outcome, recent[0].OfferId));

        Clock.Now += TimeSpan.FromDays(31);
        var stale = IngestOne(Offer("3", title: "Mozo de almacén", description: null));
        Assert.Equal(IngestionOutcome.Inserted, stale[0].Outcome);
    }

    [Fact]
    public void Canonical_offers_last_seen_outside_the_repost_window_are_not_candidates()
    {
        IngestOne(Offer("1", title: "Responsable de almacén", description: Text()));
        Clock.Now += TimeSpan.FromDays(181);

        var late = IngestOne(Offer("2", title: "Responsable de almacén", description: Text()));
        Assert.Equal(IngestionOutcome.Inserted, late[0].Outcome);

        // A shorter window, as the option sets it, excludes what the default includes.
        Clock.Now += TimeSpan.FromDays(20);
        var (_, results) = Ingest([Offer("3", title: "Responsable de almacén", description: Text())],
            Options() with { RepostWindow = TimeSpan.FromDays(10) });
        Assert.Equal(IngestionOutcome.Inserted, results[0].Outcome);
    }

    [Fact]
    public void Reposts_within_one_chunk_find_the_offer_inserted_earlier_in_that_chunk()
    {
        var (run, results) = Ingest([
            Offer("1", title: "Responsable de almacén", description: Text()),
            Offer("2", title: "Responsable de almacén", description: Text(replaced: 1)),
            Offer("3", title: "Responsable de almacén", description: Text()),
        ]);

        AssertRun(run, RunStatus.Success, received: 3, inserted: 1, reposts: 2);
        Assert.All(results.Skip(1), r => Assert.Equal(OfferIdOf("1"), r.OfferId));
        var offer = Store.Offers.Get(OfferIdOf("1"))!;
        Assert.Equal((2, "3"), (offer.RepostCount, offer.LastSeenProviderOfferId));
    }

    [Fact]
    public void A_vacancy_another_process_stored_during_the_run_is_recognised_when_reposted()
    {
        using var ingestor = OfferIngestor.Start(Store, Catalog, Options(chunkSize: 1));
        // Chunk {1} is written when chunk {2} is full: the run has then read the company's history (offer 1).
        ingestor.Add(Offer("1", title: "Responsable de almacén", description: UniqueText(1)));
        ingestor.Add(Offer("2", title: "Contable", description: UniqueText(2)));
        // Meanwhile another process (another connection to the same file) stores a new vacancy of the company.
        using (var other = SignalStore.Open(DatabasePath, new StoreOptions { Clock = Clock }))
        {
            var elsewhere = OfferIngestor.Start(other, Catalog).Ingest([Offer("9", title: "Cajero", description: UniqueText(9))]);
            Assert.Equal(1, elsewhere.Inserted);
        }

        ingestor.Add(Offer("3", title: "Cajero", description: UniqueText(9)));
        var results = ingestor.Complete();

        var repost = Assert.Single(results, r => r.ProviderOfferId == "3");
        Assert.Equal((IngestionOutcome.Repost, OfferIdOf("9")), (repost.Outcome, repost.OfferId));
        AssertRun(ingestor.Run, RunStatus.Success, received: 3, inserted: 2, reposts: 1);
        Assert.Equal(1, ingestor.RepostIndexResets);
    }

    [Fact]
    public void Reposts_are_found_when_the_index_budget_drops_companies_and_reads_them_back()
    {
        // A budget of one offer: every company's index is dropped as soon as another's is needed, then rebuilt from
        // the store when the company comes back; candidates are verified against the signatures the store keeps.
        string[] companies = ["Alfa", "Beta", "Gamma"];
        var offers = new List<Offer>();
        for (var round = 0; round < 4; round++)
        {
            foreach (var company in companies)
                offers.Add(Offer($"{company}-{round}", company, title: $"Puesto {round}", description: UniqueText(10 * round + company.Length)));
        }
        foreach (var company in companies)
        {
            offers.Add(Offer($"{company}-same", company, title: "Puesto 1", description: UniqueText(10 + company.Length)));
            offers.Add(Offer($"{company}-edited", company, title: "Otro puesto", description: UniqueText(30 + company.Length) + " urgente"));
        }
        var results = new List<OfferIngestionResult>();
        using var ingestor = OfferIngestor.Start(Store, Catalog, Options(chunkSize: 5) with { RepostIndexBudget = 1 });

        var run = ingestor.Ingest(offers, results.Add);

        AssertRun(run, RunStatus.Success, received: 18, inserted: 12, reposts: 6);
        foreach (var company in companies)
        {
            Assert.Equal(OfferIdOf($"{company}-1"), results.Single(r => r.ProviderOfferId == $"{company}-same").OfferId);
            Assert.Equal(OfferIdOf($"{company}-3"), results.Single(r => r.ProviderOfferId == $"{company}-edited").OfferId);
        }
        Assert.True(ingestor.RepostIndexLoads > companies.Length, $"{ingestor.RepostIndexLoads} loads");
    }

    [Theory]
    [InlineData("x'00ff'")]
    [InlineData("NULL")]
    public void A_candidate_whose_stored_signature_is_damaged_or_gone_gives_way_and_the_run_goes_on(string stored)
    {
        // The company's index holds offer 1 from the first chunk on; once that chunk is committed, its stored
        // signature is damaged (or removed), so verifying it as a candidate reads back what the store now has.
        var chunks = 0;
        var options = Options(chunkSize: 1) with
        {
            ChunkCommitted = _ =>
            {
                if (++chunks == 1) Execute($"UPDATE offers SET content_signature = {stored} WHERE provider_offer_id = '1'");
            },
        };

        var results = new List<OfferIngestionResult>();
        using var ingestor = OfferIngestor.Start(Store, Catalog, options);
        var run = ingestor.Ingest([
            Offer("1", title: "Responsable de almacén", description: Text()),
            Offer("2", title: "Responsable de almacén", description: Text()),
            Offer("3", title: "Responsable de almacén", description: Text()),
        ], results.Add);

        AssertRun(run, RunStatus.Success, received: 3, inserted: 2, reposts: 1);
        Assert.Equal([IngestionOutcome.Inserted, IngestionOutcome.Inserted, IngestionOutcome.Repost], results.Select(r => r.Outcome));
        Assert.Equal(OfferIdOf("2"), results[2].OfferId);
        // A damaged signature is reported; one that is simply not there (NULL) is not damage.
        Assert.Equal(stored == "NULL" ? [] : [OfferIdOf("1")], ingestor.OffersWithUnreadableSignatures);
    }

    [Fact]
    public void A_damaged_signature_read_when_the_company_is_loaded_is_reported_and_ingesting_the_offer_again_mends_it()
    {
        Ingest([Offer("1", title: "Responsable de almacén", description: Text())]);
        Execute("UPDATE offers SET content_signature = x'00ff' WHERE provider_offer_id = '1'");

        using (var ingestor = OfferIngestor.Start(Store, Catalog, Options()))
        {
            var run = ingestor.Ingest([Offer("2", title: "Responsable de almacén", description: Text())]);
            AssertRun(run, RunStatus.Success, received: 1, inserted: 1);
            Assert.Equal([OfferIdOf("1")], ingestor.OffersWithUnreadableSignatures);
            Assert.StartsWith($"1 stored offer(s) have a content signature that could not be read (offer id(s) {OfferIdOf("1")})",
                ingestor.UnreadableSignaturesWarning);
        }

        using (var ingestor = OfferIngestor.Start(Store, Catalog, Options()))
        {
            var run = ingestor.Ingest([
                Offer("1", title: "Responsable de almacén", description: Text()),
                Offer("3", title: "Responsable de almacén", description: Text()),
            ]);
            AssertRun(run, RunStatus.Success, received: 2, updated: 1, reposts: 1);
            Assert.Empty(ingestor.OffersWithUnreadableSignatures);
            Assert.Null(ingestor.UnreadableSignaturesWarning);
        }
    }

    [Fact]
    public void Reposts_are_per_company()
    {
        var (run, _) = Ingest([
            Offer("1", company: "Acme", title: "Responsable de almacén", description: Text()),
            Offer("2", company: "Beta", title: "Responsable de almacén", description: Text()),
        ]);

        AssertRun(run, RunStatus.Success, received: 2, inserted: 2);
    }

    [Fact]
    public void Repost_counts_and_last_seen_make_the_activity_weighted_offer_count()
    {
        IngestOne(Offer("a1", title: "Responsable de almacén", description: Text()));
        Clock.Now += TimeSpan.FromDays(1);
        IngestOne(Offer("b1", title: "Tesorero internacional", description: StrongText));
        Clock.Now += TimeSpan.FromDays(1);
        IngestOne(Offer("a2", title: "Responsable de almacén", description: Text(replaced: 1)));
        Clock.Now += TimeSpan.FromDays(1);
        var (run, _) = Ingest([Offer("a3", title: "Responsable de almacén", description: Text()), Offer("a2", title: "x", description: Text())]);

        AssertRun(run, RunStatus.Success, received: 2, reposts: 1, updated: 1);
        var canonical = Store.Offers.Get(OfferIdOf("a1"))!;
        Assert.Equal((2, T0.AddDays(3)), (canonical.RepostCount, canonical.LastSeenAt));

        var result = Assert.Single(new AggregationRunner(Store).Aggregate([canonical.CompanyId]));
        Assert.Equal(CompanyAggregationStatus.Aggregated, result.Status);
        var company = result.Company!;
        Assert.Equal((4, 2), (company.OfferCount, company.UniqueOffers));
        Assert.Equal(T0.AddDays(3), company.LastSeenAt);
    }
}

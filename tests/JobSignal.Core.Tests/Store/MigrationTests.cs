using Dapper;
using JobSignal.Core.Aggregation;
using JobSignal.Core.Catalog;
using JobSignal.Core.Ingestion;
using JobSignal.Core.Signal;
using JobSignal.Core.Store;
using Microsoft.Data.Sqlite;

namespace JobSignal.Core.Tests.Store;

public class MigrationTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>Every version a store may have been left at by an earlier JobSignal: 0 (empty) up to the latest but one.</summary>
    public static TheoryData<int> EarlierVersions()
    {
        var data = new TheoryData<int>();
        for (var version = 0; version < SignalStore.LatestSchemaVersion; version++) data.Add(version);
        return data;
    }

    [Fact]
    public void Versions_are_numbered_one_by_one_with_names()
    {
        Assert.Equal(Enumerable.Range(1, StoreMigrations.All.Count), StoreMigrations.All.Select(m => m.Version));
        Assert.All(StoreMigrations.All, m => Assert.False(string.IsNullOrWhiteSpace(m.Name)));
        Assert.Equal(StoreMigrations.All[^1].Version, SignalStore.LatestSchemaVersion);
    }

    [Fact]
    public void The_company_keyed_reads_of_offers_go_through_the_one_company_index_left()
    {
        using var store = SignalStore.Open(_folder.File("plans.db"));
        string Plan(string sql) => string.Join(" / ", store.Connection.Query("EXPLAIN QUERY PLAN " + sql).Select(row => (string)row.detail));

        var indexes = store.Connection.Query<string>("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'offers' AND sql IS NOT NULL");
        Assert.Equal(["ix_offers_aggregation"], indexes);
        // Repost candidates of a company (loaded once per company and run), in offer id order without a sort.
        var candidates = Plan("SELECT id, content_signature FROM offers WHERE company_id = 1 AND canonical_offer_id IS NULL AND last_seen_at >= '2025' ORDER BY id");
        Assert.Contains("USING INDEX ix_offers_aggregation (company_id=?)", candidates);
        Assert.DoesNotContain("TEMP B-TREE", candidates);
        // Get-SignalOffer -CompanyId.
        Assert.Contains("ix_offers_aggregation", Plan("SELECT * FROM offers o WHERE o.company_id IN (1, 2) AND o.canonical_offer_id IS NULL"));
        // Get-SignalCompany -Keyword: each company's offers through the index, never a scan of every offer per company.
        var keyword = Plan("SELECT c.id FROM companies c WHERE " + CompanyRepository.KeywordCondition.Replace("@keyword", "'%usd%'"));
        Assert.Contains("SEARCH o USING INDEX ix_offers_aggregation (company_id=?)", keyword);
        Assert.DoesNotContain("SCAN o", keyword);
    }

    [Theory]
    [MemberData(nameof(EarlierVersions))]
    public void A_store_of_an_earlier_version_is_migrated_to_the_latest_and_keeps_its_data(int version)
    {
        var path = _folder.File($"v{version}.db");
        using (var old = SignalStore.Open(path, null, version))
        {
            Assert.Equal(version, old.SchemaVersion);
            Assert.Equal(version, old.AppliedMigrations().Count);
            SeedAt(old.Connection, version);
        }

        using var store = SignalStore.Open(path);

        Assert.Equal(SignalStore.LatestSchemaVersion, store.SchemaVersion);
        Assert.Equal(Enumerable.Range(1, SignalStore.LatestSchemaVersion).Select(v => (long)v), store.AppliedMigrations().Select(m => m.Version));
        if (version >= 1)
        {
            // Aggregated before aggregation counted the strong decisions of the matches (version 6): stale, so that
            // Update-CompanyAggregation -Stale and the scheduled pipeline recompute it.
            Assert.Equal(version < 6 ? [1L] : [], store.Companies.ListStaleIds());
            var company = Assert.Single(store.Companies.List());
            Assert.Equal(("Seeded S.L.", "seeded.es"), (company.Name, company.Domain));
            // Version 7 kept each match's category points apart (from its explanation) and gave every company its
            // points per category from them, before any new aggregation.
            var seededPoints = SeededScore.Categories.ToDictionary(c => c.Id, c => c.Points);
            Assert.True(seededPoints.Count > 1);
            if (version < 7) Assert.Equal(seededPoints.OrderBy(p => p.Key), company.CategoryScores.OrderBy(p => p.Key));
            Assert.Equal(seededPoints.OrderBy(p => p.Key),
                JobSignal.Core.Store.MatchCategories.FromUtf8(System.Text.Encoding.UTF8.GetBytes(
                    store.Matches.Get(store.Offers.List().Single().OfferId)!.CategoryPointsJson!)).ToDictionary(c => c.Category, c => c.Points).OrderBy(p => p.Key));
            Assert.Equal("Seeded offer", store.Offers.List().Single().Title);
            // A match stored before its evidence terms were kept (schema 2) keeps none, and aggregates from its explanation.
            var match = store.Matches.Get(store.Offers.List().Single().OfferId)!;
            Assert.Equal((SeededScore.Score, (string?)null), (match.Score, match.EvidenceJson));
            var aggregated = new AggregationRunner(store).Aggregate([company.CompanyId]).Single();
            Assert.Equal(CompanyAggregationStatus.Aggregated, aggregated.Status);
            Assert.Equal(EvidenceTerms.Join(EvidenceTerms.Of(SeededScore)), aggregated.Company!.EvidenceTerms);
            Assert.Equal(SeededScore.TopCategory, aggregated.Company.TopCategory);
        }
        Assert.Equal(2L, store.Connection.ExecuteScalar<long>(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN ('ix_offers_aggregation', 'ix_matches_aggregation')"));
        // Version 3 dropped the indexes repost checks no longer use.
        Assert.Equal(0L, store.Connection.ExecuteScalar<long>(
            "SELECT count(*) FROM sqlite_master WHERE name IN ('ix_offers_company_fingerprint', 'ix_offers_company_title')"));
        if (version >= 1)
        {
            // A query renamed only in case before keys compared case-insensitively: its most recent state is kept,
            // with the latest success of either spelling (the renamed one's first run failed), so its window stays.
            var state = Assert.Single(store.QueryStates.List());
            Assert.Equal(("nightly", (DateTimeOffset?)new DateTimeOffset(2024, 1, 2, 0, 0, 0, TimeSpan.Zero)), (state.QueryKey, state.LastRunAt));
            Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), state.LastSuccessAt);
            Assert.Equal("nightly", store.QueryStates.Get("NIGHTLY")!.QueryKey);
        }
        // The migrated store works: a full write path runs.
        var id = store.Companies.Insert(new NewCompany("New", "new", null, false), DateTimeOffset.UtcNow);
        Assert.NotNull(store.Companies.Get(id));
        if (version >= 1)
        {
            // Reposts keep their publication (version 8), and the canonical offer its latest one.
            var seeded = store.Offers.List().Single().OfferId;
            var republished = new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero);
            store.Offers.RegisterRepost(seeded, "infojobs", "seed-1-again", republished, republished);
            Assert.Equal(republished, store.Offers.Get(seeded)!.RepublishedAt);
        }
    }

    private static readonly Lazy<SignalScore> s_seededScore = new(() =>
        new OfferScorer(CompiledCatalog.Load(Path.Combine(AppContext.BaseDirectory, "module", "catalog", "default-catalog.json")))
            .Score("Seeded offer", "Pagos internacionales en USD y GBP, cobros SWIFT y coberturas de divisa (forex).", null));

    /// <summary>The match seeded from version 1 on: a real score, whose explanation has evidence terms.</summary>
    private static SignalScore SeededScore => s_seededScore.Value;

    /// <summary>Data as a store of that version held it, written with that version's columns.</summary>
    private static void SeedAt(SqliteConnection connection, int version)
    {
        if (version < 1) return;
        connection.Execute("""
            INSERT INTO companies (id, display_name, normalized_name, website_domain, first_seen_at, last_seen_at, aggregated_at)
            VALUES (1, 'Seeded S.L.', 'seeded', 'seeded.es', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z',
                    '2024-01-02T00:00:00.000Z');
            INSERT INTO offers (company_id, provider, provider_offer_id, title, first_seen_at, last_seen_at)
            VALUES (1, 'infojobs', 'seed-1', 'Seeded offer', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z');
            INSERT INTO matches (offer_id, score, raw, is_strong, top_category, catalog_version, explanation_json, matched_at)
            SELECT id, @Score, @Raw, @Strong, @TopCategory, @CatalogVersion, @Explanation, '2024-01-01T00:00:00.000Z'
            FROM offers WHERE provider_offer_id = 'seed-1';
            """ + (version >= 7 ? "UPDATE matches SET category_points = @Categories;" : "") + (version < 5
            ? """
            INSERT INTO query_state (query_key, last_run_at, last_success_at) VALUES
                ('Nightly', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z'),
                ('nightly', '2024-01-02T00:00:00.000Z', NULL);
            """
            // From version 5 on the two spellings are one key: the state as version 5 merged them.
            : """
            INSERT INTO query_state (query_key, last_run_at, last_success_at) VALUES
                ('nightly', '2024-01-02T00:00:00.000Z', '2024-01-01T00:00:00.000Z');
            """), new
        {
            SeededScore.Score, Raw = (double)SeededScore.Raw, SeededScore.Strong, SeededScore.TopCategory,
            SeededScore.CatalogVersion, Explanation = SignalScoreJson.Serialize(SeededScore),
            Categories = MatchCategories.Of(SeededScore),
        });
    }

    [Fact]
    public void Company_names_stored_before_the_new_legal_forms_are_normalized_again_and_found_by_name()
    {
        var path = _folder.File("v8-names.db");
        using (var old = SignalStore.Open(path, null, 8))
        {
            // As schema 8's module normalized them: the cooperative's legal form kept in its name.
            old.Connection.Execute("""
                INSERT INTO companies (id, display_name, normalized_name, hidden, first_seen_at, last_seen_at) VALUES
                    (1, 'Olivar de Jaén S.C.A.', 'olivar de jaen sca', 0, '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z'),
                    (2, 'Talleres Pérez C.B.', 'talleres perez cb', 1, '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z'),
                    (3, 'Acme S.L.', 'acme', 0, '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z');
                """);
        }

        using var store = SignalStore.Open(path);

        Assert.Equal(["olivar de jaen", "talleres perez", "acme"],
            store.Connection.Query<string>("SELECT normalized_name FROM companies ORDER BY id"));
        Assert.Equal(1, Assert.Single(store.Companies.FindByNormalizedName(CompanyIdentity.NormalizeName("Olivar de Jaén, S.C.A.")!, hidden: false)).CompanyId);
    }

    [Fact]
    public void A_failing_migration_leaves_the_store_at_its_previous_version()
    {
        var path = _folder.File("broken.db");
        using (var old = SignalStore.Open(path, null, 0)) { }
        // A table the first migration wants to create already exists: the migration fails as a whole.
        using (var raw = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            raw.Open();
            raw.Execute("CREATE TABLE companies (x)");
        }
        var ex = Assert.Throws<JobSignal.Core.Common.JobSignalException>(() => SignalStore.Open(path));
        Assert.Equal(StoreErrorIds.Unusable, ex.ErrorId);
        using var check = new SqliteConnection($"Data Source={path};Pooling=False");
        check.Open();
        Assert.Equal(0L, check.ExecuteScalar<long>("PRAGMA user_version"));
        Assert.Equal(0L, check.ExecuteScalar<long>("SELECT count(*) FROM schema_migrations"));
        Assert.Equal(0L, check.ExecuteScalar<long>("SELECT count(*) FROM sqlite_master WHERE name = 'offers'"));
    }
}

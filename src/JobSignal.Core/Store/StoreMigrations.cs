using Dapper;
using JobSignal.Core.Ingestion;
using Microsoft.Data.Sqlite;

namespace JobSignal.Core.Store;

/// <summary>
/// One step of the schema: applied once, in order, inside the opening transaction. <paramref name="Code"/>, when
/// present, runs after <paramref name="Sql"/>, for data that only the module's own rules can rewrite.
/// </summary>
internal sealed record StoreMigration(int Version, string Name, string Sql, Action<SqliteConnection, SqliteTransaction>? Code = null);

/// <summary>
/// The schema's history. To change the schema, append a migration with the next version (never edit an applied
/// one): <see cref="SignalStore.Open"/> applies what a store lacks, and the migration tests walk every earlier
/// version up to the latest.
/// </summary>
internal static class StoreMigrations
{
    public static IReadOnlyList<StoreMigration> All { get; } = new[]
    {
        new StoreMigration(1, "initial schema", InitialSchema),
        new StoreMigration(2, "aggregation reads: match evidence terms, covering indexes", AggregationReads),
        new StoreMigration(3, "drop the repost lookup indexes", DropRepostLookupIndexes),
        new StoreMigration(4, "drop the company and last-seen index", DropCompanyLastSeenIndex),
        new StoreMigration(5, "query keys compare case-insensitively", CaseInsensitiveQueryKeys),
        new StoreMigration(6, "aggregation counts the strong decision stored with each match", StrongFromMatches),
        new StoreMigration(7, "per-category points of every match; company category scores over every category", CategoryPoints),
        new StoreMigration(8, "reposts keep their publication date; canonical offers the latest one", RepostPublications),
        new StoreMigration(9, "company names normalized with the current legal forms", "", RenormalizeCompanyNames),
    };

    public static int Latest => All[^1].Version;

    /// <summary>Where applied migrations are recorded; it exists before the first migration runs.</summary>
    public const string HistoryTableSql = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY,
            name       TEXT NOT NULL,
            applied_at TEXT NOT NULL
        );
        """;

    // Timestamps are UTC ISO-8601 text (StoreTime.Format); booleans are 0/1; JSON columns say so.
    private const string InitialSchema = """
        CREATE TABLE companies (
            id                    INTEGER PRIMARY KEY,
            display_name          TEXT NOT NULL,
            normalized_name       TEXT NOT NULL,
            website_domain        TEXT,
            hidden                INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
            resolution            TEXT NOT NULL DEFAULT 'PENDING' CHECK (resolution IN
                                      ('PENDING', 'IN_PROGRESS', 'HIGH_INTEREST', 'ALREADY_CLIENT', 'ACCEPTED', 'REJECTED')),
            resolution_updated_at TEXT,
            max_score             INTEGER,
            offer_count           INTEGER NOT NULL DEFAULT 0,
            unique_offer_count    INTEGER NOT NULL DEFAULT 0,
            strong_offer_count    INTEGER NOT NULL DEFAULT 0,
            avg_strong_score      REAL,
            top_offer_id          INTEGER REFERENCES offers (id),
            top_offer_url         TEXT,
            top_category          TEXT,
            category_max_scores   TEXT,             -- JSON object: category id -> max score
            last_strong_at        TEXT,
            offers_last_30_days   INTEGER NOT NULL DEFAULT 0,
            evidence_terms        TEXT,
            aggregated_at         TEXT,
            first_seen_at         TEXT NOT NULL,
            last_seen_at          TEXT NOT NULL
        );
        CREATE UNIQUE INDEX ux_companies_domain ON companies (website_domain) WHERE website_domain IS NOT NULL;
        CREATE INDEX ix_companies_normalized_name ON companies (normalized_name, hidden);
        CREATE INDEX ix_companies_max_score ON companies (max_score DESC, id);

        CREATE TABLE company_sources (
            provider            TEXT NOT NULL,
            provider_company_id TEXT NOT NULL,
            company_id          INTEGER NOT NULL REFERENCES companies (id),
            hidden              INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
            name_as_seen        TEXT,
            first_seen_at       TEXT NOT NULL,
            last_seen_at        TEXT NOT NULL,
            PRIMARY KEY (provider, provider_company_id)
        ) WITHOUT ROWID;
        CREATE INDEX ix_company_sources_company ON company_sources (company_id);

        CREATE TABLE offers (
            id                          INTEGER PRIMARY KEY,
            company_id                  INTEGER NOT NULL REFERENCES companies (id),
            provider                    TEXT NOT NULL,
            provider_offer_id           TEXT NOT NULL,
            url                         TEXT,
            title                       TEXT,
            description                 TEXT,
            requirements                TEXT,
            province                    TEXT,
            city                        TEXT,
            country                     TEXT,
            category                    TEXT,
            subcategory                 TEXT,
            contract_type               TEXT,
            work_day                    TEXT,
            experience                  TEXT,
            salary_min                  TEXT,
            salary_max                  TEXT,
            salary_period               TEXT,
            salary_description          TEXT,
            published_at                TEXT,
            provider_updated_at         TEXT,
            applications                INTEGER,
            first_seen_at               TEXT NOT NULL,
            last_seen_at                TEXT NOT NULL,
            last_seen_provider_offer_id TEXT,
            repost_count                INTEGER NOT NULL DEFAULT 0,
            canonical_offer_id          INTEGER REFERENCES offers (id),  -- null: canonical
            fingerprint                 TEXT,
            normalized_title            TEXT,
            description_token_count     INTEGER NOT NULL DEFAULT 0,
            content_signature           BLOB,                            -- opaque, owned by the repost detector
            UNIQUE (provider, provider_offer_id)
        );
        CREATE INDEX ix_offers_company_last_seen ON offers (company_id, last_seen_at);
        CREATE INDEX ix_offers_company_fingerprint ON offers (company_id, fingerprint);
        CREATE INDEX ix_offers_company_title ON offers (company_id, normalized_title);

        -- Provider ids recognised as reposts of a canonical offer: seeing one again is an update, not a new repost.
        CREATE TABLE offer_reposts (
            provider          TEXT NOT NULL,
            provider_offer_id TEXT NOT NULL,
            offer_id          INTEGER NOT NULL REFERENCES offers (id),
            first_seen_at     TEXT NOT NULL,
            last_seen_at      TEXT NOT NULL,
            PRIMARY KEY (provider, provider_offer_id)
        ) WITHOUT ROWID;
        CREATE INDEX ix_offer_reposts_offer ON offer_reposts (offer_id);

        CREATE TABLE matches (
            offer_id         INTEGER PRIMARY KEY REFERENCES offers (id),
            score            INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
            raw              REAL NOT NULL,
            is_strong        INTEGER NOT NULL CHECK (is_strong IN (0, 1)),
            top_category     TEXT,
            catalog_version  TEXT NOT NULL,
            explanation_json TEXT NOT NULL,
            matched_at       TEXT NOT NULL
        );
        CREATE INDEX ix_matches_score ON matches (score);

        CREATE TABLE ingestion_runs (
            id                   INTEGER PRIMARY KEY,
            kind                 TEXT NOT NULL DEFAULT 'ingestion' CHECK (kind IN ('ingestion', 'rescore')),
            provider             TEXT,
            query_key            TEXT,
            started_at           TEXT NOT NULL,
            finished_at          TEXT,
            status               TEXT NOT NULL DEFAULT 'running' CHECK (status IN
                                     ('running', 'success', 'failed', 'cancelled', 'abandoned')),
            error_message        TEXT,
            catalog_version      TEXT,
            owner                TEXT NOT NULL,
            received             INTEGER NOT NULL DEFAULT 0,
            inserted             INTEGER NOT NULL DEFAULT 0,
            updated              INTEGER NOT NULL DEFAULT 0,
            repost               INTEGER NOT NULL DEFAULT 0,
            skipped_no_identity  INTEGER NOT NULL DEFAULT 0,
            skipped_invalid      INTEGER NOT NULL DEFAULT 0,
            skipped_resolved     INTEGER NOT NULL DEFAULT 0,
            failed_db            INTEGER NOT NULL DEFAULT 0,
            match_failed         INTEGER NOT NULL DEFAULT 0,
            scored               INTEGER NOT NULL DEFAULT 0,
            pages                INTEGER NOT NULL DEFAULT 0,
            requests             INTEGER NOT NULL DEFAULT 0,
            rate_limited         INTEGER NOT NULL DEFAULT 0,
            retries              INTEGER NOT NULL DEFAULT 0,
            bytes                INTEGER NOT NULL DEFAULT 0,
            offers_listed        INTEGER NOT NULL DEFAULT 0,
            details_fetched      INTEGER NOT NULL DEFAULT 0,
            truncation_reason    TEXT,
            companies_aggregated INTEGER NOT NULL DEFAULT 0,
            companies_failed     INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX ix_ingestion_runs_status ON ingestion_runs (status);

        CREATE TABLE ingestion_run_companies (
            run_id     INTEGER NOT NULL REFERENCES ingestion_runs (id),
            company_id INTEGER NOT NULL REFERENCES companies (id),
            PRIMARY KEY (run_id, company_id)
        ) WITHOUT ROWID;

        CREATE TABLE query_state (
            query_key            TEXT PRIMARY KEY,
            last_run_at          TEXT,
            last_success_at      TEXT,
            consecutive_failures INTEGER NOT NULL DEFAULT 0,
            last_error           TEXT,
            last_run_id          INTEGER REFERENCES ingestion_runs (id)
        );

        CREATE TABLE run_lock (
            name        TEXT PRIMARY KEY,
            owner       TEXT NOT NULL,
            acquired_at TEXT NOT NULL,
            expires_at  TEXT NOT NULL
        );

        CREATE TABLE feedback_events (
            id         INTEGER PRIMARY KEY,
            company_id INTEGER NOT NULL REFERENCES companies (id),
            kind       TEXT NOT NULL CHECK (kind IN ('resolution', 'model_feedback')),
            value      TEXT NOT NULL,
            notes      TEXT NOT NULL DEFAULT '',
            source_row INTEGER,
            created_at TEXT NOT NULL
        );
        -- The same model feedback imported twice is one event; resolution changes are a history and may repeat.
        CREATE UNIQUE INDEX ux_feedback_model ON feedback_events (company_id, kind, value, notes)
            WHERE kind = 'model_feedback';
        CREATE INDEX ix_feedback_company ON feedback_events (company_id, created_at);
        """;

    // Aggregation reads every canonical offer and its match, and needs little of either: reading whole rows (text,
    // explanation) was most of its cost. evidence_json keeps what EvidenceTerms.Of gives for the match, as a JSON
    // array [{"term":"USD","points":2.5}, ...] (MatchEvidence); null on matches stored before this version, whose
    // terms are still derived from explanation_json. The two indexes hold everything aggregation reads (it names them
    // with INDEXED BY), so it never touches the rows but for such older matches.
    private const string AggregationReads = """
        ALTER TABLE matches ADD COLUMN evidence_json TEXT;
        CREATE INDEX ix_matches_aggregation ON matches (offer_id, score, top_category, evidence_json);
        CREATE INDEX ix_offers_aggregation ON offers
            (company_id, id, url, published_at, provider_updated_at, first_seen_at, last_seen_at, repost_count)
            WHERE canonical_offer_id IS NULL;
        """;

    // Repost checks run in memory over each company's RepostIndex, never by fingerprint or title in SQL. Both indexes
    // only cost writes: keyed by company, every chunk of offers dirtied pages all over them.
    private const string DropRepostLookupIndexes = """
        DROP INDEX ix_offers_company_fingerprint;
        DROP INDEX ix_offers_company_title;
        """;

    // ix_offers_aggregation starts with the same company id, holds last_seen_at, and covers every offer (none is
    // stored as a repost: reposts live in offer_reposts), so the repost candidates of a company are read through it
    // in offer id order. A second company-keyed index only made every chunk dirty pages all over it.
    private const string DropCompanyLastSeenIndex = """
        DROP INDEX ix_offers_company_last_seen;
        """;

    // The configuration compares query keys case-insensitively (two keys differing only in case are one duplicate),
    // so the store does too: a key whose case was changed keeps its state, and its incremental window. SQLite's
    // NOCASE folds ASCII letters. Keys stored in two cases were one query renamed: its most recent state is kept.
    private const string CaseInsensitiveQueryKeys = """
        CREATE TABLE query_state_nocase (
            query_key            TEXT PRIMARY KEY COLLATE NOCASE,
            last_run_at          TEXT,
            last_success_at      TEXT,
            consecutive_failures INTEGER NOT NULL DEFAULT 0,
            last_error           TEXT,
            last_run_id          INTEGER REFERENCES ingestion_runs (id)
        );
        INSERT INTO query_state_nocase (query_key, last_run_at, last_success_at, consecutive_failures, last_error, last_run_id)
        SELECT query_key, last_run_at, last_success_at, consecutive_failures, last_error, last_run_id FROM query_state q
        WHERE NOT EXISTS (
            SELECT 1 FROM query_state newer
            WHERE newer.query_key = q.query_key COLLATE NOCASE AND newer.rowid <> q.rowid
              AND (coalesce(newer.last_run_at, '') > coalesce(q.last_run_at, '')
                   OR (coalesce(newer.last_run_at, '') = coalesce(q.last_run_at, '') AND newer.rowid > q.rowid)));
        -- The row kept is the latest run's, but the window starts from the latest success of any of the merged keys.
        UPDATE query_state_nocase SET last_success_at = (
            SELECT max(q.last_success_at) FROM query_state q WHERE q.query_key = query_state_nocase.query_key COLLATE NOCASE);
        DROP TABLE query_state;
        ALTER TABLE query_state_nocase RENAME TO query_state;
        """;

    // Aggregation counts an offer as strong when its match says so (is_strong, decided with the threshold of the catalog
    // it was scored with; every match has one), never by the threshold of the catalog in force when it runs: the covering
    // index of aggregation's reads gets the column. Companies aggregated before counted with that other threshold: they
    // are stale (aggregated_at cleared, so Update-CompanyAggregation -Stale and the scheduled pipeline recompute them);
    // those with a final resolution keep their frozen metrics.
    private const string StrongFromMatches = """
        DROP INDEX ix_matches_aggregation;
        CREATE INDEX ix_matches_aggregation ON matches (offer_id, score, is_strong, top_category, evidence_json);
        UPDATE companies SET aggregated_at = NULL WHERE resolution NOT IN ('ALREADY_CLIENT', 'ACCEPTED', 'REJECTED');
        """;

    // A company's per-category scores cover every category that earned points in one of its offers, not only each
    // offer's top category: each match keeps its categories' points apart from its explanation, as a JSON object
    // {"category id": points} (MatchCategories), filled here from the explanations (formats 1 and 2 both list them as
    // categories[].id / .points; one that is not valid JSON is left null and read from its explanation, which then
    // reports it). The covering index of aggregation's reads gets the column. companies.category_max_scores now holds
    // each category's most points in one offer, and category_offer_scores the best score of an offer in which the
    // category earned points (what -MinScore with -Category reads); both are computed here for every company from its
    // stored matches, frozen ones too (a change of unit, not a recompute: they hold the same offers' data).
    private const string CategoryPoints = """
        ALTER TABLE matches ADD COLUMN category_points TEXT;
        UPDATE matches SET category_points = (
            SELECT json_group_object(json_extract(c.value, '$.id'), json_extract(c.value, '$.points'))
            FROM json_each(matches.explanation_json, '$.categories') c
            WHERE json_extract(c.value, '$.points') > 0)
        WHERE json_valid(explanation_json);
        DROP INDEX ix_matches_aggregation;
        CREATE INDEX ix_matches_aggregation ON matches
            (offer_id, score, is_strong, top_category, evidence_json, category_points);
        ALTER TABLE companies ADD COLUMN category_offer_scores TEXT;
        UPDATE companies SET
            category_max_scores = (
                SELECT CASE WHEN count(*) > 0 THEN json_group_object(category, points) END FROM (
                    SELECT j.key AS category, max(j.value) AS points
                    FROM offers o JOIN matches m ON m.offer_id = o.id, json_each(m.category_points) j
                    WHERE o.company_id = companies.id AND o.canonical_offer_id IS NULL
                    GROUP BY j.key)),
            category_offer_scores = (
                SELECT CASE WHEN count(*) > 0 THEN json_group_object(category, score) END FROM (
                    SELECT j.key AS category, max(m.score) AS score
                    FROM offers o JOIN matches m ON m.offer_id = o.id, json_each(m.category_points) j
                    WHERE o.company_id = companies.id AND o.canonical_offer_id IS NULL
                    GROUP BY j.key));
        """;

    // A repost is the vacancy published again: its publication date (published, else updated) is kept with it, and
    // its canonical offer keeps the latest of its reposts' (republished_at), so that the last strong signal and "most
    // recent" see the new publication, not only the first one. Aggregation reads it through its covering index.
    // Reposts stored before have no date (their provider dates were not kept): each gets one when it is seen again.
    private const string RepostPublications = """
        ALTER TABLE offer_reposts ADD COLUMN published_at TEXT;
        ALTER TABLE offers ADD COLUMN republished_at TEXT;
        DROP INDEX ix_offers_aggregation;
        CREATE INDEX ix_offers_aggregation ON offers
            (company_id, id, url, published_at, provider_updated_at, first_seen_at, last_seen_at, repost_count, republished_at)
            WHERE canonical_offer_id IS NULL;
        """;

    // The legal forms stripped from company names grew (cooperatives, C.B., S.A.T., S.R.L. ...): a company stored
    // before keeps "olivar de jaen sca" while the same name now normalizes to "olivar de jaen", so an offer naming it
    // without a provider id or website would not find it and would make a second company. Each stored name is
    // normalized again from the name shown; two companies that now share a normalized name both stay (a lookup by
    // name takes the older), as merging companies is a decision for a person.
    private static void RenormalizeCompanyNames(SqliteConnection connection, SqliteTransaction transaction)
    {
        var renamed = connection.Query<(long Id, string DisplayName, string NormalizedName)>(
                "SELECT id, display_name, normalized_name FROM companies", transaction: transaction)
            .Select(c => (c.Id, Now: CompanyIdentity.NormalizeName(c.DisplayName), Before: c.NormalizedName))
            .Where(c => c.Now is not null && c.Now != c.Before)
            .Select(c => new { c.Id, Name = c.Now })
            .ToList();
        connection.Execute("UPDATE companies SET normalized_name = @Name WHERE id = @Id", renamed, transaction);
    }
}

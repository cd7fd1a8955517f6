using Dapper;
using JobSignal.Core.Aggregation;
using JobSignal.Core.Domain;

namespace JobSignal.Core.Store;

/// <summary>Companies, their provider ids (sources), resolutions and aggregated metrics.</summary>
public sealed class CompanyRepository
{
    private readonly SignalStore _store;

    internal CompanyRepository(SignalStore store) => _store = store;

    private static readonly string[] FinalResolutions = Resolution.All.Where(Resolution.IsFinal).ToArray();

    internal const string SelectCompany = """
        SELECT c.id AS CompanyId, c.display_name AS Name, c.normalized_name, c.website_domain AS Domain, c.hidden,
               c.resolution, c.resolution_updated_at, c.max_score, c.strong_offer_count AS StrongOffers,
               c.unique_offer_count AS UniqueOffers, c.offer_count, c.avg_strong_score, c.top_offer_id,
               c.top_offer_url, c.top_category, c.category_max_scores AS CategoryScores, c.last_strong_at,
               c.evidence_terms, c.offers_last_30_days, c.aggregated_at, c.first_seen_at, c.last_seen_at
        FROM companies c
        """;

    private const string Ranking = "ORDER BY c.max_score DESC NULLS LAST, c.strong_offer_count DESC, c.last_strong_at DESC NULLS LAST, c.id";

    public Company? Get(long companyId) =>
        _store.Statement(SelectCompany + " WHERE c.id = @companyId").Set("@companyId", companyId).Rows<Company>().SingleOrDefault();

    /// <summary>The companies with these ids that exist, in id order.</summary>
    public IReadOnlyList<Company> Get(IEnumerable<long> companyIds) =>
        _store.Statement(SelectCompany + " WHERE c.id IN (SELECT value FROM json_each(@ids)) ORDER BY c.id")
            .SetList("@ids", companyIds).Rows<Company>();

    /// <summary>Which of these company ids name a company of the store.</summary>
    public IReadOnlyList<long> ExistingIds(IEnumerable<long> companyIds) =>
        _store.Statement("SELECT id FROM companies WHERE id IN (SELECT value FROM json_each(@ids))").SetList("@ids", companyIds).Rows<long>();

    /// <summary>The resolution of each of these companies that exists: all aggregation must know before recomputing.</summary>
    public IReadOnlyDictionary<long, string> Resolutions(IEnumerable<long> companyIds)
    {
        var resolutions = new Dictionary<long, string>();
        using var reader = _store.Statement("SELECT id, resolution FROM companies WHERE id IN (SELECT value FROM json_each(@ids))")
            .SetList("@ids", companyIds).ExecuteReader();
        while (reader.Read()) resolutions[reader.GetInt64(0)] = reader.GetString(1);
        return resolutions;
    }

    public Company? FindByDomain(string domain) =>
        _store.Statement(SelectCompany + " WHERE c.website_domain = @domain").Set("@domain", domain).Rows<Company>().SingleOrDefault();

    /// <summary>
    /// Companies with this normalized name and the same hidden flag (an anonymous profile never matches a real
    /// company by name, nor the reverse), oldest first.
    /// </summary>
    public IReadOnlyList<Company> FindByNormalizedName(string normalizedName, bool hidden) =>
        _store.Statement(SelectCompany + " WHERE c.normalized_name = @normalizedName AND c.hidden = @hidden ORDER BY c.id")
            .Set("@normalizedName", normalizedName).Set("@hidden", hidden).Rows<Company>();

    /// <summary>The company a provider's company id is linked to.</summary>
    public Company? FindBySource(string provider, string providerCompanyId) =>
        _store.Statement(SelectCompany + """
             JOIN company_sources s ON s.company_id = c.id
            WHERE s.provider = @provider AND s.provider_company_id = @providerCompanyId
            """).Set("@provider", provider).Set("@providerCompanyId", providerCompanyId).Rows<Company>().SingleOrDefault();

    /// <summary>Adds a company (resolution PENDING, no metrics) and returns its id.</summary>
    public long Insert(NewCompany identity, DateTimeOffset seenAt) => _store.Write(() =>
        (long)_store.Statement("""
            INSERT INTO companies (display_name, normalized_name, website_domain, hidden, first_seen_at, last_seen_at)
            VALUES (@Name, @NormalizedName, @Domain, @Hidden, @seenAt, @seenAt)
            RETURNING id
            """).Set("@Name", identity.Name).Set("@NormalizedName", identity.NormalizedName).Set("@Domain", DomainOrNull(identity.Domain))
            .Set("@Hidden", identity.Hidden).Set("@seenAt", seenAt).ExecuteScalar()!);

    /// <summary>
    /// Links a provider's company id to a company, or refreshes the link (name as seen, last seen). A provider id
    /// already linked stays with its company: the id of that company is returned.
    /// </summary>
    public long LinkSource(long companyId, string provider, string providerCompanyId, string? name, bool hidden,
        DateTimeOffset seenAt) => _store.Write(() =>
        (long)_store.Statement("""
            INSERT INTO company_sources (provider, provider_company_id, company_id, hidden, name_as_seen, first_seen_at, last_seen_at)
            VALUES (@provider, @providerCompanyId, @companyId, @hidden, @name, @seenAt, @seenAt)
            ON CONFLICT (provider, provider_company_id) DO UPDATE SET
                name_as_seen = coalesce(excluded.name_as_seen, name_as_seen),
                hidden = excluded.hidden,
                last_seen_at = max(last_seen_at, excluded.last_seen_at)
            RETURNING company_id
            """).Set("@companyId", companyId).Set("@provider", provider).Set("@providerCompanyId", providerCompanyId)
            .Set("@name", name).Set("@hidden", hidden).Set("@seenAt", seenAt).ExecuteScalar()!);

    public IReadOnlyList<CompanySource> ListSources(long companyId) =>
        _store.Connection.Query<CompanySource>(_store.Command("""
            SELECT company_id, provider, provider_company_id, hidden, name_as_seen AS Name, first_seen_at, last_seen_at
            FROM company_sources WHERE company_id = @companyId ORDER BY provider, provider_company_id
            """, new { companyId })).AsList();

    /// <summary>
    /// Gives a company known by name only its website domain (SPEC 5.5). False when it already has a domain or
    /// another company owns this one.
    /// </summary>
    public bool EnrichDomain(long companyId, string domain) => DomainOrNull(domain) is not null && _store.Write(() =>
        _store.Statement("""
            UPDATE companies SET website_domain = @domain
            WHERE id = @companyId AND website_domain IS NULL
              AND NOT EXISTS (SELECT 1 FROM companies WHERE website_domain = @domain)
            """).Set("@companyId", companyId).Set("@domain", domain).ExecuteNonQuery() == 1);

    /// <summary>A blank domain (PowerShell passes $null strings as "") is no domain: it must not claim the unique slot.</summary>
    private static string? DomainOrNull(string? domain) => string.IsNullOrWhiteSpace(domain) ? null : domain;

    /// <summary>Moves the company's last seen forward to <paramref name="seenAt"/> (never back).</summary>
    public void Touch(long companyId, DateTimeOffset seenAt) => Touch([companyId], seenAt);

    /// <summary>Moves the last seen of many companies forward (never back), in one statement (a chunk's companies).</summary>
    public void Touch(IEnumerable<long> companyIds, DateTimeOffset seenAt) => _store.Write(() =>
        _store.Statement("""
            UPDATE companies SET last_seen_at = max(last_seen_at, @seenAt)
            WHERE id IN (SELECT value FROM json_each(@ids))
            """).SetList("@ids", companyIds).Set("@seenAt", seenAt).ExecuteNonQuery());

    /// <summary>Sets the resolution (one of <see cref="Resolution.All"/>). False when the company does not exist or already had it.</summary>
    public bool UpdateResolution(long companyId, string resolution, DateTimeOffset updatedAt)
    {
        if (!Resolution.All.Contains(resolution))
            throw new ArgumentException($"'{resolution}' is not a resolution; expected one of {string.Join(", ", Resolution.All)}.", nameof(resolution));
        return _store.Write(() => _store.Connection.Execute(_store.Command("""
            UPDATE companies SET resolution = @resolution, resolution_updated_at = @updatedAt
            WHERE id = @companyId AND resolution <> @resolution
            """, new { companyId, resolution, updatedAt })) == 1);
    }

    /// <summary>
    /// Stores what <see cref="CompanyAggregator"/> computed for the company. First and last seen only ever widen.
    /// A company whose resolution is final keeps its frozen metrics: false then, and when the company does not exist.
    /// One statement: when it fails, SQLite undoes it whole and the surrounding transaction goes on, which is what
    /// lets <see cref="AggregationRunner"/> isolate a failing company without a savepoint.
    /// </summary>
    public bool SaveMetrics(long companyId, CompanyMetrics metrics, DateTimeOffset aggregatedAt) => _store.Write(() =>
        _store.Statement(SaveMetricsSql)
            .Set("@companyId", companyId).Set("@MaxScore", metrics.MaxScore).Set("@OfferCount", metrics.OfferCount)
            .Set("@UniqueOfferCount", metrics.UniqueOfferCount).Set("@StrongOfferCount", metrics.StrongOfferCount)
            .Set("@AvgStrongScore", metrics.AvgStrongScore).Set("@TopOfferId", metrics.TopOfferId)
            .Set("@TopOfferUrl", metrics.TopOfferUrl).Set("@TopCategory", metrics.TopOfferCategory)
            .Set("@CategoryScores", ScoreMap.ToJson(metrics.CategoryMaxScores, c => c.Points))
            .Set("@CategoryOfferScores", ScoreMap.ToJson(metrics.CategoryMaxScores, c => c.OfferScore))
            .Set("@LastStrongAt", metrics.LastStrongAt).Set("@RecentOfferCount", metrics.RecentOfferCount)
            .Set("@EvidenceTerms", metrics.EvidenceTerms.Count == 0 ? null : metrics.EvidenceText)
            .Set("@AggregatedAt", aggregatedAt).Set("@FirstSeenAt", metrics.FirstSeenAt).Set("@LastSeenAt", metrics.LastSeenAt)
            .ExecuteNonQuery() == 1);

    // The final resolutions are written into the text (constants, not input), so the statement is prepared once and
    // binds no list.
    private static readonly string SaveMetricsSql = $"""
            UPDATE companies SET
                max_score = @MaxScore, offer_count = @OfferCount, unique_offer_count = @UniqueOfferCount,
                strong_offer_count = @StrongOfferCount, avg_strong_score = @AvgStrongScore, top_offer_id = @TopOfferId,
                top_offer_url = @TopOfferUrl, top_category = @TopCategory, category_max_scores = @CategoryScores,
                category_offer_scores = @CategoryOfferScores,
                last_strong_at = @LastStrongAt, offers_last_30_days = @RecentOfferCount, evidence_terms = @EvidenceTerms,
                aggregated_at = @AggregatedAt,
                first_seen_at = CASE WHEN @FirstSeenAt < first_seen_at THEN @FirstSeenAt ELSE first_seen_at END,
                last_seen_at = CASE WHEN @LastSeenAt > last_seen_at THEN @LastSeenAt ELSE last_seen_at END
            WHERE id = @companyId
              AND resolution NOT IN ({string.Join(", ", FinalResolutions.Select(r => $"'{r}'"))})
            """;

    /// <summary>Ids of every company, in id order; without the final ones unless asked (what "aggregate all" needs).</summary>
    public IReadOnlyList<long> ListIds(bool includeFinal = false) =>
        _store.Connection.Query<long>(_store.Command(
            "SELECT id FROM companies WHERE @includeFinal OR resolution NOT IN @final ORDER BY id",
            new { includeFinal, final = FinalResolutions })).AsList();

    /// <summary>
    /// Ids of the companies whose metrics lag behind their offers, in id order: never aggregated, or with an offer
    /// stored or seen since their last aggregation (ingestion moves a company's last seen forward in the chunk that
    /// writes its offers, and aggregation stamps aggregated_at after it; both on the store's clock). Final ones are
    /// frozen, so never stale. What a run stopped before aggregating, or failed to aggregate, is found here.
    /// </summary>
    public IReadOnlyList<long> ListStaleIds() =>
        _store.Connection.Query<long>(_store.Command("""
            SELECT id FROM companies
            WHERE resolution NOT IN @final AND (aggregated_at IS NULL OR last_seen_at > aggregated_at)
            ORDER BY id
            """, new { final = FinalResolutions })).AsList();

    // A company's offers are found through ix_offers_aggregation, which only holds canonical offers (the only ones
    // with a match): without "canonical_offer_id IS NULL" the planner cannot use that partial index and scanned every
    // offer once per company (six minutes for a store of 100,000 offers; a fifth of a second with it).
    internal const string KeywordCondition = $"""
        ({KeywordSearch.ContainsFunction}(c.evidence_terms, @keyword) OR EXISTS (SELECT 1 FROM offers o
            LEFT JOIN matches m ON m.offer_id = o.id
            WHERE o.company_id = c.id AND o.canonical_offer_id IS NULL AND {KeywordSearch.OfferCondition}))
        """;

    /// <summary>Companies matching every filter set, best first (max score, strong offers, last strong signal).</summary>
    public IReadOnlyList<Company> List(CompanyFilter? filter = null)
    {
        filter ??= new CompanyFilter();
        var where = new List<string>();
        var parameters = new DynamicParameters();
        if (filter.CompanyIds is { } ids)
        {
            // One JSON array (AddList): a list can be longer than SQLite's limit on parameters.
            where.Add("c.id IN (SELECT value FROM json_each(@ids))");
            parameters.AddList("ids", ids);
        }
        if (filter.Category is { } category)
        {
            // The category earned points in one of the company's offers; with a minimum, one such offer scored at least
            // that (the offers Get-SignalOffer -Category -MinScore lists), so that -MinScore means an offer score here
            // too, not points of another scale.
            where.Add(filter.MinScore is null
                ? "EXISTS (SELECT 1 FROM json_each(c.category_max_scores) j WHERE j.key = @category AND j.value > 0)"
                : "EXISTS (SELECT 1 FROM json_each(c.category_offer_scores) j WHERE j.key = @category AND j.value >= @minScore)");
            parameters.Add("category", category);
        }
        else if (filter.MinScore is not null)
        {
            where.Add("c.max_score >= @minScore");
        }
        if (filter.MinScore is { } minScore) parameters.Add("minScore", minScore);
        if (!string.IsNullOrEmpty(filter.Keyword))
        {
            where.Add(KeywordCondition);
            parameters.Add("keyword", filter.Keyword);
        }
        if (filter.Resolutions is { } resolutions)
        {
            where.Add("c.resolution IN @resolutions");
            parameters.Add("resolutions", resolutions.ToArray());
        }
        if (filter.Since is { } since)
        {
            where.Add(filter.SinceField == CompanySince.LastStrong ? "c.last_strong_at >= @since" : "c.last_seen_at >= @since");
            parameters.Add("since", StoreTime.ToText(since));
        }
        if (!string.IsNullOrEmpty(filter.Name))
        {
            // Translated here first, so that a wildcard PowerShell refuses fails with its ErrorId, not inside SQLite.
            _ = WildcardMatch.ToRegex(filter.Name);
            where.Add($"{WildcardMatch.LikeFunction}(c.display_name, @name)");
            parameters.Add("name", filter.Name);
        }
        var sql = SelectCompany + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") + " " + Ranking;
        if (filter.Top is { } top)
        {
            sql += " LIMIT @top";
            parameters.Add("top", top);
        }
        return _store.Connection.Query<Company>(_store.Command(sql, parameters)).AsList();
    }
}

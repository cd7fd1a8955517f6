using Dapper;
using JobSignal.Core.Domain;
using JobSignal.Core.Ingestion;
using Microsoft.Data.Sqlite;

namespace JobSignal.Core.Store;

/// <summary>Offers: lookups by provider id, inserts and updates, reposts, and the reads of aggregation and queries.</summary>
public sealed class OfferRepository
{
    private readonly SignalStore _store;

    internal OfferRepository(SignalStore store) => _store = store;

    private const string SelectOffer = """
        SELECT o.id AS OfferId, o.company_id, c.display_name AS CompanyName, c.hidden AS CompanyHidden, o.provider,
               o.provider_offer_id, o.url,
               o.title, o.description, o.requirements, o.province, o.city, o.country, o.category, o.subcategory,
               o.contract_type, o.work_day, o.experience, o.salary_min, o.salary_max, o.salary_period,
               o.salary_description, o.published_at, o.provider_updated_at AS UpdatedAt, o.applications,
               o.first_seen_at, o.last_seen_at, o.last_seen_provider_offer_id, o.repost_count, o.republished_at, o.canonical_offer_id,
               o.fingerprint, o.normalized_title, o.description_token_count, o.content_signature,
               m.score, m.raw, m.is_strong, m.top_category, m.catalog_version, m.explanation_json AS Explanation,
               m.matched_at
        FROM offers o
        JOIN companies c ON c.id = o.company_id
        LEFT JOIN matches m ON m.offer_id = o.id
        """;

    // The ids come as one JSON array parameter, so the statement text never changes and is prepared once.
    private const string SelectKnown = """
        SELECT o.id, o.company_id, o.provider_offer_id, 0, o.fingerprint, o.provider_updated_at, m.offer_id IS NOT NULL
        FROM offers o LEFT JOIN matches m ON m.offer_id = o.id
        WHERE o.provider = @provider AND o.provider_offer_id IN (SELECT value FROM json_each(@ids))
        UNION ALL
        SELECT o.id, o.company_id, r.provider_offer_id, 1, o.fingerprint, o.provider_updated_at, m.offer_id IS NOT NULL
        FROM offer_reposts r JOIN offers o ON o.id = r.offer_id LEFT JOIN matches m ON m.offer_id = o.id
        WHERE r.provider = @provider AND r.provider_offer_id IN (SELECT value FROM json_each(@ids))
        """;

    public StoredOffer? Get(long offerId) =>
        _store.Statement(SelectOffer + " WHERE o.id = @offerId").Set("@offerId", offerId).Rows<StoredOffer>().SingleOrDefault();

    /// <summary>Which of these offer ids name an offer of the store.</summary>
    public IReadOnlyList<long> ExistingIds(IEnumerable<long> offerIds) =>
        _store.Statement("SELECT id FROM offers WHERE id IN (SELECT value FROM json_each(@ids))").SetList("@ids", offerIds).Rows<long>();

    /// <summary>
    /// Whether the store holds this provider offer's detail as of <paramref name="updatedAt"/>: its own row (not a
    /// repost id of another offer) with the same provider update date and a description. A row stored from a search
    /// list item (Get-InfojobsOffer -NoDetail, a replayed list answer) has no description, so its detail is still owed.
    /// </summary>
    public bool HasDetail(string provider, string providerOfferId, DateTimeOffset updatedAt) =>
        _store.Statement("""
            SELECT count(*) FROM offers
            WHERE provider = @provider AND provider_offer_id = @id AND provider_updated_at = @updatedAt
              AND typeof(description) <> 'null'
            """).Set("@provider", provider).Set("@id", providerOfferId).Set("@updatedAt", StoreTime.ToText(StoreTime.Truncate(updatedAt)))
            .Rows<long>()[0] > 0;

    /// <summary>
    /// The offers these provider ids belong to (their own rows, or the canonical offers they are reposts of), in one
    /// query (a chunk of incoming offers); ids the store does not know are absent from the result.
    /// </summary>
    public IReadOnlyDictionary<string, KnownOffer> Find(string provider, IEnumerable<string> providerOfferIds)
    {
        var known = new Dictionary<string, KnownOffer>(StringComparer.Ordinal);
        using var reader = _store.Statement(SelectKnown).Set("@provider", provider)
            .SetList("@ids", providerOfferIds.Distinct(StringComparer.Ordinal)).ExecuteReader();
        while (reader.Read())
        {
            var offer = new KnownOffer
            {
                OfferId = reader.GetInt64(0),
                CompanyId = reader.GetInt64(1),
                ProviderOfferId = reader.GetString(2),
                IsRepost = reader.GetInt64(3) == 1,
                Fingerprint = reader.IsDBNull(4) ? null : reader.GetString(4),
                UpdatedAt = reader.IsDBNull(5) ? null : StoreTime.Parse(reader.GetString(5)),
                HasMatch = reader.GetInt64(6) == 1,
            };
            known[offer.ProviderOfferId] = offer;
        }
        return known;
    }

    /// <summary>Stores a new canonical offer of a company and returns its id.</summary>
    public long Insert(long companyId, Offer offer, OfferContent content, DateTimeOffset seenAt) => _store.Write(() =>
        BindOffer(_store.Native(InsertSql), offer, content, seenAt).Set("@CompanyId", companyId).ExecuteInt64()!.Value);

    private const string InsertSql = """
            INSERT INTO offers (company_id, provider, provider_offer_id, url, title, description, requirements, province,
                city, country, category, subcategory, contract_type, work_day, experience, salary_min, salary_max,
                salary_period, salary_description, published_at, provider_updated_at, applications, first_seen_at,
                last_seen_at, last_seen_provider_offer_id, fingerprint, normalized_title, description_token_count,
                content_signature)
            VALUES (@CompanyId, @Provider, @ProviderOfferId, @Url, @Title, @Description, @Requirements, @Province,
                @City, @Country, @Category, @Subcategory, @ContractType, @WorkDay, @Experience, @SalaryMin, @SalaryMax,
                @SalaryPeriod, @SalaryDescription, @PublishedAt, @UpdatedAt, @Applications, @SeenAt,
                @SeenAt, @ProviderOfferId, @Fingerprint, @NormalizedTitle, @DescriptionTokenCount,
                @Signature)
            RETURNING id
            """;

    /// <summary>
    /// Refreshes a known offer from the provider's latest version (SPEC 5.4: a known id is an update): every field the
    /// offer has a value for (a null or blank field keeps the stored value: only a value replaces a value), the content
    /// keys (computed by the caller from the text stored), and last seen (forward only).
    /// </summary>
    public void Update(long offerId, Offer offer, OfferContent content, DateTimeOffset seenAt) => _store.Write(() =>
        BindOffer(_store.Native(UpdateSql), offer, content, seenAt, blankKeepsStored: true).Set("@OfferId", offerId).Execute());

    private const string UpdateSql = """
            UPDATE offers SET
                url = coalesce(@Url, url), title = coalesce(@Title, title), description = coalesce(@Description, description),
                requirements = coalesce(@Requirements, requirements), province = coalesce(@Province, province),
                city = coalesce(@City, city), country = coalesce(@Country, country), category = coalesce(@Category, category),
                subcategory = coalesce(@Subcategory, subcategory), contract_type = coalesce(@ContractType, contract_type),
                work_day = coalesce(@WorkDay, work_day), experience = coalesce(@Experience, experience),
                salary_min = coalesce(@SalaryMin, salary_min), salary_max = coalesce(@SalaryMax, salary_max),
                salary_period = coalesce(@SalaryPeriod, salary_period),
                salary_description = coalesce(@SalaryDescription, salary_description),
                published_at = coalesce(@PublishedAt, published_at), provider_updated_at = coalesce(@UpdatedAt, provider_updated_at),
                applications = coalesce(@Applications, applications),
                fingerprint = @Fingerprint, normalized_title = @NormalizedTitle,
                description_token_count = @DescriptionTokenCount, content_signature = @Signature,
                last_seen_provider_offer_id = CASE WHEN @SeenAt >= last_seen_at THEN @ProviderOfferId ELSE last_seen_provider_offer_id END,
                last_seen_at = max(last_seen_at, @SeenAt)
            WHERE id = @OfferId
            """;

    /// <summary>The title, description and requirements of a stored offer; null when there is no such offer.</summary>
    internal StoredOfferText? ReadText(long offerId)
    {
        using var reader = _store.Statement("SELECT title, description, requirements FROM offers WHERE id = @offerId")
            .Set("@offerId", offerId).ExecuteReader();
        return reader.Read()
            ? new StoredOfferText(reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2))
            : null;
    }

    /// <summary>The offer was seen again without its content (a list item): only its last seen moves forward.</summary>
    public void MarkSeen(long offerId, string providerOfferId, DateTimeOffset seenAt) => _store.Write(() =>
        _store.Statement("""
            UPDATE offers SET
                last_seen_provider_offer_id = CASE WHEN @seenAt >= last_seen_at THEN @providerOfferId ELSE last_seen_provider_offer_id END,
                last_seen_at = max(last_seen_at, @seenAt)
            WHERE id = @offerId
            """).Set("@offerId", offerId).Set("@providerOfferId", providerOfferId).Set("@seenAt", seenAt).ExecuteNonQuery());

    /// <summary>
    /// Records that <paramref name="providerOfferId"/> is a repost of the canonical offer (SPEC 5.4): the first
    /// time, its repost count goes up by one; every time, its last seen and last seen provider id move forward, and so
    /// do the repost's publication date (<paramref name="publishedAt"/>: the repost's published date, else its updated
    /// date; null when it has neither) and the canonical offer's latest republication. True when the repost was new.
    /// </summary>
    public bool RegisterRepost(long canonicalOfferId, string provider, string providerOfferId, DateTimeOffset seenAt,
        DateTimeOffset? publishedAt = null) =>
        _store.Write(() =>
        {
            var isNew = _store.Statement("""
                INSERT INTO offer_reposts (provider, provider_offer_id, offer_id, first_seen_at, last_seen_at, published_at)
                VALUES (@provider, @providerOfferId, @canonicalOfferId, @seenAt, @seenAt, @publishedAt)
                ON CONFLICT (provider, provider_offer_id) DO NOTHING
                """).Set("@provider", provider).Set("@providerOfferId", providerOfferId)
                .Set("@canonicalOfferId", canonicalOfferId).Set("@seenAt", seenAt).Set("@publishedAt", publishedAt).ExecuteNonQuery() == 1;
            // Dates only move forward (SQLite's max of a NULL is NULL, hence the coalesce): a replayed older payload
            // of the repost does not take its newer publication back.
            if (!isNew)
                _store.Statement("""
                    UPDATE offer_reposts SET last_seen_at = max(last_seen_at, @seenAt),
                        published_at = coalesce(max(published_at, @publishedAt), published_at, @publishedAt)
                    WHERE provider = @provider AND provider_offer_id = @providerOfferId
                    """).Set("@provider", provider).Set("@providerOfferId", providerOfferId).Set("@seenAt", seenAt)
                    .Set("@publishedAt", publishedAt).ExecuteNonQuery();
            _store.Statement("""
                UPDATE offers SET
                    repost_count = repost_count + @added,
                    last_seen_provider_offer_id = CASE WHEN @seenAt >= last_seen_at THEN @providerOfferId ELSE last_seen_provider_offer_id END,
                    last_seen_at = max(last_seen_at, @seenAt),
                    republished_at = coalesce(max(republished_at, @publishedAt), republished_at, @publishedAt)
                WHERE id = @canonicalOfferId
                """).Set("@canonicalOfferId", canonicalOfferId).Set("@providerOfferId", providerOfferId).Set("@seenAt", seenAt)
                .Set("@added", isNew ? 1 : 0).Set("@publishedAt", publishedAt).ExecuteNonQuery();
            return isNew;
        });

    /// <summary>
    /// A provider id recognised as a repost of <paramref name="canonicalOfferId"/> that no longer is one (it came back
    /// with another vacancy's text): the link is removed and the canonical offer counts one repost less; its latest
    /// republication is that of the reposts it keeps.
    /// </summary>
    public void UnregisterRepost(long canonicalOfferId, string provider, string providerOfferId) =>
        _store.Write(() =>
        {
            var removed = _store.Statement("""
                DELETE FROM offer_reposts WHERE provider = @provider AND provider_offer_id = @providerOfferId AND offer_id = @canonicalOfferId
                """).Set("@provider", provider).Set("@providerOfferId", providerOfferId).Set("@canonicalOfferId", canonicalOfferId)
                .ExecuteNonQuery();
            if (removed == 1)
                _store.Statement("""
                    UPDATE offers SET repost_count = max(0, repost_count - 1),
                        republished_at = (SELECT max(published_at) FROM offer_reposts WHERE offer_id = @canonicalOfferId)
                    WHERE id = @canonicalOfferId
                    """).Set("@canonicalOfferId", canonicalOfferId).ExecuteNonQuery();
            return removed;
        });

    /// <summary>The company's canonical offers last seen at or after <paramref name="seenSince"/>, oldest id first.</summary>
    public IReadOnlyList<RepostCandidate> ListRepostCandidates(long companyId, DateTimeOffset seenSince) =>
        _store.Statement("""
            SELECT id AS OfferId, fingerprint, normalized_title, description_token_count, content_signature, last_seen_at
            FROM offers
            WHERE company_id = @companyId AND canonical_offer_id IS NULL AND last_seen_at >= @seenSince
            ORDER BY id
            """).Set("@companyId", companyId).Set("@seenSince", seenSince).Rows<RepostCandidate>();

    /// <summary>The canonical offers of these companies with their matches, by company then offer id.</summary>
    public IReadOnlyList<OfferSignal> ListForAggregation(IEnumerable<long> companyIds)
    {
        // Read by hand from one reused statement: aggregation reads every offer of the store, and Dapper's mapping and
        // a statement per batch of ids were a large part of that cost.
        var signals = new List<OfferSignal>();
        using var reader = _store.Statement(SelectForAggregation).SetList("@ids", companyIds).ExecuteReader();
        while (reader.Read())
        {
            var matched = !reader.IsDBNull(8);
            // A match has its evidence and categories, or (stored before schema 2 / 7) only its explanation.
            var hasEvidence = matched && !reader.IsDBNull(10);
            var hasCategories = matched && !reader.IsDBNull(13);
            signals.Add(new OfferSignal
            {
                OfferId = reader.GetInt64(0),
                CompanyId = reader.GetInt64(1),
                Url = reader.IsDBNull(2) ? null : reader.GetString(2),
                PublishedAt = reader.IsDBNull(3) ? null : StoreTime.Parse(reader.GetString(3)),
                UpdatedAt = reader.IsDBNull(4) ? null : StoreTime.Parse(reader.GetString(4)),
                FirstSeenAt = StoreTime.Parse(reader.GetString(5)),
                LastSeenAt = StoreTime.Parse(reader.GetString(6)),
                RepostCount = reader.GetInt32(7),
                Score = matched ? reader.GetInt32(8) : null,
                TopCategory = matched && !reader.IsDBNull(9) ? reader.GetString(9) : null,
                EvidenceUtf8 = hasEvidence ? reader.GetFieldValue<byte[]>(10) : null,
                ExplanationJson = matched && (!hasEvidence || !hasCategories) ? reader.GetString(11) : null,
                IsStrong = matched && reader.GetInt64(12) == 1,
                CategoryPointsUtf8 = hasCategories ? reader.GetFieldValue<byte[]>(13) : null,
                RepublishedAt = reader.IsDBNull(14) ? null : StoreTime.Parse(reader.GetString(14)),
            });
        }
        return signals;
    }

    // Everything but the explanation comes from the two covering indexes (schema 2, 6, 7, 8), so the offers' text and the
    // matches' explanations are not read; SQLite seeks a match's row only for a match stored without evidence.
    // The ids come as one JSON array parameter, so the statement text never changes and is prepared once.
    private const string SelectForAggregation = """
        SELECT o.id, o.company_id, o.url, o.published_at, o.provider_updated_at, o.first_seen_at, o.last_seen_at,
               o.repost_count, m.score, m.top_category, m.evidence_json,
               CASE WHEN m.evidence_json IS NULL OR m.category_points IS NULL THEN m.explanation_json END, m.is_strong,
               m.category_points, o.republished_at
        FROM offers o INDEXED BY ix_offers_aggregation
        LEFT JOIN matches m INDEXED BY ix_matches_aggregation ON m.offer_id = o.id
        WHERE o.company_id IN (SELECT value FROM json_each(@ids)) AND o.canonical_offer_id IS NULL
        ORDER BY o.company_id, o.id
        """;

    /// <summary>Offers (with their match) matching every filter set, read into a list (see <see cref="Stream"/>).</summary>
    public IReadOnlyList<StoredOffer> List(OfferFilter? filter = null) => Stream(filter).ToList();

    /// <summary>
    /// Offers (with their match) matching every filter set, read lazily: the matching ids are sorted first (a sort of
    /// narrow keys, where sorting whole rows with their description and explanation would take seconds and hundreds of
    /// megabytes in a large store), then the rows are read <paramref name="batchSize"/> at a time in that order. A
    /// caller that stops early reads no more batches; each batch shows the offers as stored when it is read, and
    /// only those that still match the filter then (another process may re-score or change offers meanwhile: an
    /// offer re-scored to 1 is not shown under -MinScore 6).
    /// </summary>
    public IEnumerable<StoredOffer> Stream(OfferFilter? filter = null, int batchSize = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        filter ??= new OfferFilter();
        var (selection, state, parameters) = Conditions(filter);
        var ids = MatchingIds(filter, [.. selection, .. state], parameters);
        // What an offer id selects cannot change; what the offer's state decides can, so the batch checks it again.
        var batchSql = SelectOffer + " WHERE o.id IN (SELECT value FROM json_each(@batch))"
            + string.Concat(state.Select(condition => " AND " + condition));
        for (var start = 0; start < ids.Count; start += batchSize)
        {
            var batch = ids.GetRange(start, Math.Min(batchSize, ids.Count - start));
            parameters.AddList("batch", batch);
            var rows = _store.Connection.Query<StoredOffer>(_store.Command(batchSql, parameters)).ToDictionary(o => o.OfferId);
            foreach (var id in batch)
                if (rows.TryGetValue(id, out var offer)) yield return offer;
        }
    }

    /// <summary>The ids of the offers matching every filter set, in the filter's order.</summary>
    private List<long> MatchingIds(OfferFilter filter, List<string> where, DynamicParameters parameters)
    {
        var sql = "SELECT o.id FROM offers o JOIN companies c ON c.id = o.company_id LEFT JOIN matches m ON m.offer_id = o.id"
            + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")
            + (filter.OrderBy == OfferOrder.OfferId ? " ORDER BY o.id" : " ORDER BY m.score DESC NULLS LAST, o.last_seen_at DESC, o.id");
        if (filter.Limit is { } limit)
        {
            sql += " LIMIT @limit";
            parameters.Add("limit", limit);
        }
        return _store.Connection.Query<long>(_store.Command(sql, parameters)).AsList();
    }

    /// <summary>
    /// The filter's conditions on offers o, companies c and matches m, with their parameters: those on ids (the
    /// selection, fixed for an offer) apart from those on the offer's state (canonical, match, text, last seen).
    /// </summary>
    private static (List<string> Selection, List<string> State, DynamicParameters Parameters) Conditions(OfferFilter filter)
    {
        var selection = new List<string>();
        var where = new List<string>();
        var parameters = new DynamicParameters();
        // Id lists go as one JSON array each (AddList): a list piped in can be longer than SQLite's limit on parameters.
        var ids = new List<string>();
        if (filter.OfferIds is { } offerIds)
        {
            ids.Add("o.id IN (SELECT value FROM json_each(@offerIds))");
            parameters.AddList("offerIds", offerIds);
        }
        if (filter.CompanyIds is { } companyIds)
        {
            ids.Add("o.company_id IN (SELECT value FROM json_each(@companyIds))");
            parameters.AddList("companyIds", companyIds);
        }
        if (ids.Count > 0) selection.Add("(" + string.Join(filter.EitherIds ? " OR " : " AND ", ids) + ")");
        if (!filter.IncludeNonCanonical) where.Add("o.canonical_offer_id IS NULL");
        if (filter.Unscored) where.Add("m.offer_id IS NULL");
        if (filter.MinScore is { } minScore)
        {
            where.Add("m.score >= @minScore");
            parameters.Add("minScore", minScore);
        }
        if (filter.Category is { } category)
        {
            where.Add(CategoryCondition);
            parameters.Add("category", category);
        }
        if (!string.IsNullOrEmpty(filter.Keyword))
        {
            where.Add(KeywordSearch.OfferCondition);
            parameters.Add("keyword", filter.Keyword);
        }
        if (filter.Since is { } since)
        {
            where.Add("o.last_seen_at >= @since");
            parameters.Add("since", StoreTime.ToText(since));
        }
        if (filter.AfterOfferId is { } after)
        {
            selection.Add("o.id > @after");
            parameters.Add("after", after);
        }
        return (selection, where, parameters);
    }

    /// <summary>The match earned points in the category @category (not only as its top category; stores written before
    /// zero-point categories were left out of category_points may list them with 0).</summary>
    internal const string CategoryCondition = "EXISTS (SELECT 1 FROM json_each(m.category_points) j WHERE j.key = @category AND j.value > 0)";

    /// <summary>
    /// The parameters Insert and Update share: the offer's fields, its content keys and when it was seen. With
    /// <paramref name="blankKeepsStored"/> (an update), a blank text is bound as null, which the update reads as "keep".
    /// </summary>
    private static NativeStatement BindOffer(NativeStatement statement, Offer offer, OfferContent content, DateTimeOffset seenAt,
        bool blankKeepsStored = false)
    {
        Func<string?, string?> text = blankKeepsStored ? KnownOfferUpdate.ValueOrNull : static value => value;
        return statement
            .Set("@Provider", offer.Provider).Set("@ProviderOfferId", offer.ProviderOfferId).Set("@Url", text(offer.Url))
            .Set("@Title", text(offer.Title)).Set("@Description", text(offer.Description)).Set("@Requirements", text(offer.Requirements))
            .Set("@Province", text(offer.Province)).Set("@City", text(offer.City)).Set("@Country", text(offer.Country))
            .Set("@Category", text(offer.Category)).Set("@Subcategory", text(offer.Subcategory)).Set("@ContractType", text(offer.ContractType))
            .Set("@WorkDay", text(offer.WorkDay)).Set("@Experience", text(offer.Experience)).Set("@SalaryMin", text(offer.SalaryMin))
            .Set("@SalaryMax", text(offer.SalaryMax)).Set("@SalaryPeriod", text(offer.SalaryPeriod))
            .Set("@SalaryDescription", text(offer.SalaryDescription)).Set("@PublishedAt", offer.PublishedAt)
            .Set("@UpdatedAt", offer.UpdatedAt).Set("@Applications", offer.Applications).Set("@SeenAt", seenAt)
            .Set("@Fingerprint", content.Fingerprint).Set("@NormalizedTitle", content.NormalizedTitle)
            .Set("@DescriptionTokenCount", content.DescriptionTokenCount).Set("@Signature", content.Signature);
    }
}

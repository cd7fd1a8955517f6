using System.Text;
using Dapper;
using JobSignal.Core.Signal;

namespace JobSignal.Core.Store;

/// <summary>The match of one offer: its score and the full explanation of how it was reached.</summary>
public sealed record MatchRecord
{
    public long OfferId { get; init; }
    /// <summary>0-10.</summary>
    public int Score { get; init; }
    public double Raw { get; init; }
    public bool IsStrong { get; init; }
    public string? TopCategory { get; init; }
    public string CatalogVersion { get; init; } = "";
    public string ExplanationJson
    {
        get => _explanationJson ?? (ExplanationUtf8 is { } utf8 ? Encoding.UTF8.GetString(utf8) : "{}");
        init => _explanationJson = value;
    }
    private readonly string? _explanationJson;

    /// <summary>
    /// The explanation as the serializer wrote it, when scoring made this record (<see cref="ExplanationJson"/> then
    /// decodes it): ingestion stores these bytes as they are, without an 8 KB string per offer in between.
    /// </summary>
    internal byte[]? ExplanationUtf8 { get; init; }
    /// <summary>
    /// The explanation's evidence terms (<see cref="EvidenceTerms.Of"/>) as <see cref="MatchEvidence"/> writes them,
    /// kept apart so that aggregation need not read the explanation. Null when not stored (matches from before schema
    /// version 2): the terms are then derived from the explanation.
    /// </summary>
    public string? EvidenceJson { get; init; }
    /// <summary>
    /// Every category that earned points in the match, with its points, as <see cref="MatchCategories"/> writes them:
    /// what per-category company scores and -Category filters read. Null when not stored (derived from the explanation).
    /// </summary>
    public string? CategoryPointsJson { get; init; }
    /// <summary>The terms of <see cref="EvidenceJson"/>, most points first; null when not stored.</summary>
    public IReadOnlyList<EvidenceTerm>? Evidence => EvidenceJson is { } json ? MatchEvidence.FromJson(json) : null;
    public DateTimeOffset MatchedAt { get; init; }
}

/// <summary>Matches, one per offer.</summary>
public sealed class MatchRepository
{
    private const string SelectMatch = """
        SELECT offer_id, score, raw, is_strong, top_category, catalog_version, explanation_json, evidence_json,
               category_points AS CategoryPointsJson, matched_at
        FROM matches
        """;

    private readonly SignalStore _store;

    internal MatchRepository(SignalStore store) => _store = store;

    /// <summary>Stores the offer's match, replacing the one it had.</summary>
    public void Upsert(MatchRecord match) => _store.Write(() =>
    {
        var statement = _store.Native(UpsertSql)
            .Set("@OfferId", match.OfferId).Set("@Score", match.Score).Set("@Raw", match.Raw).Set("@IsStrong", match.IsStrong)
            .Set("@TopCategory", match.TopCategory).Set("@CatalogVersion", match.CatalogVersion)
            .Set("@EvidenceJson", match.EvidenceJson).Set("@CategoryPoints", match.CategoryPointsJson).Set("@MatchedAt", match.MatchedAt);
        // A record made by scoring carries its explanation as UTF-8: stored as it is.
        if (match.ExplanationUtf8 is { } utf8) statement.SetUtf8("@ExplanationJson", utf8);
        else statement.Set("@ExplanationJson", match.ExplanationJson);
        return statement.Execute();
    });

    /// <summary>Removes the offer's match, if it has one.</summary>
    public void Delete(long offerId) => _store.Write(() =>
        _store.Connection.Execute(_store.Command("DELETE FROM matches WHERE offer_id = @offerId", new { offerId })));

    private const string UpsertSql = """
            INSERT INTO matches (offer_id, score, raw, is_strong, top_category, catalog_version, explanation_json,
                evidence_json, category_points, matched_at)
            VALUES (@OfferId, @Score, @Raw, @IsStrong, @TopCategory, @CatalogVersion, @ExplanationJson, @EvidenceJson,
                @CategoryPoints, @MatchedAt)
            ON CONFLICT (offer_id) DO UPDATE SET
                score = excluded.score, raw = excluded.raw, is_strong = excluded.is_strong,
                top_category = excluded.top_category, catalog_version = excluded.catalog_version,
                explanation_json = excluded.explanation_json, evidence_json = excluded.evidence_json,
                category_points = excluded.category_points, matched_at = excluded.matched_at
            """;

    public MatchRecord? Get(long offerId) =>
        _store.Connection.QuerySingleOrDefault<MatchRecord>(_store.Command(SelectMatch + " WHERE offer_id = @offerId", new { offerId }));

    /// <summary>The matches of these offers (offers without one are absent), by offer id.</summary>
    public IReadOnlyList<MatchRecord> List(IEnumerable<long> offerIds) =>
        SqlText.Batches(offerIds)
            .SelectMany(ids => _store.Connection.Query<MatchRecord>(_store.Command(SelectMatch + " WHERE offer_id IN @ids", new { ids })))
            .OrderBy(m => m.OfferId).ToList();
}

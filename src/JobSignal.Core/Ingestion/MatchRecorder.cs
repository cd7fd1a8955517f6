using JobSignal.Core.Catalog;
using JobSignal.Core.Common;
using JobSignal.Core.Domain;
using JobSignal.Core.Signal;
using JobSignal.Core.Store;

namespace JobSignal.Core.Ingestion;

/// <summary>
/// An offer's match, computed and ready to store (the row without its offer id and time), or why it could not be
/// computed. Only the row is kept, not the score's object graph: a prepared chunk waits for the chunk before it to be
/// written, and what it holds should be little.
/// </summary>
internal sealed record PreparedMatch(MatchRecord? Match, Exception? Error);

/// <summary>What storing one offer's match came to: the match, or why the offer is left without one.</summary>
internal readonly record struct MatchAttempt(MatchRecord? Match, Exception? Error)
{
    public bool Stored => Error is null;
}

/// <summary>
/// "match -> score -> upsert match" of SPEC 7.1, shared by ingestion and re-scoring, in two steps: <see cref="Compute"/>
/// scores with the run's compiled catalog (pure, thread-safe: a chunk's matches are computed in parallel), then
/// <see cref="Store"/> writes the match inside the caller's transaction, retried in a savepoint of its own, so that
/// a failure undoes only the match and the offer stays stored without one (match_failed, visible to
/// Get-SignalOffer -Unscored and fixed by the next Update-OfferScore). A savepoint, not the statement alone: a failing
/// statement may keep what it changed (a trigger's RAISE(FAIL) does).
/// </summary>
internal sealed class MatchRecorder
{
    private readonly SignalStore _store;
    private readonly RetryPolicy _retry;
    private readonly OfferScorer _scorer;

    public MatchRecorder(SignalStore store, CompiledCatalog catalog, RetryPolicy retry)
    {
        _store = store;
        _retry = retry;
        _scorer = new OfferScorer(catalog);
    }

    /// <summary>Scores an offer's tokenized text; never throws (a scoring failure is kept as the match's error).</summary>
    public PreparedMatch Compute(TokenizedText title, TokenizedText description, TokenizedText requirements, string? companyName) =>
        Compute(() => _scorer.Score(title, description, requirements, companyName));

    /// <summary>Scores a stored offer's text, its company's stored name masked; never throws.</summary>
    public PreparedMatch Compute(StoredOffer offer) =>
        // The match row names its offer: the explanation stored is the same as ingestion's, without the ids.
        Compute(() => _scorer.Score(offer) with { OfferId = null, ProviderOfferId = null });

    private static PreparedMatch Compute(Func<SignalScore> scoring)
    {
        try
        {
            var score = scoring();
            return new PreparedMatch(new MatchRecord
            {
                Score = score.Score, Raw = (double)score.Raw, IsStrong = score.Strong, TopCategory = score.TopCategory,
                CatalogVersion = score.CatalogVersion, ExplanationUtf8 = SignalScoreJson.SerializeToUtf8(score),
                EvidenceJson = MatchEvidence.Of(score), CategoryPointsJson = MatchCategories.Of(score),
            }, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new PreparedMatch(null, ex);
        }
    }

    /// <summary>
    /// Stores the match of <paramref name="offerId"/>. Isolated, it never throws but for cancellation: a failure is
    /// returned and leaves the store as it was. Not isolated, for a caller that undoes its whole transaction on any
    /// failure and then writes again isolated (ingestion's first pass over a chunk), the first failure is thrown and
    /// no savepoint is paid for.
    /// </summary>
    public MatchAttempt Store(long offerId, PreparedMatch prepared, DateTimeOffset matchedAt, bool isolated,
        CancellationToken cancellationToken)
    {
        // Scoring is deterministic: trying it again would fail the same way.
        if (prepared.Match is not { } computed)
        {
            ForgetStaleMatch(offerId);
            return new MatchAttempt(null, prepared.Error);
        }
        var match = computed with { OfferId = offerId, MatchedAt = matchedAt };
        if (!isolated)
        {
            _store.Matches.Upsert(match);
            return new MatchAttempt(match, null);
        }
        try
        {
            _retry.Execute(() => _store.Savepoint(() => _store.Matches.Upsert(match)),
                ex => ex is not OperationCanceledException, cancellationToken: cancellationToken);
            return new MatchAttempt(match, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ForgetStaleMatch(offerId);
            return new MatchAttempt(match, ex);
        }
    }

    /// <summary>
    /// An offer whose new match cannot be stored is left without a match (SPEC 7.1: Get-SignalOffer -Unscored lists
    /// it, Update-OfferScore -Unscored fixes it), not with the match of its previous text or catalog, which would be
    /// shown and aggregated as if it were current. When even that fails, the old match stays.
    /// </summary>
    private void ForgetStaleMatch(long offerId)
    {
        try { _store.Savepoint(() => _store.Matches.Delete(offerId)); }
        catch (Exception ex) when (ex is System.Data.Common.DbException or JobSignalException) { }
    }
}

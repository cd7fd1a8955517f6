using JobSignal.Core.Catalog;
using JobSignal.Core.Common;
using JobSignal.Core.Signal;
using JobSignal.Core.Store;

namespace JobSignal.Core.Ingestion;

/// <summary>What storing one offer's match came to: the score, or why the offer is left without a match.</summary>
internal readonly record struct MatchAttempt(SignalScore? Score, Exception? Error)
{
    public bool Stored => Error is null;
}

/// <summary>
/// "match -> score -> upsert match" of SPEC 7.1, shared by ingestion and re-scoring: scores an offer with the run's
/// compiled catalog and stores its match inside the caller's transaction. The write is retried in a savepoint of its
/// own, so a failure undoes only the match and the offer stays stored without one (match_failed, visible to
/// Get-SignalOffer -Unscored and fixed by the next Update-OfferScore).
/// </summary>
internal sealed class MatchRecorder
{
    private readonly SignalStore _store;
    private readonly RetryPolicy _retry;

    public MatchRecorder(SignalStore store, CompiledCatalog catalog, RetryPolicy retry)
    {
        _store = store;
        _retry = retry;
        Scorer = new OfferScorer(catalog);
    }

    public OfferScorer Scorer { get; }

    /// <summary>Scores the text and stores the match of <paramref name="offerId"/>; never throws but for cancellation.</summary>
    public MatchAttempt Record(long offerId, string? title, string? description, string? requirements,
        DateTimeOffset matchedAt, CancellationToken cancellationToken)
    {
        SignalScore score;
        MatchRecord match;
        try
        {
            score = Scorer.Score(title, description, requirements);
            match = new MatchRecord
            {
                OfferId = offerId, Score = score.Score, Raw = (double)score.Raw, IsStrong = score.Strong,
                TopCategory = score.TopCategory, CatalogVersion = score.CatalogVersion,
                ExplanationJson = SignalScoreJson.Serialize(score), MatchedAt = matchedAt,
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Scoring is deterministic: trying again would fail the same way.
            return new MatchAttempt(null, ex);
        }

        try
        {
            _retry.Execute(() => _store.Savepoint(() => _store.Matches.Upsert(match)),
                ex => ex is not OperationCanceledException, cancellationToken: cancellationToken);
            return new MatchAttempt(score, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new MatchAttempt(score, ex);
        }
    }
}

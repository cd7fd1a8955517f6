using JobSignal.Core.Catalog;
using JobSignal.Core.Common;
using JobSignal.Core.Domain;
using JobSignal.Core.Signal;
using JobSignal.Core.Store;

namespace JobSignal.Core.Ingestion;

/// <summary>
/// An offer's text tokenized once, for both its repost signature and its matching: the CPU-heavy part of ingesting
/// an offer, pure, so a chunk's offers are prepared in parallel before its transaction.
/// </summary>
internal sealed class OfferText
{
    private OfferText(TokenizedText title, TokenizedText description, string? requirements)
    {
        Title = title;
        Description = description;
        Requirements = requirements;
        Signature = RepostDetector.BuildSignature(title, description);
        Content = new OfferContent(Signature.Fingerprint, Signature.NormalizedTitle, Signature.DescriptionTokenCount, Signature.ToBytes());
    }

    public TokenizedText Title { get; }
    public TokenizedText Description { get; }
    public string? Requirements { get; }
    public ContentSignature Signature { get; }
    /// <summary>What the store keeps of the signature.</summary>
    public OfferContent Content { get; }

    public static OfferText Of(Offer offer) =>
        new(Tokenizer.Tokenize(offer.Title), Tokenizer.Tokenize(offer.Description), offer.Requirements);

    /// <summary>Prepares every item in parallel (null where <paramref name="select"/> gives null), in input order.</summary>
    public static OfferText?[] Prepare<T>(IReadOnlyList<T> items, Func<T, OfferText?> select, CancellationToken cancellationToken)
    {
        var texts = new OfferText?[items.Count];
        Parallel.For(0, items.Count, Parallelism(cancellationToken), i => texts[i] = select(items[i]));
        return texts;
    }

    internal static ParallelOptions Parallelism(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
}

/// <summary>An offer's match, computed and ready to store, or why it could not be computed.</summary>
internal sealed record PreparedMatch(SignalScore? Score, string? ExplanationJson, Exception? Error);

/// <summary>What storing one offer's match came to: the score, or why the offer is left without a match.</summary>
internal readonly record struct MatchAttempt(SignalScore? Score, Exception? Error)
{
    public bool Stored => Error is null;
}

/// <summary>
/// "match -> score -> upsert match" of SPEC 7.1, shared by ingestion and re-scoring, in two steps: <see cref="Compute"/>
/// scores with the run's compiled catalog (pure, thread-safe: a chunk's matches are computed in parallel), then
/// <see cref="Store"/> writes the match inside the caller's transaction, retried in a savepoint of its own, so that
/// a failure undoes only the match and the offer stays stored without one (match_failed, visible to
/// Get-SignalOffer -Unscored and fixed by the next Update-OfferScore).
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

    /// <summary>Scores an offer's prepared text; never throws (a scoring failure is kept as the match's error).</summary>
    public PreparedMatch Compute(OfferText text) =>
        Compute(() => _scorer.Score(text.Title, text.Description, Tokenizer.Tokenize(text.Requirements)));

    /// <summary>Scores a stored offer's text; never throws.</summary>
    public PreparedMatch Compute(StoredOffer offer) => Compute(() => _scorer.Score(offer.Title, offer.Description, offer.Requirements));

    /// <summary>Computes the matches of many items in parallel, in input order.</summary>
    public PreparedMatch[] Compute<T>(IReadOnlyList<T> items, Func<T, PreparedMatch> compute, CancellationToken cancellationToken)
    {
        var matches = new PreparedMatch[items.Count];
        Parallel.For(0, items.Count, OfferText.Parallelism(cancellationToken), i => matches[i] = compute(items[i]));
        return matches;
    }

    private static PreparedMatch Compute(Func<SignalScore> scoring)
    {
        try
        {
            var score = scoring();
            return new PreparedMatch(score, SignalScoreJson.Serialize(score), null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new PreparedMatch(null, null, ex);
        }
    }

    /// <summary>Stores the match of <paramref name="offerId"/>; never throws but for cancellation.</summary>
    public MatchAttempt Store(long offerId, PreparedMatch prepared, DateTimeOffset matchedAt, CancellationToken cancellationToken)
    {
        // Scoring is deterministic: trying it again would fail the same way.
        if (prepared.Score is not { } score) return new MatchAttempt(null, prepared.Error);
        var match = new MatchRecord
        {
            OfferId = offerId, Score = score.Score, Raw = (double)score.Raw, IsStrong = score.Strong,
            TopCategory = score.TopCategory, CatalogVersion = score.CatalogVersion,
            ExplanationJson = prepared.ExplanationJson!, MatchedAt = matchedAt,
        };
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

using JobSignal.Core.Common;
using JobSignal.Core.Domain;

namespace JobSignal.Core.Ingestion;

/// <summary>Knobs of one ingestion run (<see cref="OfferIngestor"/>).</summary>
public sealed record IngestionOptions : ChunkedWriteOptions
{
    // ChunkSize: offers buffered and committed in one transaction (SPEC 7.2; default 200). MaxRetries and
    // RetryDelay: how a failing match write is retried before the offer counts as match_failed.

    /// <summary>Canonical offers last seen within this window are repost candidates (SPEC 5.4; default 180 days).</summary>
    public TimeSpan RepostWindow { get; init; } = TimeSpan.FromDays(180);

    /// <summary>
    /// Canonical offers held in the repost indexes across all companies of the run (default 100,000, at well under
    /// 1 KB each: the indexes keep no signature, they read a candidate's back from the store). Past it, the indexes of
    /// the companies least recently seen are dropped and rebuilt from the store if they come back, so memory stays
    /// flat however many offers stream through.
    /// </summary>
    public int RepostIndexBudget { get; init; } = 100_000;

    /// <summary>The query the offers answer, stored in the run; null: the fetch's query key, if the offers carry one.</summary>
    public string? QueryKey { get; init; }

    /// <summary>The provider stored in the run; null: the first offer's provider.</summary>
    public string? Provider { get; init; }

    /// <summary>
    /// The statistics of the fetch the offers come from, stored in the run even when it brought no offer (a first
    /// page answering 429): offers carrying their own (<see cref="Offer.Fetch"/>) replace it. Null: only what the
    /// offers carry.
    /// </summary>
    public FetchStatistics? Fetch { get; init; }

    /// <summary>Called on the ingesting thread after each chunk committed (progress, verbose output).</summary>
    public Action<IngestionChunk>? ChunkCommitted { get; init; }

    internal override void Validate()
    {
        base.Validate();
        if (RepostWindow <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RepostWindow), RepostWindow, "must be positive");
        if (RepostIndexBudget < 1) throw new ArgumentOutOfRangeException(nameof(RepostIndexBudget), RepostIndexBudget, "must be 1 or more");
    }
}

/// <summary>A chunk that has just committed, with the run's totals so far.</summary>
/// <param name="Number">1 for the first chunk.</param>
/// <param name="Offers">Offers in this chunk.</param>
/// <param name="Run">The run with its counters as committed (do not modify).</param>
/// <param name="Elapsed">Time the chunk took, from its first offer to its commit.</param>
public sealed record IngestionChunk(int Number, int Offers, IngestionRun Run, TimeSpan Elapsed);

/// <summary>
/// What happened to one offer of an ingestion run (PowerShell type name <c>JobSignal.OfferIngestionResult</c>;
/// Invoke-OfferIngestion -PassThru writes one per offer).
/// </summary>
public sealed record OfferIngestionResult : IStoreLocal
{
    public IngestionOutcome Outcome { get; init; }
    /// <summary>Why: the validation problem, the identity decision, the repost rule, the failure.</summary>
    public string Reason { get; init; } = "";
    public string? Provider { get; init; }
    public string? ProviderOfferId { get; init; }
    public string? Title { get; init; }
    /// <summary>The stored offer: the new or updated row, or the canonical offer a repost was counted on.</summary>
    public long? OfferId { get; init; }
    public long? CompanyId { get; init; }
    /// <summary>The score of a match stored in this run; null when the offer was not (re-)scored.</summary>
    public int? Score { get; init; }
    public string? TopCategory { get; init; }
    /// <summary>The offer as it came in (to inspect or retry a failed one).</summary>
    public Offer? Offer { get; init; }
    /// <summary>The store this object belongs to (see <see cref="IStoreLocal"/>).</summary>
    public string? StorePath { get; set; }

    public override string ToString() => $"{Outcome.ToCode()} {Provider}:{ProviderOfferId} ({Reason})";
}

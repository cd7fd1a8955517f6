using System.Runtime.ExceptionServices;
using JobSignal.Core.Common;
using JobSignal.Core.Domain;
using JobSignal.Core.Signal;
using JobSignal.Core.Store;

namespace JobSignal.Core.Aggregation;

/// <summary>Knobs of <see cref="AggregationRunner"/> (SPEC 6: chunks of 50 companies, per-company retries).</summary>
public sealed record AggregationRunOptions : ChunkedWriteOptions
{
    public AggregationRunOptions() => ChunkSize = 50;

    /// <summary>The pure aggregation's knobs (recent window, evidence terms).</summary>
    public AggregationOptions Metrics { get; init; } = AggregationOptions.Default;

    /// <summary>Hears each failed attempt of a company that will be retried, before the wait (verbose output).</summary>
    public Action<FailedAttempt>? AttemptFailed { get; init; }
}

/// <summary>A company's recompute failed; it is tried again after <paramref name="Delay"/>.</summary>
/// <param name="Attempt">The attempt that failed (1 for the first).</param>
public sealed record FailedAttempt(long CompanyId, int Attempt, Exception Error, TimeSpan Delay);

/// <summary>What happened to one company in an aggregation.</summary>
public enum CompanyAggregationStatus
{
    /// <summary>Metrics recomputed and stored.</summary>
    Aggregated,

    /// <summary>The resolution is final: metrics kept as they were (skipped, counted).</summary>
    Frozen,

    /// <summary>Every attempt failed; the company keeps its previous metrics.</summary>
    Failed,

    /// <summary>No company has this id.</summary>
    NotFound,
}

/// <summary>One company's aggregation: status, attempts, the waits between them, and the company as stored afterwards.</summary>
public sealed class CompanyAggregationResult
{
    public long CompanyId { get; init; }
    public CompanyAggregationStatus Status { get; init; }

    /// <summary>Recompute attempts made (0 for frozen and unknown companies).</summary>
    public int Attempts { get; init; }

    /// <summary>The back-off waited before each retry, in order.</summary>
    public IReadOnlyList<TimeSpan> Delays { get; init; } = [];

    /// <summary>The company as stored once its chunk committed; null when not found.</summary>
    public Company? Company { get; internal set; }

    /// <summary>The last attempt's failure, for <see cref="CompanyAggregationStatus.Failed"/>.</summary>
    public Exception? Error { get; init; }
}

/// <summary>Counts of an aggregation batch.</summary>
public sealed class AggregationTally
{
    public int Aggregated { get; private set; }
    public int Frozen { get; private set; }
    public int Failed { get; private set; }
    public int NotFound { get; private set; }

    public void Add(CompanyAggregationResult result) => Add(result.Status);

    public void Add(CompanyAggregationStatus status)
    {
        switch (status)
        {
            case CompanyAggregationStatus.Aggregated: Aggregated++; break;
            case CompanyAggregationStatus.Frozen: Frozen++; break;
            case CompanyAggregationStatus.Failed: Failed++; break;
            default: NotFound++; break;
        }
    }

    public override string ToString() => $"{Aggregated} aggregated, {Frozen} frozen, {Failed} failed, {NotFound} not found";
}

/// <summary>
/// Recomputes company metrics from the stored canonical offers and their matches with the pure
/// <see cref="CompanyAggregator"/> (SPEC 6). Companies go in chunks: one read of the chunk's offers and one
/// transaction, in which each company's metrics are one UPDATE: when it fails, SQLite undoes that statement alone and
/// the chunk goes on, so no company needs a savepoint of its own. A company whose recompute fails (any failure:
/// reading its offers, aggregating, saving) is retried after the chunk committed, with bounded exponential back-off
/// and jitter, each retry a transaction of its own. A company that still fails is reported and the batch goes on;
/// companies with a final resolution keep their frozen metrics.
/// </summary>
public sealed class AggregationRunner
{
    private readonly SignalStore _store;
    private readonly AggregationRunOptions _options;
    private readonly RetryPolicy _retry;

    public AggregationRunner(SignalStore store, AggregationRunOptions? options = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _options = options ?? new AggregationRunOptions();
        _options.Validate();
        _retry = _options.Retry();
    }

    /// <summary>
    /// Aggregates the companies (duplicates once), chunk by chunk; each chunk's results are yielded once it has
    /// committed, in input order. Cancellation rolls back the chunk in progress; earlier chunks stay committed.
    /// </summary>
    public IEnumerable<CompanyAggregationResult> Aggregate(IEnumerable<long> companyIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(companyIds);
        var seen = new HashSet<long>();
        foreach (var chunk in companyIds.Where(seen.Add).Chunk(_options.ChunkSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var result in AggregateChunk(chunk, cancellationToken)) yield return result;
        }
    }

    /// <summary>
    /// Aggregates the companies a run affected and writes how many were aggregated and failed back into that run.
    /// Null when the store has no such run.
    /// </summary>
    public IngestionRun? AggregateRun(long runId, Action<CompanyAggregationResult>? onResult = null,
        CancellationToken cancellationToken = default)
    {
        var run = _store.Runs.Get(runId);
        if (run is null) return null;
        IngestionRun? recorded = null;
        foreach (var result in AggregateForRuns(run.AffectedCompanyIds, [(runId, run.AffectedCompanyIds)],
                     (updated, _) => recorded = updated, cancellationToken))
            onResult?.Invoke(result);
        return recorded ?? run;
    }

    /// <summary>
    /// Aggregates <paramref name="companyIds"/>, each once however many runs or inputs name it, then writes into each
    /// of <paramref name="runs"/> how many of its own companies were aggregated and failed (<paramref name="recorded"/>
    /// hears each run as written, null when the store no longer has it). Yields each result as its chunk commits; the
    /// runs are written once every company is done, so a company two runs share is counted in both.
    /// </summary>
    public IEnumerable<CompanyAggregationResult> AggregateForRuns(IEnumerable<long> companyIds,
        IReadOnlyCollection<(long RunId, IReadOnlyCollection<long> Companies)> runs,
        Action<IngestionRun?, AggregationTally>? recorded = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var statuses = new Dictionary<long, CompanyAggregationStatus>();
        foreach (var result in Aggregate(companyIds, cancellationToken))
        {
            statuses[result.CompanyId] = result.Status;
            yield return result;
        }
        foreach (var (runId, companies) in runs)
        {
            var tally = new AggregationTally();
            foreach (var companyId in companies)
                if (statuses.TryGetValue(companyId, out var status)) tally.Add(status);
            var updated = RecordInRun(runId, tally);
            recorded?.Invoke(updated, tally);
        }
    }

    /// <summary>Sets the run's companies aggregated / failed to this tally (only those columns); returns the run as now stored.</summary>
    public IngestionRun? RecordInRun(long runId, AggregationTally tally) => _store.Write(() =>
    {
        _store.Runs.RecordAggregation(runId, tally.Aggregated, tally.Failed);
        return _store.Runs.Get(runId);
    });

    private List<CompanyAggregationResult> AggregateChunk(long[] companyIds, CancellationToken cancellationToken)
    {
        var failed = new Dictionary<long, Exception>();
        var results = _store.Write(() =>
        {
            failed.Clear();
            var resolutions = _store.Companies.Resolutions(companyIds);
            var active = companyIds.Where(id => resolutions.TryGetValue(id, out var r) && CompanyAggregator.ShouldAggregate(r)).ToArray();
            var offers = ReadOffers(active);
            // One time for the chunk (its companies' aggregated_at and "recent" window), as it is computed at once.
            var now = StoreTime.Now(_options.Clock ?? _store.Options.Clock);
            // Aggregating is pure: done for the whole chunk on every core at once, then saved company by company.
            var computed = offers is null ? null : ActiveMetrics(active, offers, now, cancellationToken);
            var chunkResults = new List<CompanyAggregationResult>(companyIds.Length);
            foreach (var id in companyIds)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!resolutions.TryGetValue(id, out var resolution))
                {
                    chunkResults.Add(new CompanyAggregationResult { CompanyId = id, Status = CompanyAggregationStatus.NotFound });
                }
                else if (!CompanyAggregator.ShouldAggregate(resolution))
                {
                    chunkResults.Add(new CompanyAggregationResult { CompanyId = id, Status = CompanyAggregationStatus.Frozen });
                }
                else
                {
                    // First attempt: in the chunk's transaction, on the chunk's one read of the offers; in a savepoint,
                    // since a failing statement may keep what it changed (a trigger's RAISE(FAIL)).
                    try
                    {
                        var saved = computed is null
                            ? _store.Savepoint(() => Recompute(id))
                            : _store.Savepoint(() => _store.Companies.SaveMetrics(id, computed[id].Metrics, now));
                        chunkResults.Add(Recomputed(id, saved, 1, []));
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        failed[id] = ex;
                        chunkResults.Add(null!);
                    }
                }
            }
            return chunkResults;
        }, cancellationToken);

        // Retries come after the chunk committed, each in a transaction of its own, so that the back-off waits hold
        // no write lock (other writers go on, and a company that failed on a busy store gets a real second chance).
        for (var i = 0; i < results.Count; i++)
        {
            if (results[i] is null) results[i] = Retry(companyIds[i], failed[companyIds[i]], cancellationToken);
        }
        var stored = _store.Companies.Get(companyIds).ToDictionary(c => c.CompanyId);
        foreach (var result in results) result.Company = stored.GetValueOrDefault(result.CompanyId);
        return results;
    }

    private Dictionary<long, ComputedMetrics> ActiveMetrics(long[] active, ILookup<long, OfferSignal> offers,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var computed = ParallelBatch.Map(active, id =>
        {
            try
            {
                return new ComputedMetrics(Aggregate(offers[id], now), null);
            }
            catch (Exception ex)
            {
                return new ComputedMetrics(null, ExceptionDispatchInfo.Capture(ex));
            }
        }, cancellationToken);
        var byId = new Dictionary<long, ComputedMetrics>(active.Length);
        for (var i = 0; i < active.Length; i++) byId[active[i]] = computed[i];
        return byId;
    }

    /// <summary>A company's metrics, or what failed computing them (thrown again where saving them is attempted).</summary>
    private sealed record ComputedMetrics(CompanyMetrics? Computed, ExceptionDispatchInfo? Failure)
    {
        public CompanyMetrics Metrics
        {
            get
            {
                Failure?.Throw();
                return Computed!;
            }
        }
    }

    // One read for the whole chunk; when it fails, each company reads its own offers.
    private ILookup<long, OfferSignal>? ReadOffers(long[] companyIds)
    {
        try
        {
            return _store.Offers.ListForAggregation(companyIds).ToLookup(o => o.CompanyId);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return null;
        }
    }

    private CompanyAggregationResult Retry(long companyId, Exception firstFailure, CancellationToken cancellationToken)
    {
        var delays = new List<TimeSpan>();
        var failure = firstFailure;
        for (var retry = 1; retry <= _retry.MaxRetries; retry++)
        {
            var delay = _retry.DelayFor(retry);
            _options.AttemptFailed?.Invoke(new FailedAttempt(companyId, retry, failure, delay));
            delays.Add(delay);
            _retry.Wait(delay, cancellationToken).GetAwaiter().GetResult();
            try
            {
                return Recomputed(companyId, _store.Write(() => Recompute(companyId), cancellationToken), retry + 1, delays);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failure = ex;
            }
        }
        return new CompanyAggregationResult
        {
            CompanyId = companyId, Status = CompanyAggregationStatus.Failed, Attempts = _retry.MaxRetries + 1, Delays = delays,
            Error = failure,
        };
    }

    /// <summary>
    /// Reads the company's offers, aggregates them and saves the metrics. False: frozen meanwhile.
    /// Its only write is <see cref="CompanyRepository.SaveMetrics"/>, one statement; the caller undoes it when it fails.
    /// </summary>
    private bool Recompute(long companyId)
    {
        var offers = _store.Offers.ListForAggregation([companyId]);
        var now = StoreTime.Now(_options.Clock ?? _store.Options.Clock);
        return _store.Companies.SaveMetrics(companyId, Aggregate(offers, now), now);
    }

    private CompanyMetrics Aggregate(IEnumerable<OfferSignal> offers, DateTimeOffset now) =>
        CompanyAggregator.Aggregate(offers.Select(ToCompanyOffer).ToList(), now, _options.Metrics);

    // Not saved: the resolution became final while the company was computed; its frozen metrics stay.
    private static CompanyAggregationResult Recomputed(long companyId, bool saved, int attempts, List<TimeSpan> delays) => new()
    {
        CompanyId = companyId, Attempts = attempts, Delays = delays,
        Status = saved ? CompanyAggregationStatus.Aggregated : CompanyAggregationStatus.Frozen,
    };

    /// <summary>A stored offer and its match as the pure aggregation reads it.</summary>
    internal static CompanyOffer ToCompanyOffer(OfferSignal offer)
    {
        // What a match stored before the store kept it apart (evidence: schema 2; categories: schema 7, whose migration
        // fills them but for an explanation it could not read) comes from its explanation, read once.
        var explanation = offer.ExplanationJson is { } json && (offer.EvidenceUtf8 is null || offer.CategoryPointsUtf8 is null)
            ? SignalScoreJson.Deserialize(json) : null;
        return new CompanyOffer(offer.OfferId, offer.Url, offer.Score, offer.IsStrong, offer.TopCategory, offer.PublishedAt,
            offer.UpdatedAt, offer.FirstSeenAt, offer.LastSeenAt, offer.RepostCount,
            offer.EvidenceUtf8 is { } evidence ? MatchEvidence.FromUtf8(evidence) : explanation is null ? [] : EvidenceTerms.Of(explanation))
        {
            Categories = offer.CategoryPointsUtf8 is { } categories ? MatchCategories.FromUtf8(categories)
                : explanation is null ? [] : MatchCategories.FromScore(explanation),
            RepublishedAt = offer.RepublishedAt,
        };
    }
}

using System.Diagnostics;
using JobSignal.Core.Catalog;
using JobSignal.Core.Common;
using JobSignal.Core.Domain;
using JobSignal.Core.Signal;
using JobSignal.Core.Store;

namespace JobSignal.Core.Ingestion;

/// <summary>
/// One ingestion run (SPEC 7): streams offers into the store in chunks. Only the I/O and the bookkeeping live here;
/// every decision is delegated to the pure pieces: <see cref="OfferValidator"/>, <see cref="CompanyIdentity"/>,
/// <see cref="RepostIndex"/>, <see cref="OfferScorer"/>.
/// <para>
/// Per offer (SPEC 7.1): validate -> resolve the company -> skip it when the company's
/// resolution is final -> a known provider id is an update (fields, last seen; re-scored when its content changed or
/// it has no match; see <see cref="KnownOfferUpdate"/>: a field the input lacks keeps the stored value, and a version
/// older than the stored one only counts as seen) -> a new id is checked for being a repost of one of the company's canonical offers (counted on
/// that offer, not stored, not matched) -> insert -> match -> score -> store the match (retried; when it still fails
/// the offer stays stored without a match). A failure undoes only that offer (failed_db) and the chunk goes on: a
/// chunk is written without savepoints first and, only if one of its offers or matches fails, written again with each
/// offer and each match in a savepoint of its own (failures are rare; two statements per offer are not).
/// </para>
/// <para>
/// Chunks are pipelined: when a chunk is full, its offers are tokenized, signed and scored in the background (pure
/// work, <see cref="PreparedChunk"/>) while the previous chunk is written, so a chunk's results come back when the next
/// chunk fills (or at <see cref="Complete"/>). At most two chunks are held; each is one transaction that also saves
/// the run's counters and affected companies, so the run row always tells what is committed. The run is created by <see cref="Start"/> and always
/// finished: <see cref="Complete"/> (success), <see cref="Fail"/>, <see cref="Cancel"/>, or <see cref="Dispose"/>
/// (cancelled, when nothing else finished it). Not thread-safe: one ingesting thread.
/// </para>
/// </summary>
public sealed class OfferIngestor : IDisposable
{
    private readonly SignalStore _store;
    private readonly IngestionOptions _options;
    private readonly TimeProvider _clock;
    private readonly UndoLog _undo = new();
    private readonly CompanyDirectory _companies;
    private readonly RepostIndexCache _reposts;
    private readonly MatchRecorder _matches;
    private readonly List<(Offer Offer, string? Problem)> _buffer;
    private readonly RunRecorder _run;
    private PreparedChunk? _preparing;

    private OfferIngestor(SignalStore store, CompiledCatalog catalog, IngestionOptions options, RunRecorder run)
    {
        _store = store;
        _options = options;
        _clock = options.Clock ?? store.Options.Clock;
        _run = run;
        Catalog = catalog;
        _companies = new CompanyDirectory(store, _undo);
        _reposts = new RepostIndexCache(store, _undo, options.RepostWindow, options.RepostIndexBudget);
        _matches = new MatchRecorder(store, catalog, options.Retry());
        _buffer = new List<(Offer, string?)>(options.ChunkSize);
    }

    /// <summary>The run as committed so far (final once the ingestor finished it).</summary>
    public IngestionRun Run => _run.Run;

    /// <summary>The catalog every offer of the run is scored with.</summary>
    public CompiledCatalog Catalog { get; }

    /// <summary>Runs of dead processes that this run found <c>running</c> and marked <c>abandoned</c>.</summary>
    public IReadOnlyList<IngestionRun> AbandonedRuns => _run.AbandonedRuns;

    /// <summary>What to tell the user of <see cref="AbandonedRuns"/>: one line per run.</summary>
    public IEnumerable<string> AbandonedRunWarnings => _run.AbandonedRunWarnings;

    /// <summary>How often a company's repost history was read from the store (once per company, unless memory was trimmed).</summary>
    public int RepostIndexLoads => _reposts.Loads;

    /// <summary>Times every repost index was dropped because another process had written to the store meanwhile.</summary>
    public int RepostIndexResets => _reposts.ChangesElsewhere;

    /// <summary>
    /// Offers met this run whose stored content signature could not be read back (damaged): they were not considered
    /// as repost candidates. Ingesting such an offer again stores a new signature.
    /// </summary>
    public IReadOnlyList<long> OffersWithUnreadableSignatures => _reposts.UnreadableSignatures.Order().ToArray();

    /// <summary>What to tell the user of <see cref="OffersWithUnreadableSignatures"/>; null when there are none.</summary>
    public string? UnreadableSignaturesWarning => OffersWithUnreadableSignatures is { Count: > 0 } unreadable
        ? $"{unreadable.Count} stored offer(s) have a content signature that could not be read (offer id(s) " +
          $"{string.Join(", ", unreadable.Take(10))}{(unreadable.Count > 10 ? ", ..." : "")}): they were not considered " +
          "as repost candidates. Ingesting them again stores a new signature."
        : null;

    public bool IsFinished => _run.IsFinished;

    /// <summary>
    /// Starts a run: marks runs of dead processes abandoned, records the new run, then loads the catalog once. When
    /// <paramref name="loadCatalog"/> throws, the run is recorded as failed with its message and the exception is
    /// rethrown: no offer is touched.
    /// </summary>
    public static OfferIngestor Start(SignalStore store, Func<CompiledCatalog> loadCatalog, IngestionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(loadCatalog);
        options ??= new IngestionOptions();
        options.Validate();
        var (run, catalog) = RunRecorder.Start(store, RunKind.Ingestion, options.Provider, options.QueryKey, loadCatalog);
        run.Fetch = options.Fetch;
        return new OfferIngestor(store, catalog, options, run);
    }

    /// <inheritdoc cref="Start(SignalStore, Func{CompiledCatalog}, IngestionOptions?)"/>
    public static OfferIngestor Start(SignalStore store, CompiledCatalog catalog, IngestionOptions? options = null) =>
        Start(store, () => catalog, options);

    /// <summary>
    /// Ingests a whole sequence (read lazily, one chunk in memory) and finishes the run: success, cancelled on
    /// cancellation, failed on any other error (rethrown either way). Returns the finished run.
    /// <paramref name="sourceFailure"/>, asked once the sequence has ended, says why its source did not deliver
    /// everything (a fetch that stopped on an error): every offer it did deliver is committed and the run is recorded
    /// as failed with that reason. So it is when the sequence itself throws (InfoJobs refusing the credentials midway):
    /// the offers delivered before are whole, and committed, before the error is rethrown.
    /// </summary>
    public IngestionRun Ingest(IEnumerable<Offer> offers, Action<OfferIngestionResult>? onResult = null,
        CancellationToken cancellationToken = default, Func<string?>? sourceFailure = null)
    {
        ArgumentNullException.ThrowIfNull(offers);
        try
        {
            using var source = offers.GetEnumerator();
            while (true)
            {
                bool more;
                try { more = source.MoveNext(); }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Report(Complete(cancellationToken, ex.Message), onResult);
                    throw;
                }
                if (!more) break;
                Report(Add(source.Current, cancellationToken), onResult);
            }
            Report(Complete(cancellationToken, sourceFailure?.Invoke()), onResult);
            return Run;
        }
        catch (OperationCanceledException)
        {
            Cancel();
            throw;
        }
        catch (Exception ex)
        {
            Fail(ex);
            throw;
        }
    }

    /// <summary>
    /// Buffers an offer; when the buffer holds a chunk, commits it and returns its results (else an empty list).
    /// <paramref name="inputProblem"/> is why the caller could not read the offer it came from: it is counted as
    /// skipped_invalid with that reason.
    /// </summary>
    public IReadOnlyList<OfferIngestionResult> Add(Offer offer, CancellationToken cancellationToken = default,
        string? inputProblem = null)
    {
        ArgumentNullException.ThrowIfNull(offer);
        EnsureRunning();
        cancellationToken.ThrowIfCancellationRequested();
        _buffer.Add((offer, inputProblem));
        if (offer.Fetch is { } fetch) _run.Fetch = fetch;
        if (_buffer.Count < _options.ChunkSize) return [];
        // Start preparing this chunk, then write the one prepared before it while this one is being prepared.
        var previous = _preparing;
        _preparing = StartPreparing(cancellationToken);
        return previous is null ? [] : CommitChunk(previous, cancellationToken);
    }

    /// <summary>
    /// Commits what is buffered and finishes the run: a success, or failed with <paramref name="failure"/> when the
    /// offers' source reported one. Returns the results not returned yet.
    /// </summary>
    public IReadOnlyList<OfferIngestionResult> Complete(CancellationToken cancellationToken = default, string? failure = null)
    {
        EnsureRunning();
        var results = new List<OfferIngestionResult>();
        if (_preparing is { } prepared)
        {
            _preparing = null;
            results.AddRange(CommitChunk(prepared, cancellationToken));
        }
        if (_buffer.Count > 0) results.AddRange(CommitChunk(StartPreparing(cancellationToken), cancellationToken));
        _run.Finish(failure is null ? RunStatus.Success : RunStatus.Failed, failure);
        return results;
    }

    /// <summary>Finishes the run as failed with the error's message; uncommitted offers are dropped. No-op once finished.</summary>
    public void Fail(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        DropUncommitted();
        if (!IsFinished) _run.Finish(RunStatus.Failed, error.Message);
    }

    /// <summary>Finishes the run as cancelled: committed chunks stay, uncommitted offers are dropped. No-op once finished.</summary>
    public void Cancel()
    {
        DropUncommitted();
        if (!IsFinished) _run.Cancel();
    }

    private void DropUncommitted()
    {
        _buffer.Clear();
        _preparing?.Abandon();
        _preparing = null;
    }

    /// <summary>Finishes a run nobody finished as cancelled (the pipeline was stopped); never throws.</summary>
    public void Dispose()
    {
        try
        {
            Cancel();
        }
        catch (Exception ex) when (ex is JobSignalException or InvalidOperationException or System.Data.Common.DbException)
        {
            // The store itself is failing; the next run will mark this one abandoned.
        }
    }

    /// <summary>Takes the buffered offers and starts preparing them in the background.</summary>
    private PreparedChunk StartPreparing(CancellationToken cancellationToken)
    {
        var chunk = new PreparedChunk(_buffer.ToArray(), _matches, cancellationToken);
        _buffer.Clear();
        return chunk;
    }

    private IReadOnlyList<OfferIngestionResult> CommitChunk(PreparedChunk prepared, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var offers = prepared.Offers;
        var ready = prepared.Wait();
        var seenAt = StoreTime.Now(_clock);
        Chunk chunk;
        try
        {
            try
            {
                chunk = WriteChunk(offers, ready, seenAt, isolateOffers: false, cancellationToken);
            }
            catch (OfferFailedException)
            {
                chunk = WriteChunk(offers, ready, seenAt, isolateOffers: true, cancellationToken);
            }
        }
        catch
        {
            _undo.RollbackTo(0);
            _run.RolledBack();
            throw;
        }
        _undo.Clear();
        _run.Committed(chunk.Counters);
        _options.ChunkCommitted?.Invoke(new IngestionChunk(_run.Chunks, offers.Length, Run, Stopwatch.GetElapsedTime(started)));
        return chunk.Results;
    }

    /// <summary>
    /// Writes a chunk in one transaction. Without <paramref name="isolateOffers"/> the first offer or match that fails
    /// aborts the whole transaction (<see cref="OfferFailedException"/>); with it, each offer and each match has a
    /// savepoint and a failure undoes only that offer, or only its match.
    /// </summary>
    private Chunk WriteChunk((Offer Offer, string? Problem)[] offers, PreparedOffer?[] ready, DateTimeOffset seenAt,
        bool isolateOffers, CancellationToken cancellationToken) => _store.Write(() =>
    {
        // A retried transaction (the store was busy, or an offer failed) starts again from the committed state.
        _undo.RollbackTo(0);
        _reposts.ForgetIfChangedElsewhere();
        var work = new Chunk(KnownOffers(offers));
        for (var i = 0; i < offers.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            work.Results.Add(Process(offers[i].Offer, offers[i].Problem, ready[i]?.Text, seenAt, work, isolateOffers));
        }
        StoreMatches(work, ready, seenAt, isolateOffers, cancellationToken);
        foreach (var result in work.Results) work.Count(result);
        _store.Companies.Touch(work.Affected, seenAt);
        Run.Provider ??= work.Results.Select(r => r.Provider).FirstOrDefault(p => p is not null);
        _run.SaveChunk(work.Counters, work.Affected);
        return work;
    }, cancellationToken);

    /// <summary>An offer of a chunk written without savepoints failed: the chunk is written again, isolating each offer.</summary>
    private sealed class OfferFailedException(Exception inner) : Exception(inner.Message, inner);

    private void EnsureRunning()
    {
        if (IsFinished) throw new InvalidOperationException($"Run {Run.RunId} is already finished ({Run.Status}).");
    }

    /// <summary>The provider ids of the chunk the store already knows, in one query per provider.</summary>
    private Dictionary<(string Provider, string Id), KnownOffer> KnownOffers((Offer Offer, string? Problem)[] offers)
    {
        var known = new Dictionary<(string, string), KnownOffer>();
        foreach (var provider in offers.GroupBy(o => ProviderOf(o.Offer), o => OfferNormalization.TrimToNull(o.Offer.ProviderOfferId)))
        {
            var ids = provider.OfType<string>().ToArray();
            if (ids.Length == 0) continue;
            foreach (var (id, offer) in _store.Offers.Find(provider.Key, ids)) known[(provider.Key, id)] = offer;
        }
        return known;
    }

    /// <summary>One offer up to its match (in a savepoint of its own when isolated); the match is stored afterwards (<see cref="StoreMatches"/>).</summary>
    private OfferIngestionResult Process(Offer offer, string? problem, OfferText? text, DateTimeOffset seenAt, Chunk work,
        bool isolated)
    {
        work.Counters.Received++;
        // The chunk's preparation validated every offer and left no text for an invalid one: only then is it asked why.
        if (text is null)
            return Result(offer, IngestionOutcome.SkippedInvalid, problem ?? OfferValidator.Validate(offer)?.Message ?? "Invalid offer.");

        var mark = _undo.Mark();
        var step = new Step();
        try
        {
            var result = isolated
                ? _store.Savepoint(() => Persist(offer, text, seenAt, work, step))
                : Persist(offer, text, seenAt, work, step);
            if (result.CompanyId is { } companyId && result.Outcome is not (IngestionOutcome.SkippedResolved
                    or IngestionOutcome.SkippedNoIdentity))
                work.Affected.Add(companyId);
            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !isolated)
        {
            throw new OfferFailedException(ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _undo.RollbackTo(mark);
            work.NeedsMatch.Remove(work.Results.Count);
            // The company is still recomputed, unless the failed offer was creating it (then it no longer exists).
            if (step.ExistingCompanyId is { } existing) work.Affected.Add(existing);
            return Result(offer, IngestionOutcome.FailedDb, $"Storing the offer failed: {ex.Message}", companyId: step.ExistingCompanyId);
        }
    }

    /// <summary>
    /// Stores the match (scored while the chunk was prepared) of each new and changed offer in the chunk's transaction;
    /// an offer whose match cannot be stored becomes match_failed, still stored.
    /// </summary>
    private void StoreMatches(Chunk work, PreparedOffer?[] prepared, DateTimeOffset seenAt, bool isolated,
        CancellationToken cancellationToken)
    {
        foreach (var index in work.NeedsMatch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = work.Results[index];
            MatchAttempt match;
            try
            {
                var computed = work.FilledMatches.GetValueOrDefault(index) ?? prepared[index]!.Match;
                match = _matches.Store(result.OfferId!.Value, computed, seenAt, isolated, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && !isolated)
            {
                throw new OfferFailedException(ex);
            }
            if (match.Stored) work.Counters.Scored++;
            work.Results[index] = match.Stored
                ? result with { Score = match.Match!.Score, TopCategory = match.Match.TopCategory }
                : result with { Outcome = IngestionOutcome.MatchFailed, Reason = $"Stored, but its match could not be: {match.Error!.Message}" };
        }
    }

    /// <summary>What <see cref="Persist"/> had reached when it failed.</summary>
    private sealed class Step
    {
        public long? ExistingCompanyId;
    }

    private OfferIngestionResult Persist(Offer offer, OfferText text, DateTimeOffset seenAt, Chunk work, Step step)
    {
        var provider = ProviderOf(offer);
        var providerOfferId = offer.ProviderOfferId.Trim();
        var resolution = CompanyIdentity.Resolve(provider, offer.Company, text.CompanyKeys, _companies);
        if (resolution.Kind == CompanyResolutionKind.NoIdentity)
            return Result(offer, IngestionOutcome.SkippedNoIdentity, $"No company identity: {resolution.Reason}.");
        if (resolution.CompanyId is { } resolved && _companies.IsFinal(resolved))
            return Result(offer, IngestionOutcome.SkippedResolved, "The company's resolution is final.", companyId: resolved);

        work.Known.TryGetValue((provider, providerOfferId), out var known);
        if (known is not null && _companies.IsFinal(known.CompanyId))
            return Result(offer, IngestionOutcome.SkippedResolved, "The offer's company resolution is final.", companyId: known.CompanyId);
        step.ExistingCompanyId = known?.CompanyId ?? resolution.CompanyId;

        // A known offer stays with its company: a new company its details now point to would be created empty.
        var companyId = known is { IsRepost: false } && resolution.Kind == CompanyResolutionKind.New
            ? known.CompanyId
            : _companies.Apply(resolution, provider, offer.Company, seenAt);
        var signature = text.Signature;
        if (known is { IsRepost: true })
        {
            // A repost id seen again: the vacancy is still up; its canonical offer keeps its own content.
            if (offer.DetailOmitted || _reposts.FindRepost(known.CompanyId, signature, seenAt) is { IsRepost: true } still
                && still.CanonicalOfferId == known.OfferId)
            {
                _store.Offers.RegisterRepost(known.OfferId, provider, providerOfferId, seenAt, PublicationOf(offer));
                _reposts.MarkSeen(known.CompanyId, known.OfferId, seenAt);
                return Result(offer, IngestionOutcome.Updated, $"Known repost of offer {known.OfferId}: last seen updated.",
                    known.OfferId, known.CompanyId);
            }
            // Its text is no longer that vacancy's (the ad was rewritten, or the canonical offer was): it leaves the
            // canonical offer and is taken for what it is now, a repost of another offer or a new one.
            _store.Offers.UnregisterRepost(known.OfferId, provider, providerOfferId);
            work.Affected.Add(known.CompanyId);
            known = null;
        }

        if (known is not null) return Update(offer, known, text, seenAt, work);

        var repost = _reposts.FindRepost(companyId, signature, seenAt);
        if (repost is { IsRepost: true, CanonicalOfferId: { } canonical })
        {
            _store.Offers.RegisterRepost(canonical, provider, providerOfferId, seenAt, PublicationOf(offer));
            _reposts.MarkSeen(companyId, canonical, seenAt);
            work.Remember(_undo, provider, new KnownOffer
            {
                OfferId = canonical, CompanyId = companyId, ProviderOfferId = providerOfferId, IsRepost = true,
            });
            var similarity = repost.Similarity is { } s ? $", similarity {s:0.00}" : "";
            return Result(offer, IngestionOutcome.Repost, $"Repost of offer {canonical} ({repost.Rule}{similarity}).",
                canonical, companyId);
        }

        var offerId = _store.Offers.Insert(companyId, offer, text.Content, seenAt);
        _reposts.Add(companyId, offerId, signature, seenAt);
        work.Remember(_undo, provider, new KnownOffer
        {
            OfferId = offerId, CompanyId = companyId, ProviderOfferId = providerOfferId, Fingerprint = signature.Fingerprint,
            UpdatedAt = StoreTimeOf(offer.UpdatedAt), HasMatch = true,
        });
        return work.Match(Result(offer, IngestionOutcome.Inserted, $"New offer ({resolution.Reason}).", offerId, companyId));
    }

    private OfferIngestionResult Update(Offer offer, KnownOffer known, OfferText text, DateTimeOffset seenAt, Chunk work)
    {
        if (offer.DetailOmitted)
        {
            // A search-list item without its detail (no description): it says the offer is still listed, nothing more.
            MarkSeen(offer, known, seenAt);
            return Result(offer, IngestionOutcome.Updated, "Known offer listed again (detail not fetched): last seen updated.",
                known.OfferId, known.CompanyId);
        }
        var incomingUpdatedAt = StoreTimeOf(offer.UpdatedAt);
        if (KnownOfferUpdate.IsOlder(incomingUpdatedAt, known.UpdatedAt)) return KeepNewer(offer, known, incomingUpdatedAt!.Value, seenAt, work);

        // Only a value replaces a value: text the input lacks is the stored text, and the offer is signed and scored
        // with what will be stored (prepared again here, on this rare path, since the chunk was prepared without it).
        PreparedMatch? filledMatch = null;
        var stored = offer;
        if (KnownOfferUpdate.LacksScoredText(offer) && _store.Offers.ReadText(known.OfferId) is { } storedText
            && KnownOfferUpdate.WithStoredText(offer, storedText) is { } filled)
        {
            stored = filled;
            (text, filledMatch) = Prepare(filled, _matches);
        }
        _store.Offers.Update(known.OfferId, stored, text.Content, seenAt);
        var updatedAt = incomingUpdatedAt ?? known.UpdatedAt;
        var changed = known.Fingerprint != text.Signature.Fingerprint || known.UpdatedAt != updatedAt;
        if (changed) _reposts.Add(known.CompanyId, known.OfferId, text.Signature, seenAt);
        else _reposts.MarkSeen(known.CompanyId, known.OfferId, seenAt);
        // The same id later in this chunk compares with what is stored now, not with what the chunk started from.
        if (changed || !known.HasMatch)
            work.Remember(_undo, ProviderOf(offer),
                known with { Fingerprint = text.Signature.Fingerprint, UpdatedAt = updatedAt, HasMatch = true });
        if (!changed && known.HasMatch)
            return Result(offer, IngestionOutcome.Updated, "Known offer, unchanged: last seen updated.", known.OfferId, known.CompanyId);
        var why = changed ? "Known offer, content changed: re-scored." : "Known offer without a match: scored.";
        return work.Match(Result(offer, IngestionOutcome.Updated, why, known.OfferId, known.CompanyId), filledMatch);
    }

    /// <summary>
    /// A version older than the stored one (the provider updated the offer since): the stored fields and score stay;
    /// the offer only counts as seen, as when it is listed again. A stored offer still without a match is scored, from
    /// its stored text.
    /// </summary>
    private OfferIngestionResult KeepNewer(Offer offer, KnownOffer known, DateTimeOffset incomingUpdatedAt, DateTimeOffset seenAt,
        Chunk work)
    {
        MarkSeen(offer, known, seenAt);
        var why = $"Known offer, older version (provider update {StoreTime.ToText(incomingUpdatedAt)}, stored " +
                  $"{StoreTime.ToText(known.UpdatedAt)}): the newer stored version is kept; last seen updated.";
        if (known.HasMatch || _store.Offers.ReadText(known.OfferId) is not { } storedText)
            return Result(offer, IngestionOutcome.Updated, why, known.OfferId, known.CompanyId);
        var (_, match) = Prepare(KnownOfferUpdate.WithText(offer, storedText), _matches);
        work.Remember(_undo, ProviderOf(offer), known with { HasMatch = true });
        return work.Match(Result(offer, IngestionOutcome.Updated, why + " It had no match: scored.", known.OfferId, known.CompanyId), match);
    }

    private void MarkSeen(Offer offer, KnownOffer known, DateTimeOffset seenAt)
    {
        _store.Offers.MarkSeen(known.OfferId, offer.ProviderOfferId, seenAt);
        _reposts.MarkSeen(known.CompanyId, known.OfferId, seenAt);
    }

    private static DateTimeOffset? StoreTimeOf(DateTimeOffset? value) => value is { } v ? StoreTime.Truncate(v) : null;

    /// <summary>When a repost was published: its published date, else its updated date (what the vacancy's last strong signal reads).</summary>
    private static DateTimeOffset? PublicationOf(Offer offer) => StoreTimeOf(offer.PublishedAt ?? offer.UpdatedAt);

    private static string ProviderOf(Offer offer) => OfferNormalization.TrimToNull(offer.Provider) ?? Providers.Infojobs;

    private static OfferIngestionResult Result(Offer offer, IngestionOutcome outcome, string reason, long? offerId = null,
        long? companyId = null) => new()
    {
        Outcome = outcome, Reason = reason, Provider = ProviderOf(offer),
        ProviderOfferId = OfferNormalization.TrimToNull(offer.ProviderOfferId), Title = offer.Title,
        OfferId = offerId, CompanyId = companyId, Offer = offer,
    };

    private static void Report(IReadOnlyList<OfferIngestionResult> results, Action<OfferIngestionResult>? onResult)
    {
        if (onResult is null) return;
        foreach (var result in results) onResult(result);
    }

    /// <summary>One chunk's work: results, counts and affected companies join the run only if it commits.</summary>
    private sealed class Chunk(Dictionary<(string Provider, string Id), KnownOffer> known)
    {
        public Dictionary<(string Provider, string Id), KnownOffer> Known { get; } = known;
        public List<OfferIngestionResult> Results { get; } = [];
        public RunCounters Counters { get; } = new();
        public SortedSet<long> Affected { get; } = [];
        /// <summary>Results (by index, the same as their offer's in the chunk) whose match is stored once the chunk's offers are.</summary>
        public SortedSet<int> NeedsMatch { get; } = [];

        public void Count(OfferIngestionResult result) => Counters.Count(result.Outcome);

        /// <summary>Matches computed while writing (of text the chunk was not prepared with), by result index.</summary>
        public Dictionary<int, PreparedMatch> FilledMatches { get; } = [];

        /// <summary>
        /// Marks the result being produced (the next in <see cref="Results"/>) for storing its match: the one prepared
        /// with the chunk, or <paramref name="computed"/> when the text stored is not the text the chunk was prepared with.
        /// </summary>
        public OfferIngestionResult Match(OfferIngestionResult result, PreparedMatch? computed = null)
        {
            NeedsMatch.Add(Results.Count);
            if (computed is null) FilledMatches.Remove(Results.Count);
            else FilledMatches[Results.Count] = computed;
            return result;
        }

        /// <summary>
        /// An id stored or changed by this chunk is known, as it now stands, to the chunk's later offers (the same id
        /// twice is an update); undone, the entry it replaced comes back.
        /// </summary>
        public void Remember(UndoLog undo, string provider, KnownOffer offer)
        {
            var key = (provider, offer.ProviderOfferId);
            var replaced = Known.GetValueOrDefault(key);
            Known[key] = offer;
            undo.Add(() =>
            {
                if (replaced is null) Known.Remove(key);
                else Known[key] = replaced;
            });
        }
    }

    /// <summary>
    /// A chunk's offers being prepared on the thread pool, and by the writer when it waits for them: each valid offer
    /// tokenized once, signed (<see cref="OfferText"/>) and scored. Scoring is pure, so it is done before the store says whether the offer is
    /// new; the few reposts and unchanged updates simply do not use their score.
    /// </summary>
    private sealed class PreparedChunk
    {
        private readonly ParallelBatch<(Offer Offer, string? Problem), PreparedOffer?> _work;

        public PreparedChunk((Offer Offer, string? Problem)[] offers, MatchRecorder matches, CancellationToken cancellationToken)
        {
            Offers = offers;
            _work = new(offers, item =>
                item.Problem is not null || OfferValidator.Validate(item.Offer) is not null ? null : Prepare(item.Offer, matches),
                ParallelBatch.BesideAWriter, cancellationToken);
        }

        public (Offer Offer, string? Problem)[] Offers { get; }

        /// <summary>
        /// Prepares what is not taken yet on this thread, then waits for the rest; null for offers that are invalid
        /// (they are never stored).
        /// </summary>
        public PreparedOffer?[] Wait() => _work.Join();

        /// <summary>The chunk will not be written: let the offers being prepared finish quietly (they touch nothing shared).</summary>
        public void Abandon() => _work.Abandon();
    }

    /// <summary>A valid offer tokenized once, signed (<see cref="OfferText"/>) and scored: pure, thread-safe.</summary>
    private static PreparedOffer Prepare(Offer offer, MatchRecorder matches)
    {
        var title = Tokenizer.TokenizeRented(offer.Title);
        var description = Tokenizer.TokenizeRented(offer.Description);
        var requirements = Tokenizer.TokenizeRented(offer.Requirements);
        try
        {
            return new PreparedOffer(OfferText.Of(offer, title, description),
                matches.Compute(title, description, requirements, CompanyNameMask.NameOf(offer.Company)));
        }
        finally
        {
            // Nothing prepared keeps the tokens: the signature and the match hold copies of what they need.
            title.ReturnRented();
            description.ReturnRented();
            requirements.ReturnRented();
        }
    }

    private sealed record PreparedOffer(OfferText Text, PreparedMatch Match);
}

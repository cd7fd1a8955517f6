using System.Diagnostics;
using JobSignal.Core.Catalog;
using JobSignal.Core.Common;
using JobSignal.Core.Domain;
using JobSignal.Core.Store;

namespace JobSignal.Core.Ingestion;

/// <summary>Knobs of <see cref="OfferRescorer"/>.</summary>
public sealed record RescoreOptions : ChunkedWriteOptions
{
    /// <summary>Called after each chunk committed (progress, verbose output).</summary>
    public Action<IngestionChunk>? ChunkCommitted { get; init; }

    /// <summary>Hears what the user should be told before the run goes on: runs of ended processes it marked abandoned.</summary>
    public Action<string>? Warning { get; init; }

    /// <summary>Hears the run once it is recorded (before any offer): what a failure afterwards can be told about.</summary>
    public Action<IngestionRun>? Started { get; init; }
}

/// <summary>
/// Re-scores stored offers with the current catalog (after a catalog change, or to give offers whose match could not
/// be stored one): a run of kind <c>rescore</c> with the same lifecycle as an ingestion run. Offers are read by
/// ascending id in chunks, each chunk one transaction; every offer counts as received and then scored or
/// match_failed; the companies of the re-scored offers are the run's affected companies, for aggregation.
/// </summary>
public static class OfferRescorer
{
    public static IngestionRun Rescore(SignalStore store, Func<CompiledCatalog> loadCatalog, OfferFilter? filter = null,
        RescoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(loadCatalog);
        options ??= new RescoreOptions();
        options.Validate();
        var baseFilter = (filter ?? new OfferFilter()) with { OrderBy = OfferOrder.OfferId, Limit = options.ChunkSize };
        var (run, catalog) = RunRecorder.Start(store, RunKind.Rescore, provider: null, queryKey: null, loadCatalog);
        options.Started?.Invoke(run.Run);
        foreach (var warning in run.AbandonedRunWarnings) options.Warning?.Invoke(warning);
        var matches = new MatchRecorder(store, catalog, options.Retry());
        var clock = options.Clock ?? store.Options.Clock;
        try
        {
            long? after = null;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var started = Stopwatch.GetTimestamp();
                var chunk = new RunCounters();
                var offers = store.Write(() =>
                {
                    chunk = new RunCounters();
                    var page = store.Offers.List(baseFilter with { AfterOfferId = after });
                    var matchedAt = StoreTime.Now(clock);
                    var prepared = ParallelBatch.Map(page, matches.Compute, cancellationToken);
                    for (var i = 0; i < page.Count; i++)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        chunk.Received++;
                        if (matches.Store(page[i].OfferId, prepared[i], matchedAt, isolated: true, cancellationToken).Stored) chunk.Scored++;
                        else chunk.Count(IngestionOutcome.MatchFailed);
                    }
                    run.SaveChunk(chunk, page.Select(o => o.CompanyId));
                    return page;
                }, cancellationToken);
                if (offers.Count == 0) break;
                run.Committed(chunk);
                after = offers[^1].OfferId;
                options.ChunkCommitted?.Invoke(new IngestionChunk(run.Chunks, offers.Count, run.Run, Stopwatch.GetElapsedTime(started)));
            }
            run.Finish(RunStatus.Success, null);
            return run.Run;
        }
        catch (OperationCanceledException)
        {
            run.RolledBack();
            run.Cancel();
            throw;
        }
        catch (Exception ex)
        {
            run.RolledBack();
            try { run.Finish(RunStatus.Failed, ex.Message); }
            catch (Exception) when (store.FailureOf(ex) is not null)
            {
                // The store that stopped the run (locked, damaged) refuses its last write too: the user hears what
                // stopped it, and the run says what the store holds, still running (a later run marks it abandoned).
                run.Run.Status = RunStatus.Running;
                run.Run.FinishedAt = null;
                run.Run.ErrorMessage = null;
            }
            throw;
        }
    }
}

using JobSignal.Core.Common;
using JobSignal.Core.Store;

namespace JobSignal.Core.Pipeline;

/// <summary>
/// The scheduled job (SPEC 10): takes the run lock, runs every query, then aggregation, the Sheet sync and the
/// feedback import, each in its own error domain (one failing side effect neither hides nor aborts the others),
/// records per-query state, refreshes the lock between stages and always releases it.
/// </summary>
public sealed class PipelineRunner
{
    public const string AggregateStage = "aggregate";
    public const string SyncStage = "sync";
    public const string FeedbackStage = "feedback";
    public const string LockLostErrorId = "PipelineLockLost";

    private readonly SignalStore _store;
    private readonly IPipelineStages _stages;
    private readonly PipelinePlan _plan;
    private readonly PipelineConfig _config;
    private readonly string _owner;
    private readonly TimeProvider _clock;

    public PipelineRunner(SignalStore store, IPipelineStages stages, PipelinePlan plan, string? owner = null,
        TimeProvider? clock = null)
    {
        _store = store;
        _stages = stages;
        _plan = plan;
        _config = plan.Config;
        _owner = owner ?? RunOwner.NewRun();
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>Reports each query and stage as it ends (for progress and verbose output).</summary>
    public event Action<string>? StepCompleted;

    /// <summary>Reports, as it happens, that the run took the lock over from a run that is gone or expired (its owner).</summary>
    public event Action<string>? LockTakenOver;

    /// <summary>
    /// Runs the queries and stages under the run lock. A failing query or stage is recorded and the run goes on. The
    /// store itself failing (locked by another process past the retries, damaged: StoreBusy, StoreDamaged,
    /// StoreUnusable) is a <see cref="JobSignalException"/> thrown before anything ran: a store that SQLite's check
    /// finds damaged is refused before the lock is taken, so nothing is written into it. Afterwards, in the run's
    /// bookkeeping or in any query or stage, it ends the run as failed with <see cref="PipelineSummary.StoreFailure"/>:
    /// the steps before it (and the one it stopped) are in the summary, nothing after it runs. Cancellation ends the
    /// run as cancelled: the query or stage it stopped is listed as cancelled (a query with its run and what it
    /// committed, also recorded in its state), the steps that did not run as skipped.
    /// </summary>
    public PipelineSummary Run(CancellationToken cancellationToken)
    {
        var summary = new PipelineSummary { StartedAt = _clock.GetUtcNow() };
        if (_store.CheckIntegrity() is { } damaged) throw damaged;
        RunLockAttempt attempt;
        try { attempt = _store.RunLocks.TryAcquire(RunLockRepository.PipelineLock, _config.LockTtl, _owner); }
        catch (Exception ex) when (_store.FailureOf(ex) is { } failure) { throw failure; }
        if (!attempt.Acquired)
        {
            summary.LockHolder = $"{attempt.Holder.Owner} (since {attempt.Holder.AcquiredAt:u}, expires {attempt.Holder.ExpiresAt:u})";
            return Finish(summary, "locked", PipelineExitCode.Locked);
        }
        summary.TookOverLockFrom = attempt.TookOverFrom;
        if (attempt.TookOverFrom is { } previous) LockTakenOver?.Invoke(previous);

        try
        {
            var affected = new SortedSet<long>();
            foreach (var query in _config.Queries)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var result = RunQuery(query, summary, cancellationToken);
                affected.UnionWith(result.AffectedCompanyIds);
                // Told before the lock is checked: a run that lost its lock still reports the step it finished.
                StepCompleted?.Invoke($"query {query.Key}: {result.Status}");
                KeepLock();
            }

            RunStage(summary, AggregateStage, ct => _stages.Aggregate(affected, ct), cancellationToken);
            RunPlanned(summary, SyncStage, _plan.Sync, _stages.SyncSheet, cancellationToken);
            RunPlanned(summary, FeedbackStage, _plan.Feedback, _stages.ImportFeedback, cancellationToken);

            return summary.FailedCount > 0
                ? Finish(summary, "failed", PipelineExitCode.StageFailed)
                : Finish(summary, "success", PipelineExitCode.Success);
        }
        catch (OperationCanceledException)
        {
            ListNotRun(summary, "not run: the pipeline was stopped before it");
            return Finish(summary, "cancelled", PipelineExitCode.Cancelled);
        }
        catch (JobSignalException ex) when (ex.ErrorId == LockLostErrorId)
        {
            // What ran is committed and in the summary; nothing more may run while another run holds the lock.
            summary.LockLost = ex.Message;
            return Finish(summary, "failed", PipelineExitCode.StageFailed);
        }
        catch (Exception ex) when (_store.FailureOf(ex) is { } failure)
        {
            // Reported once, here: the step it stopped is listed with it, and nothing after it touched the store.
            summary.StoreFailure = failure;
            return Finish(summary, "failed", PipelineExitCode.StageFailed);
        }
        finally
        {
            // A store that failed may fail this too: the lock then expires (TTL), or the next run of this host takes
            // it over from this ended process.
            try { _store.RunLocks.Release(RunLockRepository.PipelineLock, _owner); }
            catch (Exception ex) when (_store.FailureOf(ex) is not null) { }
        }
    }

    /// <summary>Runs one query, lists it in <paramref name="summary"/> and records its state, in that order: a store
    /// failing while the state is recorded still leaves what the query did in the summary. A query the store's own
    /// failure stopped is listed, not recorded (nothing more is written into that store), and ends the run; a stopped
    /// query is listed and recorded as cancelled, and ends the run as cancelled.</summary>
    private QueryResult RunQuery(PipelineQuery query, PipelineSummary summary, CancellationToken cancellationToken)
    {
        // The next incremental window starts where this run started: what InfoJobs published while it ran is in it.
        var startedAt = _clock.GetUtcNow();
        var since = query.Since ?? IncrementalSince(query.Key);
        QueryResult result;
        try
        {
            result = _stages.RunQuery(query, since, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            result = new QueryResult(query.Key, StageStatus.Cancelled, since, null, 0, [], "Cancelled before its ingestion run started.");
        }
        catch (Exception ex)
        {
            // The stage keeps the run it recorded in its result; throwing, it had none.
            var failure = StepFailure.Of(ex, _store);
            result = new QueryResult(query.Key, StageStatus.Failed, since, null, 0, [], failure.Error, failure.RecommendedAction, failure.Kind)
                { StoreFailure = failure.StoreFailure };
        }

        summary.Queries.Add(result);
        if (result.StoreFailure is { } storeFailure) throw storeFailure;
        switch (result.Status)
        {
            case StageStatus.Cancelled:
                // Not a success: its window does not move, and the next run fetches it again.
                _store.QueryStates.RecordCancelled(query.Key, result.RunId, result.Error ?? "Cancelled.", startedAt);
                throw new OperationCanceledException(cancellationToken);
            case StageStatus.Failed:
                _store.QueryStates.RecordFailure(query.Key, result.RunId, result.Error ?? "failed", startedAt);
                break;
            default:
                _store.QueryStates.RecordSuccess(query.Key, result.RunId, startedAt);
                break;
        }
        return result;
    }

    /// <summary>
    /// A query without its own Since fetches what appeared since its last success, with a margin
    /// (<see cref="IncrementalWindow"/>); a never-successful query fetches everything.
    /// </summary>
    private string? IncrementalSince(string queryKey)
    {
        if (_store.QueryStates.Get(queryKey) is not { LastSuccessAt: { } lastSuccess } state) return null;
        var lastDuration = state.LastRunId is { } runId ? _store.Runs.Get(runId)?.Duration : null;
        return IncrementalWindow.Since(lastSuccess, lastDuration, _clock.GetUtcNow()).ApiValue;
    }

    /// <summary>A Sheet stage as planned: run, skipped, or failed with the plan's problem (a half-configured Sheet).</summary>
    private void RunPlanned(PipelineSummary summary, string stage, StagePlan plan, Func<CancellationToken, StageResult> run,
        CancellationToken cancellationToken)
    {
        switch (plan)
        {
            case { Problem: { } problem }:
                RunStage(summary, stage, _ => throw problem, cancellationToken);
                break;
            case { SkipReason: { } why }:
                summary.Stages.Add(StageResult.Skipped(stage, why, plan.Deliberate));
                break;
            default:
                RunStage(summary, stage, run, cancellationToken);
                break;
        }
    }

    /// <summary>Runs one stage and lists it in <paramref name="summary"/>; stopped or failed by the store, it is listed and the run ends.</summary>
    private void RunStage(PipelineSummary summary, string stage, Func<CancellationToken, StageResult> run, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        StageResult result;
        try
        {
            result = run(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            summary.Stages.Add(new StageResult(stage, StageStatus.Cancelled, "stopped before it finished; what it committed stays"));
            throw;
        }
        catch (Exception ex)
        {
            var failure = StepFailure.Of(ex, _store);
            result = new StageResult(stage, StageStatus.Failed, "failed", failure.Error, failure.RecommendedAction, ErrorKind: failure.Kind)
                { StoreFailure = failure.StoreFailure };
        }
        summary.Stages.Add(result);
        if (result.StoreFailure is { } storeFailure) throw storeFailure;
        StepCompleted?.Invoke($"{stage}: {result.Status}");
        KeepLock();
    }

    /// <summary>The queries and stages a stopped run did not get to, listed as skipped so that the summary shows them all.</summary>
    private void ListNotRun(PipelineSummary summary, string why)
    {
        foreach (var query in _config.Queries.Where(q => !summary.Queries.Any(r => r.QueryKey == q.Key)))
            summary.Queries.Add(new QueryResult(query.Key, StageStatus.Skipped, null, null, 0, [], null));
        foreach (var stage in new[] { AggregateStage, SyncStage, FeedbackStage }.Where(s => !summary.Stages.Any(r => r.Stage == s)))
            // Deliberate: the operator stopped the run; nothing is missing that a warning should point at.
            summary.Stages.Add(StageResult.Skipped(stage, why, deliberate: true));
    }

    private void KeepLock()
    {
        if (!_store.RunLocks.Refresh(RunLockRepository.PipelineLock, _config.LockTtl, _owner))
            throw new JobSignalException(LockLostErrorId, FailureKind.ResourceUnavailable,
                "The pipeline run lock was taken over by another run; this run stopped there, before its next step.",
                RunLockRepository.PipelineLock, "Raise Lock.TtlMinutes above the longest run's duration.");
    }

    private PipelineSummary Finish(PipelineSummary summary, string status, int exitCode)
    {
        summary.Status = status;
        summary.ExitCode = exitCode;
        summary.FinishedAt = _clock.GetUtcNow();
        return summary;
    }
}

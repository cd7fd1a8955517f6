using System.Management.Automation;
using JobSignal.Core.Common;

namespace JobSignal.Cmdlets.Infrastructure;

/// <summary>
/// A store cmdlet that writes in chunked, retried batches (ingestion, aggregation, re-scoring): the retry parameters
/// and one way to end the cmdlet when the batch as a whole fails.
/// </summary>
public abstract class BatchStoreCmdlet : StoreCmdlet
{
    /// <summary>Retries of one item's failing write (a match, a company) after its first attempt.</summary>
    [Parameter]
    [ValidateRange(0, 10)]
    public int MaxRetries { get; set; } = 2;

    /// <summary>Wait before the first retry, doubled for each further one, ±20 % jitter. A number is milliseconds.</summary>
    [Parameter]
    [DelayTransformation]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The activity this cmdlet shows progress under (completed whenever the cmdlet ends).</summary>
    protected abstract (int Id, string Activity) Progress { get; }

    protected void ReportProgress(string status) => ReportProgress(Progress.Id, Progress.Activity, status);

    protected void CompleteProgress() => CompleteProgress(Progress.Id, Progress.Activity);

    /// <summary>
    /// Runs a batch step. Ctrl+C stops the pipeline; the store itself failing (locked by another process past the
    /// retries, damaged, a disk error) ends the cmdlet with StoreBusy, StoreDamaged or StoreUnusable; another
    /// <see cref="JobSignalException"/> with its own ErrorId; any other failure with <paramref name="failedErrorId"/>.
    /// <paramref name="onFailure"/> records the failure first (the run) and says what became of it, which the error adds.
    /// </summary>
    protected T Guarded<T>(Func<T> step, string failedErrorId, string whatFailed, Func<Exception, string?>? onFailure = null) =>
        Guarded(static step => step(), step, failedErrorId, whatFailed, onFailure);

    /// <summary>
    /// <see cref="Guarded{T}(Func{T}, string, string, Func{Exception, string?}?)"/> with the step's state passed in, so
    /// that a step run for every pipeline item (a static lambda) allocates no closure.
    /// </summary>
    protected TResult Guarded<TState, TResult>(Func<TState, TResult> step, TState state, string failedErrorId, string whatFailed,
        Func<Exception, string?>? onFailure = null)
    {
        try
        {
            return step(state);
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            var outcome = onFailure?.Invoke(ex) ?? "Committed chunks are kept.";
            CompleteProgress();
            ThrowFailure(StoreFailure(ex) is { } store
                ? new JobSignalException(store.ErrorId, store.Kind, $"{whatFailed}: {store.Message} {outcome}", store.Target, store.RecommendedAction, ex)
                : ex as JobSignalException ?? new JobSignalException(failedErrorId, FailureKind.WriteError,
                    $"{whatFailed}: {ex.Message} {outcome}", ResolveDatabasePath(),
                    "Check the store file (disk space, permissions, triggers) and run the command again.", ex));
            throw; // not reached: ThrowFailure always throws
        }
    }
}

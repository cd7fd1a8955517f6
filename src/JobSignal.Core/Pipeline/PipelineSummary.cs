namespace JobSignal.Core.Pipeline;

/// <summary>Process exit codes of the scheduled pipeline (documented in the README).</summary>
public static class PipelineExitCode
{
    public const int Success = 0;
    /// <summary>At least one query or stage failed (or the store failed midway); what ran stays.</summary>
    public const int StageFailed = 1;
    /// <summary>The configuration, the store or the catalog cannot be used: nothing ran.</summary>
    public const int SetupFailed = 2;
    /// <summary>Another pipeline run holds the lock: nothing ran.</summary>
    public const int Locked = 3;
    /// <summary>Stopped by Ctrl+C or the scheduler: what was committed stays committed.</summary>
    public const int Cancelled = 130;
}

/// <summary>What one scheduled pipeline run did (PowerShell type name JobSignal.PipelineSummary).</summary>
public sealed class PipelineSummary
{
    public string Status { get; set; } = "running";
    public int ExitCode { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public TimeSpan? Duration => FinishedAt - StartedAt;
    /// <summary>Who held the lock when this run could not take it.</summary>
    public string? LockHolder { get; set; }
    /// <summary>The stale lock this run took over, if any.</summary>
    public string? TookOverLockFrom { get; set; }
    /// <summary>Why the run stopped early when another run took its lock over (the steps before it are listed).</summary>
    public string? LockLost { get; set; }
    /// <summary>
    /// Why the run stopped early when the store itself failed after it started (another process kept it locked past
    /// the retries, a disk error): StoreBusy, StoreDamaged or StoreUnusable. The steps before it are listed and stay.
    /// </summary>
    public Common.JobSignalException? StoreFailure { get; set; }
    public List<QueryResult> Queries { get; } = new();
    public List<StageResult> Stages { get; } = new();
    public int FailedCount => Queries.Count(q => q.Status == StageStatus.Failed) + Stages.Count(s => s.Status == StageStatus.Failed);

    /// <summary>
    /// True when the query failed of <see cref="StoreFailure"/> itself (the step it stopped), even when its error also
    /// lists other problems, so that the failure is reported once.
    /// </summary>
    public bool IsStoreFailure(QueryResult query) => StoreFailure is not null && query.StoreFailure is not null;

    /// <inheritdoc cref="IsStoreFailure(QueryResult)"/>
    public bool IsStoreFailure(StageResult stage) => StoreFailure is not null && stage.StoreFailure is not null;

    public override string ToString() => $"Pipeline {Status} (exit {ExitCode})";
}

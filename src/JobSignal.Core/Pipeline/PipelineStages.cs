using JobSignal.Core.Common;
using JobSignal.Core.Store;

namespace JobSignal.Core.Pipeline;

public enum StageStatus
{
    Succeeded,
    Failed,
    Skipped,
    /// <summary>Stopped midway (Ctrl+C, a service stop): what it committed stays.</summary>
    Cancelled,
}

/// <summary>
/// How one stage of the scheduled pipeline went; a failed stage never stops the ones after it, unless the store itself
/// failed (<see cref="StoreFailure"/>).
/// <paramref name="RecommendedAction"/> is what to do about <paramref name="Error"/>, and <paramref name="ErrorKind"/>
/// what kind of failure it is (an outage, a refused key, a store problem), both from the failure that caused it.
/// <paramref name="Deliberate"/>: skipped because the configuration switches it off (nothing to look at), rather
/// than because something is missing.
/// </summary>
public sealed record StageResult(string Stage, StageStatus Status, string Summary, string? Error = null,
    string? RecommendedAction = null, bool Deliberate = false, FailureKind ErrorKind = FailureKind.NotSpecified)
{
    public static StageResult Skipped(string stage, string why, bool deliberate = false) =>
        new(stage, StageStatus.Skipped, why, Deliberate: deliberate);

    /// <summary>The store's own failure that failed the stage (locked, damaged): it ends the whole run.</summary>
    internal JobSignalException? StoreFailure { get; init; }
}

/// <summary>One query's fetch + ingestion as the pipeline saw it; <paramref name="RunId"/> is null when the query
/// failed (or was stopped) before its ingestion run was recorded. A cancelled query's <paramref name="OffersReceived"/>
/// and companies are what its run committed, and <paramref name="Error"/> says where it stopped.
/// <paramref name="ErrorKind"/> is the kind of the failure that failed it (ConnectionError for InfoJobs down,
/// AuthenticationError for refused credentials...).</summary>
public sealed record QueryResult(
    string QueryKey,
    StageStatus Status,
    string? Since,
    long? RunId,
    int OffersReceived,
    IReadOnlyList<long> AffectedCompanyIds,
    string? Error,
    string? RecommendedAction = null,
    FailureKind ErrorKind = FailureKind.NotSpecified)
{
    /// <summary>The store's own failure that failed the query (locked, damaged): it ends the whole run.</summary>
    internal JobSignalException? StoreFailure { get; init; }
}

/// <summary>
/// A failure as the pipeline reports it: "ErrorId: message", what to do about it and its kind. A store error (SQLite
/// busy, damaged, unusable) is told with the store's own ErrorId (StoreBusy...), never as a raw SQLite exception.
/// </summary>
public sealed record StepFailure(string Error, string? RecommendedAction, FailureKind Kind = FailureKind.NotSpecified)
{
    /// <summary>Set when the failure is the store's own (StoreBusy, StoreDamaged, StoreUnusable).</summary>
    internal JobSignalException? StoreFailure { get; init; }

    public static StepFailure Of(JobSignalException ex) => new($"{ex.ErrorId}: {ex.Message}", ex.RecommendedAction, ex.Kind);

    public static StepFailure Of(Exception ex, SignalStore store) => store.FailureOf(ex) is { } storeFailure
        ? Of(storeFailure) with { StoreFailure = storeFailure }
        : ex switch
        {
            JobSignalException known => Of(known),
            _ => new($"{ex.GetType().Name}: {ex.Message}", null),
        };

    /// <summary>Several failures of one step: their errors in order, each distinct action once, the first one's kind.</summary>
    public static StepFailure? Combine(IReadOnlyList<StepFailure> failures) => failures.Count switch
    {
        0 => null,
        1 => failures[0],
        _ => new(string.Join("; ", failures.Select(f => f.Error)),
            string.Join(" ", failures.Select(f => f.RecommendedAction).OfType<string>().Distinct()) is { Length: > 0 } actions ? actions : null,
            failures[0].Kind)
        {
            StoreFailure = failures.Select(f => f.StoreFailure).FirstOrDefault(f => f is not null),
        },
    };
}

/// <summary>
/// The real work behind each stage (fetch + ingest a query, aggregate, sync the Sheet, import feedback), kept apart
/// from <see cref="PipelineRunner"/> so that the runner's lock, state and error-domain logic is tested on its own.
/// A stage reports its own failure by throwing, or by a failed result; the runner contains it.
/// </summary>
public interface IPipelineStages
{
    /// <summary>Fetches and ingests one query. <paramref name="since"/> is the query's own setting, or an InfoJobs
    /// bucket derived from its last success.</summary>
    QueryResult RunQuery(PipelineQuery query, string? since, CancellationToken cancellationToken);

    /// <summary>Aggregates <paramref name="companyIds"/> (the companies this run's queries changed) and every company
    /// left stale by an earlier run.</summary>
    StageResult Aggregate(IReadOnlyCollection<long> companyIds, CancellationToken cancellationToken);

    StageResult SyncSheet(CancellationToken cancellationToken);

    StageResult ImportFeedback(CancellationToken cancellationToken);
}

namespace JobSignal.Core.Pipeline;

public enum StageStatus
{
    Succeeded,
    Failed,
    Skipped,
}

/// <summary>
/// How one stage of the scheduled pipeline went; a failed stage never stops the ones after it. A failed stage's
/// <paramref name="RecommendedAction"/> is its error's own, when it had one ("Fix the header row...").
/// </summary>
public sealed record StageResult(string Stage, StageStatus Status, string Summary, string? Error = null, string? RecommendedAction = null)
{
    public static StageResult Skipped(string stage, string why) => new(stage, StageStatus.Skipped, why);
}

/// <summary>One query's fetch + ingestion as the pipeline saw it.</summary>
public sealed record QueryResult(
    string QueryKey,
    StageStatus Status,
    string? Since,
    long? RunId,
    int OffersReceived,
    IReadOnlyList<long> AffectedCompanyIds,
    string? Error);

/// <summary>
/// The real work behind each stage (fetch + ingest a query, aggregate, sync the Sheet, import feedback), kept apart
/// from <see cref="PipelineRunner"/> so that the runner's lock, state and error-domain logic is tested on its own.
/// A stage reports its own failure by throwing; the runner contains it.
/// </summary>
public interface IPipelineStages
{
    /// <summary>Fetches and ingests one query. <paramref name="since"/> is the query's own setting, or an InfoJobs
    /// bucket derived from its last success.</summary>
    QueryResult RunQuery(PipelineQuery query, string? since, CancellationToken cancellationToken);

    StageResult Aggregate(IReadOnlyCollection<long> companyIds, CancellationToken cancellationToken);

    StageResult SyncSheet(CancellationToken cancellationToken);

    StageResult ImportFeedback(CancellationToken cancellationToken);
}

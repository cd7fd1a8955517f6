using JobSignal.Core.Signal;

namespace JobSignal.Core.Domain;

/// <summary>
/// One ingestion or re-scoring run (PowerShell type name <c>JobSignal.IngestionRun</c>, SPEC 7.4): when and how it
/// ran, every outcome counter, the fetch statistics of its source and what aggregation did with it.
/// </summary>
public sealed class IngestionRun : IStoreLocal
{
    public long RunId { get; set; }
    public string Kind { get; set; } = RunKind.Ingestion;
    public string? Provider { get; set; }
    public string? QueryKey { get; set; }
    public string Status { get; set; } = RunStatus.Running;
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public TimeSpan? Duration => FinishedAt - StartedAt;
    public string? ErrorMessage { get; set; }
    public string? CatalogVersion { get; set; }
    /// <summary>host:pid:process start of the process that ran it, to find runs of dead processes.</summary>
    public string Owner { get; set; } = "";

    public int Received { get; set; }
    public int Inserted { get; set; }
    public int Updated { get; set; }
    public int Reposts { get; set; }
    public int SkippedNoIdentity { get; set; }
    public int SkippedInvalid { get; set; }
    public int SkippedResolved { get; set; }
    public int FailedDb { get; set; }
    public int MatchFailed { get; set; }
    public int Scored { get; set; }

    public int Pages { get; set; }
    public int Requests { get; set; }
    /// <summary>HTTP 429 answers received while fetching.</summary>
    public int RateLimited { get; set; }
    public int Retries { get; set; }
    public long Bytes { get; set; }
    public int OffersListed { get; set; }
    public int DetailsFetched { get; set; }
    public string? TruncationReason { get; set; }

    public int CompaniesAggregated { get; set; }
    public int CompaniesFailed { get; set; }
    private ItemList<long> _affectedCompanyIds = [];

    /// <summary>Companies whose offers this run changed, in ascending order: what aggregation must recompute.</summary>
    public IReadOnlyList<long> AffectedCompanyIds
    {
        get => _affectedCompanyIds;
        // Kept as an ItemList, which reads as its ids in Export-Csv and strings (an array reads "System.Int64[]").
        set => _affectedCompanyIds = value as ItemList<long> ?? new ItemList<long>(value);
    }

    /// <summary>Copies the statistics of the fetch that produced the run's offers.</summary>
    public void RecordFetch(FetchStatistics fetch)
    {
        Pages = fetch.Pages;
        Requests = fetch.Requests;
        RateLimited = fetch.RateLimited;
        Retries = fetch.Retries;
        Bytes = fetch.Bytes;
        OffersListed = fetch.OffersListed;
        DetailsFetched = fetch.DetailsFetched;
        TruncationReason = fetch.TruncationReason;
    }

    /// <summary>The store this object belongs to (see <see cref="IStoreLocal"/>).</summary>
    public string? StorePath { get; set; }

    public override string ToString() => $"Run {RunId} ({Kind}, {Status})";
}

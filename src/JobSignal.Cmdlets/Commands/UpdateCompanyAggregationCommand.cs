using System.Management.Automation;
using JobSignal.Cmdlets.Infrastructure;
using JobSignal.Core.Aggregation;
using JobSignal.Core.Common;
using JobSignal.Core.Domain;

namespace JobSignal.Cmdlets.Commands;

/// <summary>
/// Recomputes company metrics from the stored offers and matches (SPEC 6): the companies a run affected (and the
/// counts are written back into that run), chosen companies, the stale ones, or all of them. Chunked, with per-company
/// retries.
/// </summary>
[Cmdlet(VerbsData.Update, "CompanyAggregation", DefaultParameterSetName = RunSet, SupportsShouldProcess = true)]
[OutputType(typeof(Company))]
public sealed class UpdateCompanyAggregationCommand : BatchStoreCmdlet
{
    public const string CompanyAggregationFailedErrorId = "CompanyAggregationFailed";
    private const string RunSet = "Run";
    private const string CompanySet = "Company";
    private const string AllSet = "All";
    private const string StaleSet = "Stale";

    // Everything piped in is aggregated once, at the end: each company once however many runs and objects name it,
    // and after the last offer of an ingestion piped with -PassThru is stored (its results come chunk by chunk).
    private readonly List<long> _companies = [];
    private readonly List<(long RunId, IReadOnlyCollection<long> Companies)> _runs = [];
    private AggregationRunner? _runner;
    private int _done;

    /// <summary>Runs whose affected companies to aggregate; binds from the RunId of piped run objects.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = RunSet, ValueFromPipelineByPropertyName = true)]
    public long[] RunId { get; set; } = [];

    /// <summary>
    /// These companies; binds from piped ids, from the CompanyId of piped objects (companies, ingestion results) and
    /// from the CompanyIds of Import-CompanySheetFeedback's result (the companies whose resolution changed). An empty
    /// list names no company and aggregates nothing: an import that changed no resolution pipes one. A piped run binds
    /// -RunId (the default set) rather than its AffectedCompanyIds, so that the aggregation is recorded in the run.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = CompanySet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias(CompanyIdAliases.Affected, CompanyIdAliases.Changed)]
    [AllowNull]
    [AllowEmptyCollection]
    [ValidateIds]
    public long[]? CompanyId { get; set; }

    /// <summary>The store a piped object came from (its StorePath): binds from the pipeline only (<see cref="StoreCmdlet.PipedStorePath"/>).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true, ParameterSetName = CompanySet)]
    public string? StorePath { get => PipedStorePath; set => PipedStorePath = value; }

    /// <summary>
    /// A piped run, bound as itself to learn its store. Not a StorePath by property name in this set: bound in the
    /// default set, it would claim every object that has one (the feedback import's result), whose ids are companies.
    /// </summary>
    [Parameter(ValueFromPipeline = true, DontShow = true, ParameterSetName = RunSet)]
    public IngestionRun? Run { get => null; set => PipedStorePath = value?.StorePath; }

    [Parameter(Mandatory = true, ParameterSetName = AllSet)]
    public SwitchParameter All { get; set; }

    /// <summary>
    /// The companies whose metrics lag behind their offers: never aggregated, or with offers stored or seen since
    /// their last aggregation (a run stopped before its aggregation, a company whose aggregation failed).
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = StaleSet)]
    public SwitchParameter Stale { get; set; }

    [Parameter]
    [ValidateRange(1, 10_000)]
    public int ChunkSize { get; set; } = 50;

    /// <summary>
    /// Ignored, kept so that scripts written for earlier versions still run: strong offers are what each stored match
    /// says (decided with the catalog it was scored with), so no catalog is read. PowerShell warns when it is given.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [Obsolete("Aggregation no longer reads a catalog: an offer is strong when its stored match says so (the threshold of the catalog it was scored with). To count with another threshold, re-score with Update-OfferScore -CatalogPath.")]
    public string? CatalogPath { get; set; }

    protected override (int Id, string Activity) Progress => (42, "Aggregating companies");

    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case RunSet:
                foreach (var runId in RunId) AddRun(runId);
                break;
            case CompanySet when !NamesNothing(nameof(CompanyId)):
                _companies.AddRange(CompanyId ?? []);
                break;
        }
    }

    protected override void EndProcessing()
    {
        // A damaged or locked store is said as such (StoreDamaged, StoreBusy), not as SQLite's exception.
        if (All) _companies.AddRange(ReadStore(() => Store.Companies.ListIds(includeFinal: true)));
        if (Stale) _companies.AddRange(ReadStore(() => Store.Companies.ListStaleIds()));
        Aggregate();
        CompleteProgress();
    }

    private void AddRun(long runId)
    {
        // A dry run of the whole pipeline (Invoke-OfferIngestion -WhatIf | Update-CompanyAggregation -WhatIf) pipes
        // the ingestion's unstored run: its companies exist only in the ingestion's private copy of the store.
        if (runId == 0 && IsDryRun)
        {
            ShouldProcess("the companies of the -WhatIf ingestion (run 0, not stored)", "Recompute metrics");
            return;
        }
        if (ReadStore(() => Store.Runs.Get(runId)) is not { } run)
        {
            WriteRunNotFound(runId, "List the runs with Get-IngestionRun -Last 20, or aggregate with -CompanyId or -All.",
                runId == 0 ? "Run 0 is a -WhatIf run: it was never stored, so it has no companies to aggregate." : null);
            return;
        }
        _runs.Add((runId, run.AffectedCompanyIds));
        _companies.AddRange(run.AffectedCompanyIds);
    }

    private void Aggregate()
    {
        var count = _companies.Distinct().Count();
        if (count == 0 && _runs.Count == 0)
        {
            WriteVerbose("No companies to aggregate.");
            return;
        }
        var target = count == 1 ? $"company {_companies[0]}" : $"{count} companies";
        if (_runs.Count > 0) target += $" of run(s) {string.Join(", ", _runs.Select(r => r.RunId))}";
        // The store is checked first, so that a dry run fails where the real one would.
        var runner = Runner;
        if (!ShouldProcess(target, "Recompute metrics")) return;
        Guarded(() =>
        {
            foreach (var result in runner.AggregateForRuns(_companies, _runs, (run, tally) =>
                         WriteVerbose($"Run {run?.RunId}: {tally}; recorded in the run as {run?.CompaniesAggregated} aggregated, {run?.CompaniesFailed} failed."),
                         CancellationToken))
                Report(result);
            return count;
        }, "AggregationFailed", "Aggregation stopped");
    }

    private AggregationRunner Runner => _runner ??= CreateRunner();

    private AggregationRunner CreateRunner() =>
        new(Store, new AggregationRunOptions
        {
            ChunkSize = ChunkSize, MaxRetries = MaxRetries, RetryDelay = RetryDelay,
            AttemptFailed = failure => WriteVerbose($"Company {failure.CompanyId}: attempt {failure.Attempt} failed " +
                $"({failure.Error.Message}); retrying in {failure.Delay.TotalMilliseconds:0} ms."),
        });

    private void Report(CompanyAggregationResult result)
    {
        _done++;
        ReportProgress($"{_done} companies");
        var name = result.Company is { } company ? $"{company.Name} ({company.CompanyId})" : $"company {result.CompanyId}";
        switch (result.Status)
        {
            case CompanyAggregationStatus.Failed:
                WriteFailure(new JobSignalException(CompanyAggregationFailedErrorId, FailureKind.WriteError,
                    $"Aggregating {name} failed after {result.Attempts} attempt(s) (waited {Waited(result)}): {result.Error?.Message}", result.CompanyId,
                    "The company keeps its previous metrics. Run Update-CompanyAggregation -CompanyId again once the cause is fixed."));
                return;
            case CompanyAggregationStatus.NotFound:
                WriteCompanyNotFound(result.CompanyId);
                return;
            case CompanyAggregationStatus.Frozen:
                WriteVerbose($"{name}: resolution {result.Company?.Resolution} is final, metrics kept frozen.");
                break;
            default:
                if (result.Attempts > 1)
                    WriteVerbose($"{name}: aggregated after {result.Attempts} attempts (waited {Waited(result)}).");
                break;
        }
        WriteTyped(result.Company!);
    }

    private static string Waited(CompanyAggregationResult result) =>
        result.Delays.Count == 0 ? "no retry" : string.Join(", ", result.Delays.Select(d => $"{d.TotalMilliseconds:0} ms"));
}

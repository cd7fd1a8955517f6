using System.Management.Automation;
using JobSignal.Cmdlets.Infrastructure;
using JobSignal.Core.Aggregation;
using JobSignal.Core.Catalog;
using JobSignal.Core.Common;
using JobSignal.Core.Domain;

namespace JobSignal.Cmdlets.Commands;

/// <summary>
/// Recomputes company metrics from the stored offers and matches (SPEC 6): the companies a run affected (and the
/// counts are written back into that run), chosen companies, or all of them. Chunked, with per-company retries.
/// </summary>
[Cmdlet(VerbsData.Update, "CompanyAggregation", DefaultParameterSetName = RunSet, SupportsShouldProcess = true)]
[OutputType(typeof(Company))]
public sealed class UpdateCompanyAggregationCommand : BatchStoreCmdlet
{
    public const string CompanyAggregationFailedErrorId = "CompanyAggregationFailed";
    public const string IngestionRunNotFoundErrorId = "IngestionRunNotFound";
    private const string RunSet = "Run";
    private const string CompanySet = "Company";
    private const string AllSet = "All";

    private readonly List<long> _pending = [];
    private AggregationRunner? _runner;
    private int _done;

    /// <summary>Runs whose affected companies to aggregate; binds from the RunId of piped run objects.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = RunSet, ValueFromPipelineByPropertyName = true)]
    public long[] RunId { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = CompanySet, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, long.MaxValue)]
    public long[] CompanyId { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = AllSet)]
    public SwitchParameter All { get; set; }

    [Parameter]
    [ValidateRange(1, 10_000)]
    public int ChunkSize { get; set; } = 50;

    /// <summary>The catalog whose strong threshold counts strong offers (default: $env:JOBSIGNAL_CATALOG, else the module's).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CatalogPath { get; set; }

    protected override (int Id, string Activity) Progress => (42, "Aggregating companies");

    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case RunSet:
                foreach (var runId in RunId) AggregateRun(runId);
                break;
            case CompanySet:
                _pending.AddRange(CompanyId);
                if (_pending.Count >= ChunkSize) AggregatePending();
                break;
        }
    }

    protected override void EndProcessing()
    {
        if (All) _pending.AddRange(Store.Companies.ListIds(includeFinal: true));
        AggregatePending();
        CompleteProgress();
    }

    private void AggregateRun(long runId)
    {
        if (Store.Runs.Get(runId) is not { } run)
        {
            WriteFailure(new JobSignalException(IngestionRunNotFoundErrorId, FailureKind.ObjectNotFound,
                runId == 0
                    ? "Run 0 is a -WhatIf run: it was never stored, so it has no companies to aggregate."
                    : $"There is no run {runId} in the store '{Store.Path}'.",
                runId, "List the runs with Get-IngestionRun -Last 20, or aggregate with -CompanyId or -All."));
            return;
        }
        if (!ShouldProcess($"{run.AffectedCompanyIds.Count} company(ies) of run {runId}", "Recompute metrics")) return;
        var tally = new AggregationTally();
        Aggregate(run.AffectedCompanyIds, tally);
        var recorded = Runner.RecordInRun(runId, tally);
        WriteVerbose($"Run {runId}: {tally}; recorded in the run as {recorded?.CompaniesAggregated} aggregated, {recorded?.CompaniesFailed} failed.");
    }

    private void AggregatePending()
    {
        if (_pending.Count == 0) return;
        var ids = _pending.Distinct().ToArray();
        _pending.Clear();
        if (!ShouldProcess(ids.Length == 1 ? $"company {ids[0]}" : $"{ids.Length} companies", "Recompute metrics")) return;
        Aggregate(ids, new AggregationTally());
    }

    private AggregationRunner Runner => _runner ??= CreateRunner();

    private AggregationRunner CreateRunner()
    {
        CompiledCatalog catalog = null!;
        try { catalog = CatalogSource.LoadCompiled(this, CatalogPath); }
        catch (CatalogException ex) { ThrowFailure(ex); }
        return new AggregationRunner(Store, new AggregationRunOptions
        {
            ChunkSize = ChunkSize, MaxRetries = MaxRetries, RetryDelay = RetryDelay,
            Metrics = AggregationOptions.Default with { StrongThreshold = catalog.Scoring.StrongThreshold },
            AttemptFailed = failure => WriteVerbose($"Company {failure.CompanyId}: attempt {failure.Attempt} failed " +
                $"({failure.Error.Message}); retrying in {failure.Delay.TotalMilliseconds:0} ms."),
        });
    }

    private void Aggregate(IReadOnlyCollection<long> companyIds, AggregationTally tally) => Guarded(() =>
    {
        foreach (var result in Runner.Aggregate(companyIds, CancellationToken))
        {
            tally.Add(result);
            Report(result);
        }
        return tally;
    }, "AggregationFailed", "Aggregation stopped");

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

using System.Management.Automation;
using JobSignal.Cmdlets.Infrastructure;
using JobSignal.Core.Aggregation;
using JobSignal.Core.Common;
using JobSignal.Core.Domain;
using JobSignal.Core.Ingestion;
using JobSignal.Core.Store;

namespace JobSignal.Cmdlets.Commands;

/// <summary>
/// Re-scores stored offers with the current catalog (after a catalog change, or for offers left without a match), as
/// one run of kind <c>rescore</c>, then re-aggregates the companies of those offers and records that in the run.
/// </summary>
[Cmdlet(VerbsData.Update, "OfferScore", DefaultParameterSetName = UnscoredSet, SupportsShouldProcess = true)]
[OutputType(typeof(IngestionRun))]
public sealed class UpdateOfferScoreCommand : BatchStoreCmdlet
{
    public const string RescoreFailedErrorId = "RescoreFailed";
    private const string UnscoredSet = "Unscored";
    private const string IdSet = "Ids";
    private const string AllSet = "All";

    private readonly List<long> _companyIds = [];
    private readonly List<long> _offerIds = [];

    /// <summary>Only offers without a match (the default when no other filter is given).</summary>
    [Parameter(ParameterSetName = UnscoredSet)]
    public SwitchParameter Unscored { get; set; }

    /// <summary>
    /// The offers of these companies; binds from the CompanyId of piped companies, a piped run's AffectedCompanyIds and a
    /// feedback import's CompanyIds.
    /// </summary>
    [Parameter(ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
    [Alias(CompanyIdAliases.Affected, CompanyIdAliases.Changed)]
    [ValidateIds]
    public long[]? CompanyId { get; set; }

    /// <summary>
    /// These stored offers; binds from the OfferId of piped offers and ingestion results, which then stand for that
    /// offer alone (not for every offer of the company they also name).
    /// </summary>
    [Parameter(ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
    [ValidateIds]
    public long[]? OfferId { get; set; }

    /// <summary>The store a piped object came from (its StorePath): binds from the pipeline only (<see cref="StoreCmdlet.PipedStorePath"/>).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true, ParameterSetName = IdSet)]
    public string? StorePath { get => PipedStorePath; set => PipedStorePath = value; }

    /// <summary>Every stored offer.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AllSet)]
    public SwitchParameter All { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CatalogPath { get; set; }

    [Parameter]
    [ValidateRange(1, 100_000)]
    public int ChunkSize { get; set; } = 200;

    protected override (int Id, string Activity) Progress => (43, "Re-scoring offers");

    protected override void ProcessRecord()
    {
        if (NamesNothing(nameof(CompanyId), nameof(OfferId))) return;
        _offerIds.AddRange(OfferId ?? []);
        if (OfferId is null || !MyInvocation.ExpectingInput) _companyIds.AddRange(CompanyId ?? []);
    }

    protected override void EndProcessing()
    {
        var companyIds = _companyIds.Distinct().ToArray();
        var offerIds = _offerIds.Distinct().ToArray();
        var (filter, what) = ParameterSetName switch
        {
            IdSet when companyIds.Length == 0 && offerIds.Length == 0 => (null, "nothing"),
            IdSet => (new OfferFilter
                {
                    CompanyIds = companyIds.Length == 0 ? null : companyIds,
                    OfferIds = offerIds.Length == 0 ? null : offerIds,
                    EitherIds = true,
                },
                string.Join(" and ", new[]
                {
                    offerIds.Length == 0 ? null : $"{offerIds.Length} offer(s)",
                    companyIds.Length == 0 ? null : $"the offers of {companyIds.Length} company(ies)",
                }.OfType<string>())),
            AllSet => (new OfferFilter(), "every stored offer"),
            _ => (new OfferFilter { Unscored = true }, "the offers without a match"),
        };
        if (filter is null) return;
        // Ids that name nothing are reported, as the query cmdlets do (under -WhatIf too); the others are re-scored.
        // Only unknown ids: nothing to re-score, and no run to record.
        var unknownCompanies = ReadStore(() => ReportUnknown(companyIds, [], Store.Companies.ExistingIds, WriteCompanyNotFound));
        var unknownOffers = ReadStore(() => ReportUnknown(offerIds, [], Store.Offers.ExistingIds, WriteOfferNotFound));
        if (ParameterSetName == IdSet && unknownCompanies.Count == companyIds.Length && unknownOffers.Count == offerIds.Length) return;
        // A dry run meets the store's and the catalog's problems as the real run would (the real run loads the
        // catalog inside its run, to record a failed one).
        if (IsDryRun) LoadCatalogOrStop(CatalogPath);
        if (!ShouldProcess($"Re-scoring {what} in '{ResolveDatabasePath()}' and re-aggregating their companies.",
                $"Re-score {what} and re-aggregate their companies?", "Update-OfferScore")) return;

        IngestionRun? started = null;
        var run = Guarded(() => OfferRescorer.Rescore(Store, () => CatalogSource.LoadCompiled(this, CatalogPath), filter,
            new RescoreOptions
            {
                ChunkSize = ChunkSize, MaxRetries = MaxRetries, RetryDelay = RetryDelay, Warning = WriteWarning,
                Started = run => started = run,
                ChunkCommitted = chunk =>
                {
                    var status = $"{chunk.Run.Received} offers re-scored ({chunk.Run.MatchFailed} failed)";
                    WriteVerbose($"Chunk {chunk.Number} committed: {status}.");
                    ReportProgress(status);
                },
            }, CancellationToken), RescoreFailedErrorId, "Re-scoring failed", _ => started switch
            {
                // The store failed before the run's row was written: there is no run to speak of.
                null => "No re-scoring run had started; nothing was re-scored.",
                { Status: RunStatus.Failed } => $"Its run {started.RunId} is recorded as failed; committed chunks are kept.",
                _ => $"The store refused to record its run {started.RunId} as failed, so it stays 'running' until a later " +
                     "run, once this PowerShell process has ended, marks it abandoned; committed chunks are kept.",
            });
        CompleteProgress();
        if (run.MatchFailed > 0)
            WriteWarning($"{run.MatchFailed} offer(s) could not get a match; Get-SignalOffer -Unscored lists them.");

        // The new matches carry their strong decision: aggregation counts them as they are.
        var aggregation = new AggregationRunner(Store, new AggregationRunOptions { MaxRetries = MaxRetries, RetryDelay = RetryDelay });
        var tally = new AggregationTally();
        var recorded = Guarded(() => aggregation.AggregateRun(run.RunId, result =>
        {
            tally.Add(result);
            if (result.Status == CompanyAggregationStatus.Failed)
                WriteFailure(new JobSignalException(UpdateCompanyAggregationCommand.CompanyAggregationFailedErrorId, FailureKind.WriteError,
                    $"Aggregating company {result.CompanyId} failed after {result.Attempts} attempt(s): {result.Error?.Message}", result.CompanyId,
                    "Its offers are re-scored; run Update-CompanyAggregation -CompanyId once the cause is fixed."));
        }, CancellationToken), "AggregationFailed", "Aggregation after re-scoring stopped");
        WriteVerbose($"Run {run.RunId}: {run.Received} offers re-scored with catalog {run.CatalogVersion}; companies: {tally}.");
        WriteTyped(recorded ?? run);
    }
}

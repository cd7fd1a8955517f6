using System.Management.Automation;
using JobSignal.Cmdlets.Infrastructure;
using JobSignal.Core.Catalog;
using JobSignal.Core.Common;
using JobSignal.Core.Sheets;

namespace JobSignal.Cmdlets.Commands;

/// <summary>
/// Writes the ranked companies to the Google Sheet (SPEC 9.1): the ones piped in by CompanyId, or every company in
/// the store. -WhatIf reads the Sheet, computes the plan and writes nothing.
/// </summary>
[Cmdlet(VerbsData.Sync, "CompanySheet", SupportsShouldProcess = true)]
[OutputType(typeof(SheetSyncResult))]
public sealed class SyncCompanySheetCommand : SheetsCmdlet
{
    private readonly List<long> _companyIds = [];
    private readonly HashSet<long> _seen = [];

    /// <summary>
    /// Companies to sync (e.g. piped from Update-CompanyAggregation, the AffectedCompanyIds of a piped ingestion run or
    /// the CompanyIds of a feedback import); all companies when not given.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias(CompanyIdAliases.Affected, CompanyIdAliases.Changed)]
    public long[]? CompanyId { get; set; }

    /// <summary>The store a piped object came from (its StorePath): binds from the pipeline only (<see cref="StoreCmdlet.PipedStorePath"/>).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
    public string? StorePath { get => PipedStorePath; set => PipedStorePath = value; }

    /// <summary>The catalog whose category names label the top category column.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CatalogPath { get; set; }

    protected override string Activity => "Sync-CompanySheet";

    protected override void ProcessRecord()
    {
        foreach (var id in CompanyId ?? [])
            if (_seen.Add(id)) _companyIds.Add(id);
    }

    protected override void EndProcessing()
    {
        var fromPipeline = MyInvocation.ExpectingInput || CompanyId is not null;
        if (fromPipeline && _companyIds.Count == 0)
        {
            WriteVerbose("No companies were given: nothing to sync.");
            return;
        }
        var spreadsheetId = ResolveSpreadsheetId();
        var options = ResolveSyncOptions();
        var companies = ReadStore(() => LoadCompanies(fromPipeline));
        // The tab's rows are checked against every company of the store, not only the ones piped in.
        var storeNames = ReadStore(() => StoreCompanyNames.Of(Store));
        using var client = CreateClient();
        var target = $"tab '{options.SheetName}' of spreadsheet {spreadsheetId}";
        // -WhatIf says what the plan would write, so it answers after reading the tab; -Confirm asks before.
        var dryRun = IsDryRun;
        if (!dryRun && !ShouldProcess(
                $"Syncing {companies.Count} companies to {target}: appending the missing ones, rewriting the cells that changed.",
                $"Sync {companies.Count} companies to {target}?", "Sync-CompanySheet"))
            return;

        try
        {
            var result = RunSheetsWork(client, (log, ct) =>
            {
                var work = new SheetSync(client, spreadsheetId, options, log);
                return dryRun ? work.PreviewAsync(companies, ct, storeNames) : work.SyncAsync(companies, ct, storeNames);
            });
            if (dryRun) ShouldProcess(DescribePlan(result, target), "", "Sync-CompanySheet");
            ReportProblems(result.Warnings, result.Errors, "SheetsWriteFailed", spreadsheetId);
            WriteTyped(result);
        }
        catch (JobSignalException ex)
        {
            ThrowFailure(ex);
        }
    }

    /// <summary>What the plan of a dry run would write, as -WhatIf says it.</summary>
    private static string DescribePlan(SheetSyncResult plan, string target) =>
        $"Syncing {target}: {(plan.CreatedTab ? "creating the tab, " : "")}{(plan.WroteHeader ? "writing the header, " : "")}"
        + $"appending {plan.Appended} companies and updating {plan.Updated} rows ({plan.UpdatedCells} cells); "
        + $"{plan.Unchanged} rows unchanged.";

    private List<SheetCompany> LoadCompanies(bool fromPipeline)
    {
        var labels = CategoryLabels();
        if (!fromPipeline)
        {
            var all = Store.Companies.List();
            WriteVerbose($"Syncing all {all.Count} companies of the store.");
            return all.Select(c => SheetCompanyMapper.From(c, labels)).ToList();
        }
        var found = Store.Companies.Get(_companyIds).ToDictionary(c => c.CompanyId);
        foreach (var missing in _companyIds.Where(id => !found.ContainsKey(id))) WriteCompanyNotFound(missing);
        return _companyIds.Where(found.ContainsKey).Select(id => SheetCompanyMapper.From(found[id], labels)).ToList();
    }

    /// <summary>Category names from the catalog; without a usable catalog the column shows category ids.</summary>
    private IReadOnlyDictionary<string, string>? CategoryLabels()
    {
        try { return SheetCompanyMapper.CategoryLabels(CatalogSource.LoadCompiled(this, CatalogPath).Catalog); }
        catch (CatalogException ex)
        {
            WriteWarning($"Top categories are shown by id: the catalog could not be loaded ({ex.Message})");
            return null;
        }
    }
}

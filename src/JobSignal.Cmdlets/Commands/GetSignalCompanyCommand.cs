using System.Management.Automation;
using JobSignal.Cmdlets.Infrastructure;
using JobSignal.Core.Common;
using JobSignal.Core.Domain;
using Resolutions = JobSignal.Core.Domain.Resolution;
using JobSignal.Core.Store;

namespace JobSignal.Cmdlets.Commands;

/// <summary>Queries the ranked companies of the store (best score first) with filters.</summary>
[Cmdlet(VerbsCommon.Get, "SignalCompany")]
[OutputType(typeof(Company))]
public sealed class GetSignalCompanyCommand : SignalQueryCmdlet
{
    /// <summary>
    /// Only these companies; binds from the CompanyId of piped objects, a piped run's AffectedCompanyIds and a feedback
    /// import's CompanyIds.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias(CompanyIdAliases.Affected, CompanyIdAliases.Changed)]
    [ValidateIds]
    public long[]? CompanyId { get; set; }

    /// <summary>Wildcard on the company name, matched as -like matches it (any letter case, [a-z] sets, backtick escapes).</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotBlank]
    public string? Name { get; set; }

    [Parameter]
    [ValidateSet(Resolutions.Pending, Resolutions.InProgress, Resolutions.HighInterest, Resolutions.AlreadyClient,
        Resolutions.Accepted, Resolutions.Rejected)]
    public string[]? Resolution { get; set; }

    /// <summary>-Since applies to the last strong signal instead of the last time the company was seen.</summary>
    [Parameter]
    public SwitchParameter StrongSince { get; set; }

    private readonly AskedIds _companies = new();

    protected override void BeginProcessing()
    {
        // Alone it would change nothing and list every company, as if it had filtered them.
        if (StrongSince && Since is null)
            ThrowFailure(new JobSignalException("StrongSinceWithoutSince", FailureKind.InvalidArgument,
                "-StrongSince says which date -Since applies to (the last strong signal), but no -Since was given.", nameof(StrongSince),
                "Add -Since, e.g. -Since (Get-Date).AddDays(-7) -StrongSince; for companies with any strong offer, sort by StrongOffers."));
        base.BeginProcessing();
    }

    protected override void ProcessRecord()
    {
        if (!NamesNothing(nameof(CompanyId))) _companies.Add(CompanyId);
    }

    protected override void EndProcessing() => ReadStore(WriteCompanies);

    private void WriteCompanies()
    {
        if (!_companies.Asked) return;
        var companyIds = _companies.Ids;
        IReadOnlyList<Company> companies = [];
        // A -Name that is no valid wildcard (a [ set left open) ends the command, as it would end -like.
        try
        {
            companies = Store.Companies.List(new CompanyFilter
            {
                CompanyIds = companyIds,
                Name = Name,
                MinScore = MinScoreFilter,
                Category = CategoryId,
                Keyword = Keyword,
                Resolutions = Resolution?.Select(r => r.ToUpperInvariant()).ToArray(),
                Since = SinceFilter,
                SinceField = StrongSince ? CompanySince.LastStrong : CompanySince.LastSeen,
                Top = Top,
            });
        }
        catch (JobSignalException ex) { ThrowFailure(ex); }
        var found = WriteEach(companies, company => company, company => company.CompanyId);
        ReportUnknown(companyIds, found, Store.Companies.ExistingIds, WriteCompanyNotFound);
    }
}

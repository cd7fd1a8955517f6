using System.Management.Automation;
using JobSignal.Cmdlets.Infrastructure;
using JobSignal.Core.Domain;
using JobSignal.Core.Sheets;
using JobSignal.Core.Store;
using Resolutions = JobSignal.Core.Domain.Resolution;

namespace JobSignal.Cmdlets.Commands;

/// <summary>
/// What the reps said in the Sheet (SPEC 4, 9.2): the resolution changes and the model feedback (OK, FP, FN) with
/// its notes that Import-CompanySheetFeedback stored, oldest first. FP and FN are what catalog tuning starts from.
/// </summary>
[Cmdlet(VerbsCommon.Get, "SignalFeedback")]
[OutputType(typeof(FeedbackEvent))]
public sealed class GetSignalFeedbackCommand : StoreCmdlet
{
    /// <summary>
    /// Only these companies; binds from the CompanyId of piped objects (Get-SignalCompany), from the CompanyIds of
    /// Import-CompanySheetFeedback's result (the companies whose resolution changed) and from a run's AffectedCompanyIds.
    /// </summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias(CompanyIdAliases.Affected, CompanyIdAliases.Changed)]
    [ValidateIds]
    public long[]? CompanyId { get; set; }

    /// <summary>The store a piped object came from (its StorePath): binds from the pipeline only (<see cref="StoreCmdlet.PipedStorePath"/>).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
    public string? StorePath { get => PipedStorePath; set => PipedStorePath = value; }

    /// <summary>
    /// Resolution changes or model feedback only: the names the events' Kind shows (or the store's codes). Text, not
    /// the enum: a field of a JobSignal.Core value type would load JobSignal.Core while PowerShell scans the cmdlets,
    /// before the module has set up the load context that finds it.
    /// </summary>
    [Parameter]
    [FeedbackKindTransformation]
    [ValidateSet(nameof(FeedbackKind.Resolution), nameof(FeedbackKind.ModelFeedback))]
    public string? Kind { get; set; }

    /// <summary>Only these values: OK, FP, FN, or resolutions (any case; a value that can never be stored is refused).</summary>
    [Parameter]
    [ValidateSet(ModelFeedback.Ok, ModelFeedback.FalsePositive, ModelFeedback.FalseNegative, Resolutions.Pending,
        Resolutions.InProgress, Resolutions.HighInterest, Resolutions.AlreadyClient, Resolutions.Accepted, Resolutions.Rejected)]
    public string[]? Value { get; set; }

    /// <summary>Only events imported at or after this time.</summary>
    [Parameter]
    [SinceTransformation]
    public DateTime? Since { get; set; }

    private readonly AskedIds _companies = new();

    protected override void ProcessRecord()
    {
        if (!NamesNothing(nameof(CompanyId))) _companies.Add(CompanyId);
    }

    /// <summary>One query over every piped company: each event once, however many objects name its company.</summary>
    protected override void EndProcessing() => ReadStore(WriteEvents);

    private void WriteEvents()
    {
        if (!_companies.Asked) return;
        var companyIds = _companies.Ids;
        var events = Store.Feedback.List(new FeedbackFilter
        {
            CompanyIds = companyIds,
            Kinds = FeedbackKindCodes.TryParse(Kind, out var kind) ? [kind] : null,
            Values = Value,
            Since = SinceInstant(Since),
        });
        foreach (var feedback in events) WriteTyped(feedback);
        ReportUnknown(companyIds, events.Select(e => e.CompanyId), Store.Companies.ExistingIds, WriteCompanyNotFound);
    }
}

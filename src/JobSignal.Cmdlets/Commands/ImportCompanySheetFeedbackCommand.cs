using System.Management.Automation;
using JobSignal.Cmdlets.Infrastructure;
using JobSignal.Core.Common;
using JobSignal.Core.Sheets;

namespace JobSignal.Cmdlets.Commands;

/// <summary>
/// Reads the reps' columns of the Sheet (resolution, model feedback, notes) and applies them to the store in one
/// transaction (SPEC 9.2). -WhatIf returns the plan and writes nothing.
/// </summary>
[Cmdlet(VerbsData.Import, "CompanySheetFeedback", SupportsShouldProcess = true)]
[OutputType(typeof(SheetFeedbackResult))]
public sealed class ImportCompanySheetFeedbackCommand : SheetsCmdlet
{
    protected override string Activity => "Import-CompanySheetFeedback";

    protected override void EndProcessing()
    {
        var spreadsheetId = ResolveSpreadsheetId();
        var options = ResolveSyncOptions();
        using var client = CreateClient();
        var import = new FeedbackImport(Store, new SheetFeedbackReader(client, spreadsheetId, options));
        try
        {
            var plan = RunSheetsWork(client, (log, ct) =>
            {
                log($"Reading the reps' columns of tab '{options.SheetName}'.");
                return import.PlanAsync(ct);
            });
            WriteVerbose($"{plan.RowsRead} rows read: {plan.ResolutionChanges.Count} resolution changes, "
                         + $"{plan.FeedbackEvents.Count} feedback events, {plan.Unchanged} unchanged.");
            var target = $"store {Store.DisplayPath}";
            var description = $"{plan.ResolutionChanges.Count} resolution changes and {plan.FeedbackEvents.Count} feedback events";
            var apply = ShouldProcess($"Applying {description} to {target}.", $"Apply {description} to {target}?",
                "Import-CompanySheetFeedback", out var reason);
            if (!apply && reason != ShouldProcessReason.WhatIf) return;
            var result = apply ? import.Apply(plan, CancellationToken) : import.Preview(plan);
            ReportProblems(result.Warnings, [], "SheetsFeedbackIgnored", spreadsheetId);
            WriteTyped(result);
        }
        catch (JobSignalException ex)
        {
            ThrowFailure(ex);
        }
    }
}

using JobSignal.Core.Common;

namespace JobSignal.Core.Pipeline;

/// <summary>What a run does with one of the Sheet stages: run it, skip it (why), or fail it (with what).</summary>
public sealed record StagePlan
{
    public static StagePlan Run { get; } = new();

    /// <summary>Skipped because the configuration says so: nothing for the operator to look at.</summary>
    public static StagePlan SwitchedOff(string why) => new() { SkipReason = why, Deliberate = true };

    /// <summary>Skipped because nothing is configured for it: worth a warning.</summary>
    public static StagePlan NotConfigured(string why) => new() { SkipReason = why };

    public static StagePlan Fails(JobSignalException problem) => new() { Problem = problem };

    public string? SkipReason { get; private init; }
    public bool Deliberate { get; private init; }
    public JobSignalException? Problem { get; private init; }

    public override string ToString() =>
        Problem is { } problem ? $"fails ({problem.ErrorId}: {problem.Message})"
        : SkipReason is { } why ? $"skipped ({why})"
        : "on";
}

/// <summary>
/// What a run of a configuration does, decided once before it starts, from the configuration and where the Sheet
/// settings came from (the file or the environment): the runner follows it and -WhatIf tells it, so that both always
/// agree.
/// </summary>
public sealed record PipelinePlan(PipelineConfig Config, StagePlan Sync, StagePlan Feedback)
{
    public const string SheetSwitchedOff = "disabled in the configuration (Sheet.Enabled = $false)";
    public const string FeedbackSwitchedOff = "disabled in the configuration (Feedback.Enabled = $false)";
    public const string SheetNotConfigured =
        "no Google Sheet configured (Sheet.SpreadsheetId / $env:JOBSIGNAL_SPREADSHEET_ID and Sheet.CredentialPath / $env:GOOGLE_APPLICATION_CREDENTIALS)";

    /// <param name="spreadsheetId">The spreadsheet in force (the file's, else the environment's), or null.</param>
    /// <param name="credentialPath">The service-account key file in force, or null.</param>
    public static PipelinePlan For(PipelineConfig config, string? spreadsheetId, string? credentialPath)
    {
        // A Sheet switched off is not read either: an admin turning off a Sheet being migrated does not expect it to
        // go on changing resolutions.
        if (!config.SyncSheet) return new(config, StagePlan.SwitchedOff(SheetSwitchedOff), StagePlan.SwitchedOff(SheetSwitchedOff));
        var sync = SheetStage(PipelineRunner.SyncStage, spreadsheetId, credentialPath);
        var feedback = config.ImportFeedback
            ? SheetStage(PipelineRunner.FeedbackStage, spreadsheetId, credentialPath)
            : StagePlan.SwitchedOff(FeedbackSwitchedOff);
        return new(config, sync, feedback);
    }

    /// <summary>The plan in one line, for -WhatIf.</summary>
    public string Describe() =>
        $"{Config.Queries.Count} queries ({string.Join(", ", Config.Queries.Select(q => q.Key))}), aggregation " +
        $"(of the companies they change and of any left stale by earlier runs), Sheet sync {Sync}, feedback import {Feedback}";

    private static StagePlan SheetStage(string stage, string? spreadsheetId, string? credentialPath)
    {
        var hasSheet = !string.IsNullOrWhiteSpace(spreadsheetId);
        var hasKey = !string.IsNullOrWhiteSpace(credentialPath);
        if (hasSheet && hasKey) return StagePlan.Run;
        if (!hasSheet && !hasKey) return StagePlan.NotConfigured(SheetNotConfigured);
        // Half a configuration is a mistake, not a choice: skipped, it would pass unnoticed with exit 0 every night.
        var missing = hasSheet
            ? "no service-account key file (Sheet.CredentialPath / $env:GOOGLE_APPLICATION_CREDENTIALS) is set, though the spreadsheet is"
            : "no spreadsheet (Sheet.SpreadsheetId / $env:JOBSIGNAL_SPREADSHEET_ID) is set, though the service-account key file is";
        return StagePlan.Fails(new JobSignalException("SheetConfigIncomplete", FailureKind.InvalidData,
            $"The Google Sheet is half configured: {missing}.", stage,
            "Set the missing one; to run without the Sheet, set Sheet.Enabled = $false and Feedback.Enabled = $false."));
    }
}

using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Net;
using JobSignal.Cmdlets.Infrastructure;
using JobSignal.Core.Catalog;
using JobSignal.Core.Common;
using JobSignal.Core.Infojobs;
using JobSignal.Core.Pipeline;
using JobSignal.Core.Store;

namespace JobSignal.Cmdlets.Commands;

/// <summary>
/// The scheduled job (SPEC 10): every configured query (fetch + ingest), then aggregation, the Sheet sync and the
/// feedback import, each in its own error domain, under a run lock in the store. Emits one summary whose ExitCode a
/// scheduler script passes to <c>exit</c>.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "JobSignalPipeline", SupportsShouldProcess = true)]
[OutputType(typeof(PipelineSummary))]
public sealed class InvokeJobSignalPipelineCommand : StoreCmdlet
{
    private const string Activity = "JobSignal pipeline";

    /// <summary>The tag of the information record that says how commands name the pipeline's store ("-DatabasePath '...'"), when it is not the default one.</summary>
    private const string PipelineStoreTag = "JobSignal.PipelineStore";

    /// <summary>The .psd1 configuration file (New-JobSignalConfig writes a starter one).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string ConfigPath { get; set; } = "";

    /// <summary>
    /// InfoJobs credentials (user = client id, password = client secret); default: the environment variables.
    /// No [Credential] attribute: given a user name alone it would prompt, and the scheduled job must never ask.
    /// </summary>
    [Parameter]
    public PSCredential? Credential { get; set; }

    protected override bool FillsNewStores => true;

    // The configuration file whose DatabasePath is the store, when -DatabasePath did not override it.
    private string? _configuredStore;

    protected override JobSignalException WhereThePathCameFrom(JobSignalException ex) => _configuredStore is null ? ex
        : new JobSignalException(ex.ErrorId, ex.Kind, ex.Message, ex.Target,
            $"{ex.RecommendedAction} The path is DatabasePath of the configuration file '{_configuredStore}'.", ex.InnerException);

    protected override void EndProcessing()
    {
        var configFile = ResolveFilePath(ConfigPath, "-ConfigPath");
        PipelineConfig config;
        try { config = PipelineConfigFile.Read(configFile); }
        catch (JobSignalException ex) { ThrowFailure(ex); return; }

        // The configuration's paths come resolved (relative to the file, ~ as the home folder).
        if (DatabasePath is null && config.DatabasePath is { } configured)
        {
            DatabasePath = configured;
            _configuredStore = configFile;
        }
        // A catalog that cannot be used stops the run before anything runs (the entry script's exit 2), instead of
        // failing every query one by one; checked before the plan, so that -WhatIf reports it too.
        var catalog = LoadCatalogOrStop(config.CatalogPath, "CatalogPath of the configuration file");
        var spreadsheetId = config.Sheet.SpreadsheetId ?? Environment.GetEnvironmentVariable(SheetsCmdlet.SpreadsheetEnvironmentVariable);
        var sheetsKey = config.Sheet.CredentialPath ?? Environment.GetEnvironmentVariable(SheetsCmdlet.CredentialEnvironmentVariable);
        // What runs is decided once, here: the real run follows this plan and -WhatIf tells it.
        var plan = PipelinePlan.For(config, spreadsheetId, sheetsKey);
        if (!ShouldProcess(ResolveDatabasePath(), "Run the JobSignal pipeline: " + plan.Describe())) return;

        InfojobsCredentials? credentials = null;
        try { credentials = InfojobsCredentialSource.Resolve(Credential); }
        catch (JobSignalException ex) { ThrowFailure(ex); }
        var connections = new PipelineConnections
        {
            InfojobsCredentials = credentials,
            InfojobsBaseUri = config.InfojobsBaseUri is { } uri ? new Uri(uri) : null,
            SpreadsheetId = spreadsheetId,
            SheetsCredentialPath = sheetsKey,
            SheetsBaseUri = config.Sheet.BaseUri is { } sheetsUri ? new Uri(sheetsUri) : null,
        };
        // The stages run on this thread but report through callbacks: their lines are written between steps, and
        // whatever is left when the run ends (it lost its lock, the store failed) right after it.
        var log = new List<(bool IsWarning, string Text)>();
        void WriteLog()
        {
            foreach (var (isWarning, text) in log)
            {
                if (isWarning) WriteWarning(text);
                else WriteVerbose(text);
            }
            log.Clear();
        }
        // Commands named in recommended actions and warnings act on this store when typed as written.
        var storeArgument = DatabasePathArgument.For(ResolveDatabasePath(), StoreWithoutDatabasePath());
        // For the entry script: stopped by Ctrl+C, this cmdlet can write nothing more, and the script's own line
        // names commands that must then get the same store.
        if (storeArgument.Length > 0) WriteInformation(storeArgument.Trim(), [PipelineStoreTag]);
        var stages = new JobSignalPipelineStages(Store, config, connections, () => catalog,
            line => log.Add((false, line)), warning => log.Add((true, warning)), storeArgument);
        var runner = new PipelineRunner(Store, stages, plan);
        runner.LockTakenOver += previous => WriteWarning($"Took over the stale run lock of {previous}.");
        var steps = 0;
        var total = config.Queries.Count + 3;
        runner.StepCompleted += step =>
        {
            WriteLog();
            WriteVerbose(step);
            ReportProgress(1, Activity, step, 100 * ++steps / total);
        };

        PipelineSummary summary;
        using (CancelOnServiceStop())
        {
            try { summary = runner.Run(CancellationToken); }
            catch (JobSignalException ex) { ThrowFailure(ex); return; }
            finally
            {
                CompleteProgress(1, Activity);
                WriteLog();
            }
        }

        if (summary.ExitCode == PipelineExitCode.Locked)
            WriteWarning($"Another pipeline run holds the lock ({summary.LockHolder}); this run did nothing.");
        if (summary.StoreFailure is { } storeFailure)
            WriteFailure(new JobSignalException(storeFailure.ErrorId, storeFailure.Kind,
                $"The run stopped early: {storeFailure.Message} What ran before stays committed.", storeFailure.Target,
                storeFailure.RecommendedAction, storeFailure));
        if (summary.LockLost is { } lost)
        {
            var runs = string.Join(", ", summary.Queries.Select(q => q.RunId).OfType<long>());
            WriteFailure(new JobSignalException(PipelineRunner.LockLostErrorId, FailureKind.ResourceUnavailable, lost,
                RunLockRepository.PipelineLock, "Raise Lock.TtlMinutes above the longest run's duration. What this run committed stays" +
                (runs.Length > 0 && summary.Stages.Count == 0
                    ? $"; its companies were not aggregated: the next run catches them up, or now Update-CompanyAggregation -RunId {runs}{storeArgument}." : ".")));
        }
        // The step a store failure stopped was reported just above, as that failure. The others keep their cause's kind,
        // so that scripts tell an outage (ConnectionError) from refused credentials or a store problem.
        foreach (var query in summary.Queries.Where(q => q.Status == StageStatus.Failed && !summary.IsStoreFailure(q)))
            WriteFailure(new JobSignalException("PipelineQueryFailed", query.ErrorKind,
                $"Query '{query.QueryKey}' failed: {query.Error}", query.QueryKey,
                Then(query.RecommendedAction, query.RunId is { } runId
                    ? $"See Get-JobSignalQueryState{storeArgument} and Get-IngestionRun -RunId {runId}{storeArgument} for details; {TheOthers(summary)}"
                    : $"It failed before its ingestion run started, so nothing of it was ingested; {TheOthers(summary)}")));
        foreach (var stage in summary.Stages.Where(s => !summary.IsStoreFailure(s)))
        {
            if (stage.Status == StageStatus.Failed)
                WriteFailure(new JobSignalException("PipelineStageFailed", stage.ErrorKind,
                    $"Stage '{stage.Stage}' failed: {stage.Error}", stage.Stage,
                    Then(stage.RecommendedAction, "The other stages still ran; fix the cause and run again.")));
            else if (stage.Status == StageStatus.Skipped && stage.Deliberate)
                WriteVerbose($"Stage '{stage.Stage}' skipped: {stage.Summary}");
            else if (stage.Status == StageStatus.Skipped)
                WriteWarning($"Stage '{stage.Stage}' skipped: {stage.Summary}");
        }
        WriteTyped(summary);
    }

    /// <summary>What became of the other steps after a failed query: they ran, unless the run stopped early.</summary>
    private static string TheOthers(PipelineSummary summary) =>
        summary.StoreFailure is null && summary.LockLost is null && summary.ExitCode != PipelineExitCode.Cancelled
        ? "the other stages still ran."
        : "the run stopped before its end (see its summary).";

    /// <summary>What the failure itself says to do, then what the pipeline adds.</summary>
    private static string Then(string? recommendedAction, string pipelineAction) =>
        string.IsNullOrWhiteSpace(recommendedAction) ? pipelineAction : $"{recommendedAction.TrimEnd()} {pipelineAction}";
}

/// <summary>Reads a pipeline configuration file the way Import-PowerShellDataFile does: data only, no code runs.</summary>
internal static class PipelineConfigFile
{
    public static PipelineConfig Read(string path)
    {
        if (Directory.Exists(path))
            throw new JobSignalException("PipelineConfigPathIsFolder", FailureKind.InvalidArgument,
                $"'{path}' is a folder, not a config file; -ConfigPath names the pipeline configuration file (a .psd1).", path,
                $"Give the file's path, e.g. -ConfigPath '{Path.Combine(path, "jobsignal.config.psd1")}' (New-JobSignalConfig writes a starter one).");
        if (!File.Exists(path))
            throw new JobSignalException("PipelineConfigNotFound", FailureKind.ObjectNotFound,
                $"The pipeline configuration file '{path}' does not exist.", path,
                "Create one with New-JobSignalConfig -Path <file>, then edit its queries.");
        // Read here, not by the parser: it would report an unreadable file as a syntax error at line 0.
        string text;
        try { text = File.ReadAllText(path); }
        catch (UnauthorizedAccessException ex)
        {
            throw new JobSignalException("PipelineConfigUnreadable", FailureKind.PermissionDenied,
                $"The pipeline configuration file '{path}' cannot be read: {ex.Message}", path,
                "Make the file readable by the account that runs the pipeline (the scheduler's service account): its " +
                "permissions, or its ACL on Windows.", ex);
        }
        catch (IOException ex)
        {
            throw new JobSignalException("PipelineConfigUnreadable", FailureKind.ReadError,
                $"The pipeline configuration file '{path}' cannot be read: {ex.Message}", path,
                "Check the file and its disk; close a program that keeps it locked, then run again.", ex);
        }
        var ast = Parser.ParseInput(text, path, out _, out var errors);
        if (errors.Length > 0)
            throw Invalid(path, string.Join(Environment.NewLine + "  ", errors.Select(e =>
                $"line {e.Extent.StartLineNumber}, column {e.Extent.StartColumnNumber}: {e.Message}")));
        // Stricter than Import-PowerShellDataFile, which takes the first hashtable anywhere: code beside it would look
        // as if it ran, and a hashtable inside an array would be read as if it were the whole file.
        if (SingleHashtable(ast) is not { } table)
            throw Invalid(path, "the file must hold exactly one @{ ... } hashtable and nothing else (comments aside)");
        object? data;
        try { data = table.SafeGetValue(); }
        catch (InvalidOperationException ex) { throw Invalid(path, "only data is allowed (no commands or variables other than $true, $false, $null): " + ex.Message); }
        // Paths are resolved here, from the file's folder, so that the cmdlet gets them absolute.
        return PipelineConfig.FromDictionary((IDictionary)data!, path).WithPathsRelativeTo(Path.GetDirectoryName(path)!);
    }

    // An unnamed end block: no param, begin, process or clean block beside it.
    private static HashtableAst? SingleHashtable(ScriptBlockAst ast) =>
        ast is { ParamBlock: null, UsingStatements.Count: 0 }
        && ast.EndBlock is { Unnamed: true, Traps: null or { Count: 0 },
            Statements: [PipelineAst { PipelineElements: [CommandExpressionAst { Redirections.Count: 0, Expression: HashtableAst table }] }] }
            ? table : null;

    private static JobSignalException Invalid(string path, string why) =>
        new("PipelineConfigInvalid", FailureKind.InvalidData, $"The pipeline configuration {path} is invalid:{Environment.NewLine}  {why}",
            path, "Fix the file; New-JobSignalConfig writes a commented starter file.");
}

using System.Collections.Concurrent;
using System.Management.Automation;
using JobSignal.Core.Common;
using JobSignal.Core.Sheets;

namespace JobSignal.Cmdlets.Infrastructure;

/// <summary>
/// Base of the cmdlets that talk to the Google Sheet: the spreadsheet, key file, tab, header language and API root
/// (each with its environment fallback), the store they pair it with, and a way to run the asynchronous Sheets
/// work while its steps reach -Verbose and Write-Progress from the pipeline thread.
/// </summary>
public abstract class SheetsCmdlet : StoreCmdlet
{
    public const string SpreadsheetEnvironmentVariable = "JOBSIGNAL_SPREADSHEET_ID";
    public const string CredentialEnvironmentVariable = "GOOGLE_APPLICATION_CREDENTIALS";

    /// <summary>The spreadsheet id (from its URL, between /d/ and /edit). Default: $env:JOBSIGNAL_SPREADSHEET_ID.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SpreadsheetId { get; set; }

    /// <summary>The service-account JSON key file. Default: $env:GOOGLE_APPLICATION_CREDENTIALS.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CredentialPath { get; set; }

    /// <summary>The tab. Default: Companies.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string SheetName { get; set; } = SheetLayout.DefaultSheetName;

    [Parameter]
    [ValidateSet("es", "en")]
    public string HeaderLanguage { get; set; } = "es";

    /// <summary>The Sheets API root, for emulators and tests. Default: https://sheets.googleapis.com/.</summary>
    [Parameter]
    [ValidateNotNull]
    public Uri? BaseUri { get; set; }

    protected abstract string Activity { get; }

    /// <summary>The tab and its layout; a blank -SheetName ends the cmdlet before any request (the sync would create a tab named ' ').</summary>
    protected SheetSyncOptions ResolveSyncOptions()
    {
        if (string.IsNullOrWhiteSpace(SheetName))
            ThrowFailure(new JobSignalException("SheetsSheetNameInvalid", FailureKind.InvalidArgument, "-SheetName is blank.",
                SheetName, $"Give the tab's name, or leave -SheetName out for '{SheetLayout.DefaultSheetName}'."));
        return new SheetSyncOptions { SheetName = SheetName.Trim(), Layout = SheetLayout.ForLanguage(HeaderLanguage) };
    }

    /// <summary>
    /// The spreadsheet id from the parameter or the environment (a pasted Sheet URL gives its id); a terminating error
    /// when neither is set or the value is neither an id nor a Sheet's URL.
    /// </summary>
    protected string ResolveSpreadsheetId()
    {
        var id = SpreadsheetId ?? Environment.GetEnvironmentVariable(SpreadsheetEnvironmentVariable);
        if (string.IsNullOrWhiteSpace(id))
            ThrowFailure(new JobSignalException("SheetsSpreadsheetNotConfigured", FailureKind.InvalidArgument,
                SpreadsheetId is null
                    ? $"No spreadsheet is configured: pass -SpreadsheetId or set $env:{SpreadsheetEnvironmentVariable}."
                    : "-SpreadsheetId is blank.", SpreadsheetId,
                "Use the id in the Sheet's URL, between /d/ and /edit."));
        string parsed = null!;
        try { parsed = SpreadsheetReference.Parse(id!); }
        catch (JobSignalException ex) { ThrowFailure(ex); }
        if (parsed != id!.Trim()) WriteVerbose($"Using the spreadsheet id {parsed} from the URL given.");
        return parsed;
    }

    /// <summary>A client for the key file from the parameter or the environment (PowerShell paths, from $PWD); it signs in on its first call.</summary>
    protected SheetsClient CreateClient()
    {
        var path = CredentialPath ?? Environment.GetEnvironmentVariable(CredentialEnvironmentVariable);
        if (CredentialPath is null && string.IsNullOrWhiteSpace(path))
            ThrowFailure(new JobSignalException("SheetsCredentialNotConfigured", FailureKind.InvalidArgument,
                $"No service-account key file is configured: pass -CredentialPath or set $env:{CredentialEnvironmentVariable}.",
                null, "Create a JSON key for a service account, share the spreadsheet with its e-mail as Editor, and point -CredentialPath at the key."));
        var fullPath = ResolveFilePath(path!, CredentialPath is null ? "$env:" + CredentialEnvironmentVariable : "-CredentialPath");
        SheetsClient? client = null;
        try
        {
            client = SheetsClient.FromServiceAccountKeyFile(fullPath,
                new SheetsClientOptions { BaseUri = BaseUri ?? SheetsClientOptions.DefaultBaseUri });
        }
        catch (JobSignalException ex) { ThrowFailure(ex); }
        WriteVerbose($"Using the service account {client!.Principal}.");
        return client;
    }

    /// <summary>
    /// Runs Sheets work on the thread pool and, meanwhile, relays its steps and the client's retries (each with its
    /// wait) to -Verbose and the progress bar from the pipeline thread (cmdlet output may only be written from
    /// there). Ctrl+C cancels the work promptly.
    /// </summary>
    protected T RunSheetsWork<T>(SheetsClient client, Func<Action<string>, CancellationToken, Task<T>> work)
    {
        // Not disposed: after Ctrl+C the work may still log a step while it winds down, and nobody reads it then.
        var steps = new BlockingCollection<string>();
        var task = Task.Run(() => work(steps.Add, CancellationToken));
        task.ContinueWith(_ => steps.CompleteAdding(), TaskScheduler.Default);
        void TellRetry(RetryNotice notice) => steps.Add(notice.ToString());
        client.Retrying += TellRetry;
        try
        {
            foreach (var step in steps.GetConsumingEnumerable())
            {
                WriteVerbose(step);
                ReportProgress(0, Activity, step);
            }
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        finally
        {
            client.Retrying -= TellRetry;
            CompleteProgress(0, Activity);
        }
    }

    /// <summary>Sheet results carry their problems as text: each one becomes a warning or a non-terminating error.</summary>
    protected void ReportProblems(IEnumerable<string> warnings, IEnumerable<string> errors, string errorId, object target)
    {
        foreach (var warning in warnings) WriteWarning(warning);
        foreach (var error in errors)
            WriteFailure(new JobSignalException(errorId, FailureKind.WriteError, error, target,
                "Run the command again: it only writes what is still missing or different."));
    }
}

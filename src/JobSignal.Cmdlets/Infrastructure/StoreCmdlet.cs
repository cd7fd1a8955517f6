using System.Management.Automation;

namespace JobSignal.Cmdlets.Infrastructure;

/// <summary>A cmdlet that reads or writes the SQLite store: owns <c>-DatabasePath</c> and the store's lifetime.</summary>
public abstract class StoreCmdlet : JobSignalCmdlet
{
    public const string DatabaseEnvironmentVariable = "JOBSIGNAL_DB";

    /// <summary>The SQLite store. Default: $env:JOBSIGNAL_DB, else JobSignal/jobsignal.db under local app data.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DatabasePath { get; set; }

    /// <summary>The store file as a full file-system path (PowerShell paths are relative to $PWD).</summary>
    protected string ResolveDatabasePath()
    {
        var path = DatabasePath;
        if (string.IsNullOrWhiteSpace(path)) path = Environment.GetEnvironmentVariable(DatabaseEnvironmentVariable);
        if (string.IsNullOrWhiteSpace(path))
        {
            path = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData,
                Environment.SpecialFolderOption.Create), "JobSignal", "jobsignal.db");
            return path;
        }
        return SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
    }
}

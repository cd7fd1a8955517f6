using System.Management.Automation;
using JobSignal.Core.Common;
using JobSignal.Core.Store;

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

    private SignalStore? _store;

    /// <summary>
    /// The store, opened (created and migrated when needed) on first use and closed when the cmdlet ends. A store
    /// that cannot be opened ends the cmdlet with its ErrorId (StoreNotSqlite, StoreSchemaTooNew, StoreUnusable).
    /// </summary>
    protected SignalStore Store
    {
        get
        {
            if (_store is not null) return _store;
            var path = ResolveDatabasePath();
            WriteVerbose($"Opening the store '{path}'.");
            try { _store = SignalStore.Open(path); }
            catch (JobSignalException ex) { ThrowFailure(ex); }
            return _store!;
        }
    }

    protected override void ReleaseResources()
    {
        _store?.Dispose();
        _store = null;
        base.ReleaseResources();
    }
}

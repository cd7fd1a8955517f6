using System.Management.Automation;
using JobSignal.Core.Catalog;
using JobSignal.Core.Common;

namespace JobSignal.Cmdlets.Infrastructure;

/// <summary>
/// Base of every JobSignal cmdlet: cancellation on Ctrl+C (StopProcessing), progress that is throttled and always
/// completed, and error records with stable ErrorIds, a category, the failing item as target and a recommended action.
/// </summary>
public abstract class JobSignalCmdlet : PSCmdlet, IDisposable
{
    /// <summary>The shortest time between two progress records of one activity: nobody reads faster.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(200);

    private readonly CancellationTokenSource _cancellation = new();
    private readonly Dictionary<int, OpenActivity> _openProgress = new();
    private bool _disposed;

    /// <summary>Cancelled when the user presses Ctrl+C or the host stops the pipeline.</summary>
    protected CancellationToken CancellationToken => _cancellation.Token;

    protected override void StopProcessing() => _cancellation.Cancel();

    /// <summary>
    /// Until disposed, SIGTERM (systemd or docker stopping a service) cancels this command as Ctrl+C does, instead of
    /// ending the process on the spot: what the command records about its run is still written. Null where the
    /// platform has no such signal.
    /// </summary>
    protected IDisposable? CancelOnServiceStop()
    {
        try
        {
            return System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                _cancellation.Cancel();
            });
        }
        catch (PlatformNotSupportedException) { return null; }
    }

    /// <summary>
    /// Shows the progress of an activity. Cheap enough to call for every item: the first status of an activity is
    /// written at once, later ones at most every <see cref="ProgressInterval"/>; a status held back is written when
    /// the next one is due or when the activity completes, so the last status shown is always the final one.
    /// </summary>
    protected void ReportProgress(int activityId, string activity, string status, int percentComplete = -1) =>
        ReportProgress(activityId, activity, status, percentComplete, atOnce: false);

    /// <summary>
    /// Shows at once a status that stands for a while (a wait before a retry), keeping the activity's percentage:
    /// held back by the throttle, it could stay unseen for the whole wait.
    /// </summary>
    protected void ReportWaiting(int activityId, string activity, string status) =>
        ReportProgress(activityId, activity, status,
            _openProgress.TryGetValue(activityId, out var open) ? open.PercentComplete : -1, atOnce: true);

    private void ReportProgress(int activityId, string activity, string status, int percentComplete, bool atOnce)
    {
        // The coarse millisecond clock: cheap to read for every item, and precise enough here.
        var now = Environment.TickCount64;
        if (!_openProgress.TryGetValue(activityId, out var open))
        {
            open = new OpenActivity(activity);
            _openProgress.Add(activityId, open);
        }
        else if (!atOnce && now - open.WrittenAt < (long)ProgressInterval.TotalMilliseconds)
        {
            open.Hold(activity, status, percentComplete);
            return;
        }
        open.Hold(activity, status, percentComplete);
        WriteHeldProgress(activityId, open);
        open.WrittenAt = now;
    }

    protected void CompleteProgress(int activityId, string activity)
    {
        if (!_openProgress.Remove(activityId, out var open)) return;
        WriteHeldProgress(activityId, open);
        WriteProgress(new ProgressRecord(activityId, activity, "Done") { RecordType = ProgressRecordType.Completed });
    }

    private void WriteHeldProgress(int activityId, OpenActivity open)
    {
        if (open.Status is not { } status) return;
        WriteProgress(new ProgressRecord(activityId, open.Activity, status) { PercentComplete = open.PercentComplete });
        open.Status = null;
    }

    /// <summary>An activity with progress shown and not yet completed: when it was last written, and what is held back.</summary>
    private sealed class OpenActivity(string activity)
    {
        public long WrittenAt;
        public string Activity = activity;
        public string? Status;
        public int PercentComplete;

        public void Hold(string activity, string status, int percentComplete)
        {
            Activity = activity;
            Status = status;
            PercentComplete = Math.Clamp(percentComplete, -1, 100);
        }
    }

    protected static ErrorRecord ToErrorRecord(JobSignalException ex) =>
        new(ex, ex.ErrorId, ToCategory(ex.Kind), ex.Target)
        {
            ErrorDetails = ex.RecommendedAction is null ? null
                : new ErrorDetails(ex.Message) { RecommendedAction = ex.RecommendedAction },
        };

    protected static ErrorRecord ToErrorRecord(string errorId, FailureKind kind, string message, object? target,
        string? recommendedAction = null, Exception? inner = null) =>
        ToErrorRecord(new JobSignalException(errorId, kind, message, target, recommendedAction, inner));

    /// <summary>
    /// Writes a domain object under its PowerShell type name too (<c>JobSignal.</c> + class name, e.g.
    /// JobSignal.Company), the name format views and Update-TypeData use. A PSObject (a domain object with added note
    /// properties) is named after the object it wraps.
    /// </summary>
    protected void WriteTyped(object value)
    {
        var wrapped = PSObject.AsPSObject(value);
        BeforeWrite(wrapped.BaseObject);
        var typeName = "JobSignal." + wrapped.BaseObject.GetType().Name;
        if (!wrapped.TypeNames.Contains(typeName)) wrapped.TypeNames.Insert(0, typeName);
        WriteObject(wrapped);
    }

    /// <summary>Completes an object about to be written (a store cmdlet stamps the store it came from).</summary>
    protected virtual void BeforeWrite(object value) { }

    /// <summary>A per-item failure: reported, and the cmdlet goes on.</summary>
    protected void WriteFailure(JobSignalException ex) => WriteError(ToErrorRecord(ex));

    /// <summary>A fatal failure: ends the cmdlet.</summary>
    protected void ThrowFailure(JobSignalException ex) => ThrowTerminatingError(ToErrorRecord(ex));

    /// <summary>
    /// The catalog in force (<see cref="CatalogSource.LoadCompiled"/>, warnings written); one that cannot be used ends
    /// the cmdlet with its own ErrorId. <paramref name="parameterName"/> is what messages call the path's source.
    /// </summary>
    protected CompiledCatalog LoadCatalogOrStop(string? path, string parameterName = CatalogSource.CatalogPathParameter)
    {
        try
        {
            return CatalogSource.LoadCompiled(this, path, parameterName);
        }
        catch (JobSignalException ex)
        {
            ThrowFailure(ex);
            throw; // not reached: ThrowFailure always throws
        }
    }

    /// <summary>
    /// A file path the user gave (from <paramref name="source"/>, a parameter or an environment variable) as a full
    /// file-system path; a path of another provider or drive ends the cmdlet (PathNotFileSystem, see <see cref="FileSystemPaths"/>).
    /// </summary>
    protected string ResolveFilePath(string path, string source)
    {
        try { return FileSystemPaths.Resolve(this, path, source); }
        catch (JobSignalException ex)
        {
            ThrowFailure(ex);
            throw; // not reached: ThrowFailure ends the cmdlet
        }
    }

    private static ErrorCategory ToCategory(FailureKind kind) => kind switch
    {
        FailureKind.InvalidArgument => ErrorCategory.InvalidArgument,
        FailureKind.InvalidData => ErrorCategory.InvalidData,
        FailureKind.ObjectNotFound => ErrorCategory.ObjectNotFound,
        FailureKind.AuthenticationError => ErrorCategory.AuthenticationError,
        FailureKind.PermissionDenied => ErrorCategory.PermissionDenied,
        FailureKind.ConnectionError => ErrorCategory.ConnectionError,
        FailureKind.LimitsExceeded => ErrorCategory.LimitsExceeded,
        FailureKind.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
        FailureKind.ReadError => ErrorCategory.ReadError,
        FailureKind.WriteError => ErrorCategory.WriteError,
        FailureKind.InvalidOperation => ErrorCategory.InvalidOperation,
        FailureKind.OperationStopped => ErrorCategory.OperationStopped,
        FailureKind.InvalidType => ErrorCategory.InvalidType,
        _ => ErrorCategory.NotSpecified,
    };

    /// <summary>Releases what the cmdlet opened; PowerShell calls this after the pipeline ends or stops.</summary>
    protected virtual void ReleaseResources() { }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        ReleaseResources();
        _cancellation.Dispose();
        GC.SuppressFinalize(this);
    }
}

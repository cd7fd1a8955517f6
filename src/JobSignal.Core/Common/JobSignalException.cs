namespace JobSignal.Core.Common;

/// <summary>What kind of failure a <see cref="JobSignalException"/> is; the cmdlets map it to an ErrorCategory.</summary>
public enum FailureKind
{
    NotSpecified,
    InvalidArgument,
    InvalidData,
    ObjectNotFound,
    AuthenticationError,
    PermissionDenied,
    ConnectionError,
    LimitsExceeded,
    ResourceUnavailable,
    ReadError,
    WriteError,
    InvalidOperation,
    OperationStopped,
    InvalidType,
}

/// <summary>
/// A failure the user can act on: a stable ErrorId, what failed (the target) and what to do about it.
/// Messages never contain secrets.
/// </summary>
public class JobSignalException : Exception
{
    public JobSignalException(string errorId, FailureKind kind, string message, object? target = null,
        string? recommendedAction = null, Exception? inner = null) : base(message, inner)
    {
        ErrorId = errorId;
        Kind = kind;
        Target = target;
        RecommendedAction = recommendedAction;
    }

    public string ErrorId { get; }
    public FailureKind Kind { get; }
    public object? Target { get; }
    public string? RecommendedAction { get; }
}

using JobSignal.Core.Common;

namespace JobSignal.Core.Sheets;

/// <summary>
/// A failed Sheets call (or token exchange): the HTTP status when there was one, whether waiting may help, and how
/// long Google asked to wait. Messages name the call and quote Google's reason; they never hold key material.
/// </summary>
public sealed class SheetsApiException : JobSignalException
{
    public SheetsApiException(string errorId, FailureKind kind, string message, SheetsCallKind call, int? statusCode,
        bool isTransient, TimeSpan? retryAfter = null, object? target = null, string? recommendedAction = null,
        Exception? inner = null)
        : base(errorId, kind, message, target, recommendedAction, inner)
    {
        Call = call;
        StatusCode = statusCode;
        IsTransient = isTransient;
        RetryAfter = retryAfter;
    }

    public SheetsCallKind Call { get; }
    public int? StatusCode { get; }
    /// <summary>Rate limits, server errors, timeouts and network failures: the same call may succeed later.</summary>
    public bool IsTransient { get; }
    public TimeSpan? RetryAfter { get; }

    /// <summary>
    /// Google refused the credential or the spreadsheet itself (401, a 403 that is not a quota, 404): every other call
    /// of the run would be refused alike, so even the optional set-up of a tab failing so ends the sync; running it
    /// again cannot help.
    /// </summary>
    public bool RefusesEveryCall => ErrorId is "SheetsPermissionDenied" or "SheetsAuthenticationFailed" or "SheetsSpreadsheetNotFound";

    internal SheetsApiException AfterRetries(int retries) => retries == 0 ? this : Saying($"{Message} Gave up after {retries} retries.");

    /// <summary>The same failure, its message preceded by what it left undone.</summary>
    internal SheetsApiException After(string undone) => Saying($"{undone}: {Message}");

    private SheetsApiException Saying(string message) =>
        new(ErrorId, Kind, message, Call, StatusCode, IsTransient, RetryAfter, Target, RecommendedAction, InnerException);
}

/// <summary>The Sheets API methods the client calls, for counting and for fault injection in tests.</summary>
public enum SheetsCallKind
{
    GetSpreadsheet,
    BatchUpdate,
    ValuesBatchGet,
    ValuesBatchUpdate,
    ValuesAppend,
}

/// <summary>Every Sheets API request a client sent (attempts, retries included), thread-safe.</summary>
public sealed class SheetsCallStatistics
{
    private readonly int[] _byKind = new int[Enum.GetValues<SheetsCallKind>().Length];
    private int _retries, _rateLimited;
    private long _bytesSent;

    public int Requests => Enum.GetValues<SheetsCallKind>().Sum(Count);
    public int Retries => Volatile.Read(ref _retries);
    /// <summary>Answers that were rate limits (429, or 403 with a quota reason).</summary>
    public int RateLimited => Volatile.Read(ref _rateLimited);
    public long BytesSent => Interlocked.Read(ref _bytesSent);
    public int Count(SheetsCallKind kind) => Volatile.Read(ref _byKind[(int)kind]);

    internal void AddRequest(SheetsCallKind kind, long bytes)
    {
        Interlocked.Increment(ref _byKind[(int)kind]);
        Interlocked.Add(ref _bytesSent, bytes);
    }

    internal void AddRetry() => Interlocked.Increment(ref _retries);
    internal void AddRateLimited() => Interlocked.Increment(ref _rateLimited);
}

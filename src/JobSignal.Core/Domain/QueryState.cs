namespace JobSignal.Core.Domain;

/// <summary>How a named scheduled query last went (SPEC 10).</summary>
public sealed class QueryState
{
    public string QueryKey { get; set; } = "";
    public DateTimeOffset? LastRunAt { get; set; }
    public DateTimeOffset? LastSuccessAt { get; set; }
    public int ConsecutiveFailures { get; set; }
    public string? LastError { get; set; }
    public long? LastRunId { get; set; }
}

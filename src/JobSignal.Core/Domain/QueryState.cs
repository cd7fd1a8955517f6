namespace JobSignal.Core.Domain;

/// <summary>How a named scheduled query last went (SPEC 10).</summary>
public sealed class QueryState : IStoreLocal
{
    public string QueryKey { get; set; } = "";
    public DateTimeOffset? LastRunAt { get; set; }
    public DateTimeOffset? LastSuccessAt { get; set; }
    public int ConsecutiveFailures { get; set; }
    public string? LastError { get; set; }
    public long? LastRunId { get; set; }
    /// <summary>The store this object belongs to (see <see cref="IStoreLocal"/>).</summary>
    public string? StorePath { get; set; }
}

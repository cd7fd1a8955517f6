namespace JobSignal.Core.Domain;

/// <summary>A resolution change or a model feedback mark a rep made in the Sheet (SPEC 9.2).</summary>
public sealed class FeedbackEvent : IStoreLocal
{
    public long EventId { get; set; }
    public long CompanyId { get; set; }
    /// <summary>The company's display name when the event was read (Get-SignalFeedback).</summary>
    public string? CompanyName { get; set; }
    public FeedbackKind Kind { get; set; }
    /// <summary>The new resolution, or OK / FP / FN.</summary>
    public string Value { get; set; } = "";
    public string Notes { get; set; } = "";
    /// <summary>The Sheet row it came from, when known.</summary>
    public int? SourceRow { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The store this object belongs to (see <see cref="IStoreLocal"/>).</summary>
    public string? StorePath { get; set; }
}

namespace JobSignal.Core.Domain;

/// <summary>The values of <see cref="IngestionRun.Status"/>.</summary>
public static class RunStatus
{
    public const string Running = "running";
    public const string Success = "success";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    /// <summary>Left <c>running</c> by a process that died; set by the next run.</summary>
    public const string Abandoned = "abandoned";

    public static IReadOnlyList<string> All { get; } = new[] { Running, Success, Failed, Cancelled, Abandoned };
    public static bool IsFinished(string? status) => status is not null && status != Running && All.Contains(status);
}

/// <summary>The values of <see cref="IngestionRun.Kind"/>.</summary>
public static class RunKind
{
    public const string Ingestion = "ingestion";
    /// <summary>Re-scoring stored offers with the current catalog (Update-OfferScore).</summary>
    public const string Rescore = "rescore";
}

/// <summary>The values of <see cref="FeedbackEvent.Kind"/>.</summary>
public static class FeedbackKind
{
    public const string Resolution = "resolution";
    /// <summary>OK / FP / FN from the Sheet's model feedback column, deduplicated on (company, value, notes).</summary>
    public const string ModelFeedback = "model_feedback";
}

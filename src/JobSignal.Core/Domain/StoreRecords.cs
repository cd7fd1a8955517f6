using JobSignal.Core.Common;

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

/// <summary>What a <see cref="FeedbackEvent"/> records: shown, filtered (Get-SignalFeedback -Kind) and compared by these names.</summary>
public enum FeedbackKind
{
    /// <summary>A resolution a rep set in the Sheet (a history: each change is one event).</summary>
    Resolution,

    /// <summary>OK / FP / FN from the Sheet's model feedback column, deduplicated on (company, value, notes).</summary>
    ModelFeedback,
}

/// <summary>
/// The codes the store keeps for <see cref="FeedbackKind"/> (<c>feedback_events.kind</c>): stable since schema 1, so they
/// stay as they are; users see and type the enum's names, and the codes are accepted as input too.
/// </summary>
public static class FeedbackKindCodes
{
    public const string Resolution = "resolution";
    public const string ModelFeedback = "model_feedback";

    public static string ToCode(this FeedbackKind kind) => kind switch
    {
        FeedbackKind.Resolution => Resolution,
        FeedbackKind.ModelFeedback => ModelFeedback,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown feedback kind."),
    };

    /// <summary>Reads a kind by its name (ModelFeedback) or its store code (model_feedback), trimmed, in any case.</summary>
    public static bool TryParse(string? text, out FeedbackKind kind) => EnumCodes.TryParse(text, ToCode, orName: true, out kind);
}

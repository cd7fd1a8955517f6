namespace JobSignal.Core.Sheets;

/// <summary>A rep's verdict on the model's reading of a lead: right, false positive, or a missed lead.</summary>
public static class ModelFeedback
{
    public const string Ok = "OK";
    public const string FalsePositive = "FP";
    public const string FalseNegative = "FN";

    public static readonly IReadOnlyList<string> All = [Ok, FalsePositive, FalseNegative];

    /// <summary>Reads a value as the Sheet holds it: trimmed, any case. False for blank or unknown text.</summary>
    public static bool TryParse(string? text, out string feedback)
    {
        var trimmed = (text ?? "").Trim();
        feedback = All.FirstOrDefault(v => string.Equals(v, trimmed, StringComparison.OrdinalIgnoreCase)) ?? "";
        return feedback.Length > 0;
    }
}

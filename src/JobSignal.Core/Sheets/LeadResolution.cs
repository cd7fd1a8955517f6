namespace JobSignal.Core.Sheets;

/// <summary>
/// What a sales rep decided about a lead (SPEC 9.2). Active resolutions keep the company in the pipeline; final ones
/// freeze its metrics and stop ingesting its new offers. Stored and written to the Sheet as the upper-case names.
/// </summary>
public static class LeadResolution
{
    public const string Pending = "PENDING";
    public const string InProgress = "IN_PROGRESS";
    public const string HighInterest = "HIGH_INTEREST";
    public const string AlreadyClient = "ALREADY_CLIENT";
    public const string Accepted = "ACCEPTED";
    public const string Rejected = "REJECTED";

    /// <summary>Every resolution in the order the Sheet's dropdown lists them: active first, then final.</summary>
    public static readonly IReadOnlyList<string> All = [Pending, InProgress, HighInterest, AlreadyClient, Accepted, Rejected];

    public static bool IsFinal(string resolution) =>
        resolution is AlreadyClient or Accepted or Rejected;

    /// <summary>
    /// Reads a resolution the way a rep may have typed it: trimmed, any case, spaces or hyphens for underscores
    /// ("in progress" is IN_PROGRESS). False for a blank or unknown value.
    /// </summary>
    public static bool TryParse(string? text, out string resolution) =>
        TryParseFrom(All, text, out resolution);

    internal static bool TryParseFrom(IReadOnlyList<string> allowed, string? text, out string value)
    {
        value = "";
        if (string.IsNullOrWhiteSpace(text)) return false;
        var candidate = text.Trim().ToUpperInvariant().Replace(' ', '_').Replace('-', '_');
        foreach (var name in allowed)
        {
            if (name != candidate) continue;
            value = name;
            return true;
        }
        return false;
    }
}

/// <summary>A rep's verdict on the model's reading of a lead: right, false positive, or a missed lead.</summary>
public static class ModelFeedback
{
    public const string Ok = "OK";
    public const string FalsePositive = "FP";
    public const string FalseNegative = "FN";

    public static readonly IReadOnlyList<string> All = [Ok, FalsePositive, FalseNegative];

    public static bool TryParse(string? text, out string feedback) =>
        LeadResolution.TryParseFrom(All, text, out feedback);
}

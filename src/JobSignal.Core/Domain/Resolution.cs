namespace JobSignal.Core.Domain;

/// <summary>
/// A sales rep's decision about a company (SPEC 9.2). Active resolutions keep the company in the pipeline; final
/// ones stop ingestion of its new offers and freeze its metrics. The one place that knows which is which.
/// </summary>
public static class Resolution
{
    public const string Pending = "PENDING";
    public const string InProgress = "IN_PROGRESS";
    public const string HighInterest = "HIGH_INTEREST";
    public const string AlreadyClient = "ALREADY_CLIENT";
    public const string Accepted = "ACCEPTED";
    public const string Rejected = "REJECTED";

    public static IReadOnlyList<string> Active { get; } = new[] { Pending, InProgress, HighInterest };
    public static IReadOnlyList<string> Final { get; } = new[] { AlreadyClient, Accepted, Rejected };
    /// <summary>Every resolution, in the order a dropdown shows them.</summary>
    public static IReadOnlyList<string> All { get; } = Active.Concat(Final).ToArray();

    public static bool IsFinal(string? resolution) => resolution is not null && Final.Contains(resolution);

    /// <summary>
    /// Reads a resolution as a person typed it (case-insensitive, trimmed). False for blank or unknown values.
    /// </summary>
    public static bool TryParse(string? text, out string resolution)
    {
        var trimmed = text?.Trim();
        resolution = All.FirstOrDefault(r => string.Equals(r, trimmed, StringComparison.OrdinalIgnoreCase)) ?? "";
        return resolution.Length > 0;
    }
}

namespace JobSignal.Core.Domain;

/// <summary>
/// What a sales rep decided about a company (SPEC 9.2). Active values keep the company in play; final values freeze
/// it: its new offers are skipped at ingestion and its metrics are no longer recomputed.
/// </summary>
public static class Resolution
{
    public const string Pending = "PENDING";
    public const string InProgress = "IN_PROGRESS";
    public const string HighInterest = "HIGH_INTEREST";
    public const string AlreadyClient = "ALREADY_CLIENT";
    public const string Accepted = "ACCEPTED";
    public const string Rejected = "REJECTED";

    /// <summary>Every value, active ones first, in the order the Sheet dropdown shows them.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Pending, InProgress, HighInterest, AlreadyClient, Accepted, Rejected];

    /// <summary>
    /// Reads a value the way the Sheet and the cmdlets accept it: trimmed, case-insensitive. Blank or unknown text
    /// returns false (a blank Sheet cell means "no change", an unknown one is reported by the caller).
    /// </summary>
    public static bool TryParse(string? text, out string resolution)
    {
        var trimmed = text.AsSpan().Trim();
        foreach (var value in All)
        {
            if (trimmed.Equals(value, StringComparison.OrdinalIgnoreCase))
            {
                resolution = value;
                return true;
            }
        }
        resolution = "";
        return false;
    }

    /// <summary>True for ALREADY_CLIENT, ACCEPTED and REJECTED; false for active, blank or unknown text.</summary>
    public static bool IsFinal(string? resolution) =>
        TryParse(resolution, out var value) && value is AlreadyClient or Accepted or Rejected;

    /// <summary>True for PENDING, IN_PROGRESS and HIGH_INTEREST; false for final, blank or unknown text.</summary>
    public static bool IsActive(string? resolution) =>
        TryParse(resolution, out var value) && value is Pending or InProgress or HighInterest;
}

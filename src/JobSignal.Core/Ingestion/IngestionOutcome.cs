using JobSignal.Core.Common;

namespace JobSignal.Core.Ingestion;

/// <summary>
/// What happened to one offer in an ingestion run (SPEC 7.1). Every offer gets exactly one outcome, so the run's
/// counters add up to the number of offers read.
/// </summary>
public enum IngestionOutcome
{
    /// <summary>A new offer row, matched and scored.</summary>
    Inserted,

    /// <summary>A known provider offer id: fields refreshed, last seen updated, re-matched.</summary>
    Updated,

    /// <summary>A new provider offer id for a vacancy the company already has: its canonical offer was updated.</summary>
    Repost,

    /// <summary>The company could not be identified (no provider company id, website or usable name).</summary>
    SkippedNoIdentity,

    /// <summary>The offer lacks an absolute http(s) URL, a provider offer id or a title.</summary>
    SkippedInvalid,

    /// <summary>The company's resolution is final (ALREADY_CLIENT, ACCEPTED, REJECTED).</summary>
    SkippedResolved,

    /// <summary>Storing the offer failed; its company is still queued for aggregation.</summary>
    FailedDb,

    /// <summary>The offer is stored but its match could not be stored after retries (fixed by Update-OfferScore).</summary>
    MatchFailed,
}

/// <summary>The stable snake_case codes of <see cref="IngestionOutcome"/>, as stored and shown.</summary>
public static class IngestionOutcomeCodes
{
    public const string Inserted = "inserted";
    public const string Updated = "updated";
    public const string Repost = "repost";
    public const string SkippedNoIdentity = "skipped_no_identity";
    public const string SkippedInvalid = "skipped_invalid";
    public const string SkippedResolved = "skipped_resolved";
    public const string FailedDb = "failed_db";
    public const string MatchFailed = "match_failed";

    public static string ToCode(this IngestionOutcome outcome) => outcome switch
    {
        IngestionOutcome.Inserted => Inserted,
        IngestionOutcome.Updated => Updated,
        IngestionOutcome.Repost => Repost,
        IngestionOutcome.SkippedNoIdentity => SkippedNoIdentity,
        IngestionOutcome.SkippedInvalid => SkippedInvalid,
        IngestionOutcome.SkippedResolved => SkippedResolved,
        IngestionOutcome.FailedDb => FailedDb,
        IngestionOutcome.MatchFailed => MatchFailed,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown ingestion outcome."),
    };

    /// <summary>Reads a code (trimmed, case-insensitive) back into its outcome.</summary>
    public static bool TryParse(string? code, out IngestionOutcome outcome) =>
        EnumCodes.TryParse(code, ToCode, orName: false, out outcome);
}

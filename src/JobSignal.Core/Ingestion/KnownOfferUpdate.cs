using JobSignal.Core.Domain;
using JobSignal.Core.Store;

namespace JobSignal.Core.Ingestion;

/// <summary>
/// How an incoming version of a known offer updates the stored one (SPEC 5.4: a known id is an update). Pure. Two rules:
/// <list type="bullet">
/// <item>Only a value replaces a value: a field the input lacks or leaves blank (a trimmed Select-Object, a CSV without
/// the column, a hand-built object) is "not provided", not "now empty", so the stored value stays. The store never
/// loses text or dates to an input that did not carry them, and the score stays that of the text stored.</item>
/// <item>A version the provider last updated before the stored one is older news (a backfill from an archive): it
/// changes no field and no score; it only counts as seen.</item>
/// </list>
/// </summary>
internal static class KnownOfferUpdate
{
    /// <summary>True when both dates are known and the incoming version predates the stored one.</summary>
    public static bool IsOlder(DateTimeOffset? incoming, DateTimeOffset? stored) =>
        incoming is { } i && stored is { } s && i < s;

    /// <summary>
    /// True when the offer lacks text that scoring and the repost signature read (its title is never blank: validation
    /// requires one): only then is the stored text worth reading.
    /// </summary>
    public static bool LacksScoredText(Offer offer) => IsBlank(offer.Description) || IsBlank(offer.Requirements);

    /// <summary>
    /// The offer to store and score: a copy of <paramref name="incoming"/> with the stored text where it has none; null
    /// when the stored text fills nothing (the incoming offer is stored as it is).
    /// </summary>
    public static Offer? WithStoredText(Offer incoming, StoredOfferText stored)
    {
        var description = IsBlank(incoming.Description) && !IsBlank(stored.Description) ? stored.Description : null;
        var requirements = IsBlank(incoming.Requirements) && !IsBlank(stored.Requirements) ? stored.Requirements : null;
        if (description is null && requirements is null) return null;
        var filled = incoming.Copy();
        filled.Description = description ?? incoming.Description;
        filled.Requirements = requirements ?? incoming.Requirements;
        return filled;
    }

    /// <summary>The stored version's text in place of the incoming one's (an older version of an offer that has no match yet).</summary>
    public static Offer WithText(Offer incoming, StoredOfferText stored)
    {
        var copy = incoming.Copy();
        copy.Title = stored.Title;
        copy.Description = stored.Description;
        copy.Requirements = stored.Requirements;
        return copy;
    }

    /// <summary>What an update writes for a field: null (keep the stored value) when the input has nothing in it.</summary>
    public static string? ValueOrNull(string? text) => IsBlank(text) ? null : text;

    private static bool IsBlank(string? text) => string.IsNullOrWhiteSpace(text);
}

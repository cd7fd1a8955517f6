using JobSignal.Core.Signal;

namespace JobSignal.Core.Store;

/// <summary>
/// What the repost detector derives from an offer's text (SPEC 5.4), stored with the offer so that candidates are
/// compared without re-tokenizing them. <see cref="Signature"/> is opaque to the store.
/// </summary>
public sealed record OfferContent(string? Fingerprint, string? NormalizedTitle, int DescriptionTokenCount, byte[]? Signature);

/// <summary>A provider offer id the store already knows: as an offer of its own, or as a repost of one.</summary>
public sealed record KnownOffer
{
    public long OfferId { get; init; }
    public long CompanyId { get; init; }
    public string ProviderOfferId { get; init; } = "";
    /// <summary>True when this id was recognised as a repost of <see cref="OfferId"/> (it has no row of its own).</summary>
    public bool IsRepost { get; init; }
    public string? Fingerprint { get; init; }
    /// <summary>When the provider last changed the offer, as stored.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }
    public bool HasMatch { get; init; }
}

/// <summary>The text of a stored offer that scoring and the repost signature read.</summary>
internal sealed record StoredOfferText(string? Title, string? Description, string? Requirements);

/// <summary>A canonical offer against which a new offer of the same company is checked for being a repost.</summary>
public sealed record RepostCandidate
{
    public long OfferId { get; init; }
    public string? Fingerprint { get; init; }
    public string? NormalizedTitle { get; init; }
    public int DescriptionTokenCount { get; init; }
    public byte[]? ContentSignature { get; init; }
    public DateTimeOffset LastSeenAt { get; init; }
}

/// <summary>A canonical offer with its match, as the company aggregation reads it (SPEC 6).</summary>
public sealed record OfferSignal
{
    public long OfferId { get; init; }
    public long CompanyId { get; init; }
    public string? Url { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public DateTimeOffset FirstSeenAt { get; init; }
    public DateTimeOffset LastSeenAt { get; init; }
    public int RepostCount { get; init; }
    /// <summary>The latest publication of one of its reposts (published, else updated); null without a dated repost.</summary>
    public DateTimeOffset? RepublishedAt { get; init; }
    /// <summary>Null when the offer has no match.</summary>
    public int? Score { get; init; }
    /// <summary>The match's strong decision, taken when it was scored (false without a match).</summary>
    public bool IsStrong { get; init; }
    public string? TopCategory { get; init; }
    /// <summary>
    /// The match's evidence terms as stored (<see cref="MatchEvidence"/>), most points first; null when the offer has no
    /// match or its match predates them (schema 2). Kept undecoded: aggregation decodes them on every core.
    /// </summary>
    public byte[]? EvidenceUtf8 { get; init; }
    /// <summary>
    /// The categories that earned points in the match as stored (<see cref="MatchCategories"/>); null when the offer has no
    /// match or its match has none stored. Kept undecoded, as <see cref="EvidenceUtf8"/>.
    /// </summary>
    public byte[]? CategoryPointsUtf8 { get; init; }
    /// <summary>Only read when the match has no <see cref="EvidenceUtf8"/> or <see cref="CategoryPointsUtf8"/>: they are then derived from it.</summary>
    public string? ExplanationJson { get; init; }
}

/// <summary>Ordering of <see cref="OfferRepository.List"/>.</summary>
public enum OfferOrder
{
    /// <summary>Best score first (unscored last), then most recently seen: for people.</summary>
    Score,
    /// <summary>Ascending id: for paging through everything with <see cref="OfferFilter.AfterOfferId"/>.</summary>
    OfferId,
}

/// <summary>Filters of <see cref="OfferRepository.List"/>; every one set must hold.</summary>
public sealed record OfferFilter
{
    public IReadOnlyCollection<long>? OfferIds { get; init; }
    public IReadOnlyCollection<long>? CompanyIds { get; init; }
    /// <summary>With both id lists: the offers in either (these offers, and those of these companies) rather than in both.</summary>
    public bool EitherIds { get; init; }
    /// <summary>Only offers without a match (match persistence failed, or never scored).</summary>
    public bool Unscored { get; init; }
    public int? MinScore { get; init; }
    /// <summary>A category that earned points in the match (its top category or any other).</summary>
    public string? Category { get; init; }
    /// <summary>Text found (case-insensitively) in the title or in what the match's hits found (<see cref="KeywordSearch"/>).</summary>
    public string? Keyword { get; init; }
    /// <summary>Last seen at or after.</summary>
    public DateTimeOffset? Since { get; init; }
    /// <summary>Reposts never have rows; this only matters for offers merged as non-canonical.</summary>
    public bool IncludeNonCanonical { get; init; }
    /// <summary>Only offers with a larger id (keyset paging with <see cref="OfferOrder.OfferId"/>).</summary>
    public long? AfterOfferId { get; init; }
    public int? Limit { get; init; }
    public OfferOrder OrderBy { get; init; } = OfferOrder.Score;
}

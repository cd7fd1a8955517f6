using System.Text.Json.Serialization;
using JobSignal.Core.Catalog;

namespace JobSignal.Core.Signal;

/// <summary>
/// An offer's score and its full explanation (SPEC 5.3): every bucket, cap, category and phrase contribution with
/// the hit that won it, synergy, guard, and the hits that were negated or excluded. Stored as JSON with each match
/// (<see cref="SignalScoreJson"/>) and shown by Measure-OfferSignal.
/// </summary>
public sealed record SignalScore
{
    /// <summary>The JSON layout version of this explanation.</summary>
    public int Format { get; init; } = SignalScoreJson.CurrentFormat;
    public string CatalogVersion { get; init; } = "";
    /// <summary>
    /// The store's id of the offer scored (Get-SignalOffer's OfferId), when it was a stored offer: what the cmdlets that
    /// take an OfferId bind from the pipeline. Not part of the score.
    /// </summary>
    public long? OfferId { get; init; }
    /// <summary>The provider's id of the offer scored, when known (not part of the score).</summary>
    public string? ProviderOfferId { get; init; }
    public string? Title { get; init; }

    /// <summary>0 to the catalog's maxScore: raw clamped and rounded half up.</summary>
    public int Score { get; init; }
    public bool Strong { get; init; }
    /// <summary>Capped buckets + phrases + synergy, after the no-fxCore guard, before clamping.</summary>
    public decimal Raw { get; init; }
    /// <summary>Raw before the no-fxCore guard.</summary>
    public decimal RawBeforeGuard { get; init; }
    public string? TopCategory { get; init; }
    public string? TopCategoryName { get; init; }
    /// <summary>Uncapped direct_fx points reached the catalog's fxCoreThreshold.</summary>
    public bool FxCore { get; init; }
    /// <summary>Without fxCore the raw score was above the guard and was limited to it.</summary>
    public bool GuardApplied { get; init; }
    public decimal GuardCap { get; init; }
    /// <summary>Capped bucket points added up.</summary>
    public decimal CategoryPoints { get; init; }
    public decimal PhrasePoints { get; init; }
    /// <summary>Synergy after its maximum.</summary>
    public decimal SynergyPoints { get; init; }
    // The four below are null in explanations stored before they were recorded: nothing is guessed for those.
    /// <summary>The applied synergy bonuses added up, before the catalog's synergy maximum.</summary>
    public decimal? SynergyUncapped { get; init; }
    /// <summary>The catalog's synergy maximum.</summary>
    public decimal? SynergyMax { get; init; }
    /// <summary>The catalog's fxCoreThreshold (uncapped direct_fx points needed for fxCore).</summary>
    public decimal? FxCoreThreshold { get; init; }
    /// <summary>The catalog's maxScore: raw above it is clamped to it.</summary>
    public int? MaxScore { get; init; }

    /// <summary>The synergy maximum cut the applied bonuses (<see cref="SynergyUncapped"/> - <see cref="SynergyPoints"/> was lost).</summary>
    [JsonIgnore]
    public bool SynergyCapped => SynergyUncapped > SynergyPoints;

    /// <summary>Raw was above <see cref="MaxScore"/> (or below 0) and the score was clamped.</summary>
    [JsonIgnore]
    public bool Clamped => Raw > MaxScore || Raw < 0;

    // ItemLists, so that Export-Csv of a score shows "direct_fx 4, ..." rather than a list's type name.
    public ItemList<BucketScore> Buckets { get; init; } = [];
    public ItemList<SignalContribution> Categories { get; init; } = [];
    public ItemList<SignalContribution> Phrases { get; init; } = [];
    public ItemList<SynergyPart> Synergy { get; init; } = [];
    /// <summary>Every hit that counted, in field and position order.</summary>
    public ItemList<SignalHit> Hits { get; init; } = [];
    /// <summary>Hits dropped because a negation cue stood nearby (not counting excluded ones).</summary>
    public ItemList<SignalHit> NegatedHits { get; init; } = [];
    /// <summary>Hits dropped because an exclusion context of their keyword stood nearby.</summary>
    public ItemList<SignalHit> ExcludedHits { get; init; } = [];

    [JsonIgnore]
    public int NegatedCount => NegatedHits.Count;

    [JsonIgnore]
    public int ExcludedCount => ExcludedHits.Count;

    /// <summary>The short evidence list, e.g. "USD, International Payments, AWS".</summary>
    [JsonIgnore]
    public string Evidence => EvidenceTerms.Join(EvidenceTerms.Of(this));

    /// <summary>The explanation as readable lines (Measure-OfferSignal's list view).</summary>
    [JsonIgnore]
    public string Explanation => ScoreExplanationText.Format(this);

    /// <summary>
    /// "8 strong, cat_fx_currency_ops: USD, SWIFT": what a CSV export or a string shows of a match, where a record would
    /// print every property.
    /// </summary>
    public override string ToString() =>
        $"{Score}{(Strong ? " strong" : "")}{(TopCategory is null ? "" : ", " + TopCategory)}{(Evidence.Length == 0 ? "" : ": " + Evidence)}";
}

/// <summary>A bucket's category points before and after its cap.</summary>
public sealed record BucketScore
{
    public string Bucket { get; init; } = "";
    public decimal Uncapped { get; init; }
    public decimal Cap { get; init; }
    public decimal Capped { get; init; }

    [JsonIgnore]
    public bool IsCapped => Uncapped > Cap;

    /// <summary>"direct_fx 7 (capped from 8)": an item of <see cref="SignalScore.Buckets"/> as text.</summary>
    public override string ToString() =>
        $"{Bucket} {ScoreExplanationText.N(Capped)}" + (IsCapped ? $" (capped from {ScoreExplanationText.N(Uncapped)})" : "");
}

/// <summary>
/// What one category (its best keyword hit's tier weight x field weight: a category never stacks) or one phrase (its
/// best hit's phrase tier weight x field weight) added to the score.
/// </summary>
public sealed record SignalContribution
{
    public SignalTermKind Kind { get; init; }
    /// <summary>The category id, or the phrase id.</summary>
    public string Id { get; init; } = "";
    /// <summary>The category name, or the phrase as written.</summary>
    public string Name { get; init; } = "";
    /// <summary>The category's bucket; null for phrases.</summary>
    public string? Bucket { get; init; }
    public int Tier { get; init; }
    public decimal TierWeight { get; init; }
    public decimal FieldWeight { get; init; }
    public decimal Points { get; init; }
    /// <summary>How many counted hits there were; only <see cref="Hit"/> scored.</summary>
    public int HitCount { get; init; }
    public SignalHit Hit { get; init; } = new();

    /// <summary>"cat_fx_currency_ops +4": an item of <see cref="SignalScore.Categories"/> or Phrases as text.</summary>
    public override string ToString() => $"{Id} +{ScoreExplanationText.N(Points)}";
}

/// <summary>One synergy bonus: applied when fxCore holds and the bucket (capped) reached the threshold.</summary>
public sealed record SynergyPart
{
    /// <summary><see cref="Reason"/> when the offer has no fxCore: no bonus applies whatever the bucket holds.</summary>
    public const string NoFxCore = "no fxCore";
    /// <summary><see cref="Reason"/> when the bucket's capped points stayed under the threshold.</summary>
    public const string BelowThreshold = "below threshold";

    public string Bucket { get; init; } = "";
    public decimal Threshold { get; init; }
    public decimal Amount { get; init; }
    public decimal BucketPoints { get; init; }
    public bool Applied { get; init; }
    /// <summary>Why the bonus was not applied (<see cref="NoFxCore"/>, <see cref="BelowThreshold"/>); null when it was.</summary>
    public string? Reason { get; init; }

    /// <summary>"intl_footprint +1" or "business_model not applied (no fxCore)".</summary>
    public override string ToString() =>
        Applied ? $"{Bucket} +{ScoreExplanationText.N(Amount)}" : $"{Bucket} not applied{(Reason is null ? "" : $" ({Reason})")}";
}

using System.Globalization;
using JobSignal.Core.Signal;

namespace JobSignal.Core.Catalog;

/// <summary>The four buckets categories add up into (SPEC 5.3); each has its own cap.</summary>
public static class SignalBuckets
{
    public const string DirectFx = "direct_fx";
    public const string IntlFootprint = "intl_footprint";
    public const string BusinessModel = "business_model";
    public const string TechProxy = "tech_proxy";

    /// <summary>Every bucket, in the order explanations list them.</summary>
    public static IReadOnlyList<string> All { get; } = [DirectFx, IntlFootprint, BusinessModel, TechProxy];

    public static bool IsKnown(string? bucket) => bucket is not null && All.Contains(bucket);
}

/// <summary>
/// A keyword catalog (SPEC 5.1) as read from its JSON file: categories, keywords with aliases, phrases, and every
/// number of the scoring profile. Mutable so that tools and tests can build or tweak one; validate before use.
/// </summary>
public sealed class SignalCatalog
{
    public string Version { get; set; } = "";
    public string? Description { get; set; }
    // ItemLists: Export-Csv of a catalog shows the ids rather than a list's type name.
    public ItemList<CatalogCategory> Categories { get; set; } = [];
    public ItemList<CatalogKeyword> Keywords { get; set; } = [];
    public ItemList<CatalogPhrase> Phrases { get; set; } = [];
    public ScoringProfile Scoring { get; set; } = new();
    public NegationRules Negation { get; set; } = new();

    /// <summary>The file the catalog was read from, when it came from a file.</summary>
    public string? SourcePath { get; set; }

    /// <summary>
    /// What the validation of a loaded catalog warned about (parts that can never score, redundant aliases): the
    /// catalog works, but these are likely mistakes. Test-SignalCatalog lists them with the errors.
    /// </summary>
    public ItemList<CatalogIssue> Warnings { get; set; } = [];

    // The counts by the names Test-SignalCatalog's report gives them, so that both select and show alike.
    public int CategoryCount => Categories.Count;
    public int KeywordCount => Keywords.Count;
    public int AliasCount => Keywords.Sum(k => k.Aliases.Count + k.CaseSensitiveAliases.Count);
    public int PhraseCount => Phrases.Count;
}

public sealed class CatalogCategory
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    /// <summary>1-3; selects the tier weight of <see cref="ScoringProfile.TierWeights"/>.</summary>
    public int Tier { get; set; }
    /// <summary>One of <see cref="SignalBuckets"/>.</summary>
    public string Bucket { get; set; } = "";

    public override string ToString() => Id;
}

public sealed class CatalogKeyword
{
    public string Id { get; set; } = "";
    public string CategoryId { get; set; } = "";
    /// <summary>The display name (evidence terms); the first alias when the file leaves it out.</summary>
    public string Canonical { get; set; } = "";
    /// <summary>Matched case-insensitively and without diacritics, as whole token sequences.</summary>
    public List<string> Aliases { get; set; } = [];
    /// <summary>Matched only when the original text has exactly this spelling (tickers such as <c>CAD</c>).</summary>
    public List<string> CaseSensitiveAliases { get; set; } = [];
    public List<ExclusionRule> Exclude { get; set; } = [];
    /// <inheritdoc cref="CatalogPhrase.OnlyWith"/>
    public List<string> OnlyWith { get; set; } = [];

    public override string ToString() => Id;
}

public sealed class CatalogPhrase
{
    public string Id { get; set; } = "";
    public string Phrase { get; set; } = "";
    /// <summary>1-3; selects the weight of <see cref="ScoringProfile.PhraseTierWeights"/>.</summary>
    public int Tier { get; set; }
    public List<ExclusionRule> Exclude { get; set; } = [];
    /// <summary>
    /// Ids of keywords or phrases: when not empty, a hit counts only in an offer where a hit of one of them counts too
    /// (EUR, the home currency of a Spanish employer, is FX evidence only beside another currency). Optional.
    /// </summary>
    public List<string> OnlyWith { get; set; } = [];

    public override string ToString() => Id;
}

/// <summary>The sides of a hit an <see cref="ExclusionRule"/> looks at.</summary>
public static class ExclusionDirections
{
    public const string Both = "both";
    public const string Before = "before";
    public const string After = "after";

    public static IReadOnlyList<string> All { get; } = [Both, Before, After];
}

/// <summary>A context that vetoes a hit: any of <see cref="Near"/> within <see cref="Window"/> tokens of it.</summary>
public sealed class ExclusionRule
{
    /// <summary>Single tokens (normalized like offer text).</summary>
    public List<string> Near { get; set; } = [];
    /// <summary>How many tokens before and after the hit are looked at.</summary>
    public int Window { get; set; }
    /// <summary>
    /// <see cref="ExclusionDirections.Before"/> or <see cref="ExclusionDirections.After"/> looks at that side of the hit
    /// only ("Formación en ... Comercio Internacional": the degree is named before); both sides by default.
    /// </summary>
    public string Direction { get; set; } = ExclusionDirections.Both;
    /// <summary>The aliases the rule applies to; empty means every alias of the keyword.</summary>
    public List<string> Aliases { get; set; } = [];
    /// <summary>
    /// Only context words in the hit's own sentence veto it (a heading such as "Datos del puesto" after "Exportación."
    /// is no data export): for rules on the words of the phrase the hit is part of ("tipo de cambio de turno"). False
    /// by default, for rules on what the role is about: "Swift. iOS y Xcode" is the language across a full stop, and
    /// such a context word in the offer's title counts for hits in its other fields too ("iOS Developer" names the
    /// role), as the description's first words count for the title's hits. Implies <see cref="WithinField"/>.
    /// </summary>
    public bool WithinSentence { get; set; }
    /// <summary>
    /// Only context words in the hit's own field veto it, across sentence ends: for a rule on the hit's own phrase whose
    /// words may stand across a dot that is no sentence end ("Avda. de México"). False by default.
    /// </summary>
    public bool WithinField { get; set; }
}

/// <summary>Every number of SPEC 5.3, so that tuning never needs a rebuild.</summary>
public sealed class ScoringProfile
{
    /// <summary>Category tier (1-3) -> points (default 1.0, 2.5, 4.0).</summary>
    public TierWeightMap TierWeights { get; set; } = new();
    /// <summary>Phrase tier (1-3) -> points (default 0.6, 1.2, 2.0).</summary>
    public TierWeightMap PhraseTierWeights { get; set; } = new();
    /// <summary>Field (title, description, optional requirements) -> multiplier.</summary>
    public Dictionary<string, decimal> FieldWeights { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Bucket -> the most its categories may add.</summary>
    public Dictionary<string, decimal> BucketCaps { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Uncapped direct_fx points needed for fxCore.</summary>
    public decimal FxCoreThreshold { get; set; }
    public SynergyRules Synergy { get; set; } = new();
    /// <summary>Without fxCore the raw score is limited to this.</summary>
    public decimal NoFxCoreCap { get; set; }
    /// <summary>An offer is strong when its score is at least this.</summary>
    public int StrongThreshold { get; set; }
    /// <summary>The highest score (1-<see cref="HighestMaxScore"/>): raw above it is clamped to it.</summary>
    public int MaxScore { get; set; }

    /// <summary>The highest maxScore a catalog may set: the store keeps scores of 0-10 (SPEC 5.3).</summary>
    public const int HighestMaxScore = 10;

    /// <summary>"strong >= 6 of 10, fxCore >= 2, synergy max 1.8, no fxCore cap 5" (Export-Csv of a catalog).</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"strong >= {StrongThreshold} of {MaxScore}, fxCore >= {FxCoreThreshold}, synergy max {Synergy.Max}, no fxCore cap {NoFxCoreCap}");
}

/// <summary>
/// Tier -> weight, keyed by the tier as text ("1", "2", "3") as in the catalog file, so that ConvertTo-Json of a
/// catalog works (it refuses dictionaries whose keys are not strings); <c>map[3]</c> reads and writes by number.
/// </summary>
public sealed class TierWeightMap : Dictionary<string, decimal>
{
    public TierWeightMap() : base(StringComparer.Ordinal)
    {
    }

    public decimal this[int tier]
    {
        get => this[Key(tier)];
        set => this[Key(tier)] = value;
    }

    public bool ContainsKey(int tier) => ContainsKey(Key(tier));

    public static string Key(int tier) => tier.ToString(CultureInfo.InvariantCulture);

    /// <summary>"1=1, 2=2.5, 3=4" (Export-Csv, string interpolation).</summary>
    public override string ToString() =>
        string.Join(", ", this.Select(weight => $"{weight.Key}={weight.Value.ToString(CultureInfo.InvariantCulture)}"));
}

public sealed class SynergyRules
{
    public List<SynergyBonus> Bonuses { get; set; } = [];
    /// <summary>The most all bonuses together may add.</summary>
    public decimal Max { get; set; }

    /// <summary>"+1.0 if intl_footprint >= 1.0, +0.8 if business_model >= 1.0 (max 1.8)" (the catalog's Scoring, Export-Csv).</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{string.Join(", ", Bonuses)} (max {Max})");
}

/// <summary>With fxCore, <see cref="Amount"/> is added when <see cref="Bucket"/> (capped) reaches <see cref="Threshold"/>.</summary>
public sealed class SynergyBonus
{
    public string Bucket { get; set; } = "";
    public decimal Threshold { get; set; }
    public decimal Amount { get; set; }

    /// <summary>"+1.0 if intl_footprint >= 1.0".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"+{Amount} if {Bucket} >= {Threshold}");
}

public sealed class NegationRules
{
    /// <summary>Single tokens that negate a hit nearby (no, sin, not, without).</summary>
    public List<string> Cues { get; set; } = [];
    /// <summary>Tokens before the hit's first token that are looked at.</summary>
    public int WindowBefore { get; set; }
    /// <summary>Tokens after the hit's last token that are looked at.</summary>
    public int WindowAfter { get; set; }
    /// <summary>
    /// Phrases that start with a cue and negate nothing ("sin embargo", "no obstante", "no solo"): a cue that starts
    /// one of them is not read as a cue. Optional.
    /// </summary>
    public List<string> Idioms { get; set; } = [];

    /// <summary>"no, sin, not, without (8 before, 2 after)" (Export-Csv of a catalog).</summary>
    public override string ToString() => $"{string.Join(", ", Cues)} ({WindowBefore} before, {WindowAfter} after)";
}

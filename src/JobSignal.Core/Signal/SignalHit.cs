using System.Text.Json.Serialization;
using JobSignal.Core.Catalog;

namespace JobSignal.Core.Signal;

/// <summary>
/// The offer field a hit was found in. Requirements are scored with the description's weight unless the catalog's
/// <c>scoring.fieldWeights</c> names a <c>requirements</c> weight of its own.
/// </summary>
public enum SignalField
{
    Title,
    Description,
    Requirements,
}

/// <summary>One occurrence of a keyword alias or phrase in an offer field, with its evidence.</summary>
public sealed record SignalHit
{
    public SignalTermKind Kind { get; init; }
    /// <summary>The keyword or phrase id.</summary>
    public string Id { get; init; } = "";
    /// <summary>The keyword's category; null for phrases.</summary>
    public string? CategoryId { get; init; }
    /// <summary>The keyword's canonical name or the phrase as written in the catalog.</summary>
    public string Term { get; init; } = "";
    /// <summary>The alias (as written in the catalog) that matched.</summary>
    public string Alias { get; init; } = "";
    public SignalField Field { get; init; }
    /// <summary>Index of the hit's first token in its field.</summary>
    public int Position { get; init; }
    public int TokenCount { get; init; }
    /// <summary>Character offset of the hit in the field's original text.</summary>
    public int Offset { get; init; }
    public int Length { get; init; }
    /// <summary>The original text the hit covers.</summary>
    public string Text { get; init; } = "";
    /// <summary>About 120 characters of the original text around the hit.</summary>
    public string Evidence { get; init; } = "";
    /// <summary>A negation cue stands within the catalog's window: the hit does not count.</summary>
    public bool Negated { get; init; }
    public string? NegationCue { get; init; }
    /// <summary>Tokens from the hit to the cue: negative before the hit, positive after it.</summary>
    public int? NegationDistance { get; init; }
    /// <summary>An exclusion context of the keyword stands nearby: the hit does not count.</summary>
    public bool Excluded { get; init; }
    public string? ExclusionReason { get; init; }

    /// <summary>Counts towards the score: neither negated nor excluded.</summary>
    [JsonIgnore]
    public bool Counts => !Negated && !Excluded;

    /// <summary>"kw_usd_currency 'USD'": a hit in a list (Export-Csv of a score) as text.</summary>
    public override string ToString() => $"{Id} '{Text}'";
}

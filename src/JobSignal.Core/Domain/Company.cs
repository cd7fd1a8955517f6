using Resolutions = JobSignal.Core.Domain.Resolution;

namespace JobSignal.Core.Domain;

/// <summary>
/// A company as the store knows it (PowerShell type name <c>JobSignal.Company</c>): identity, the reps'
/// resolution and the metrics the last aggregation computed from its canonical offers (SPEC 6).
/// </summary>
public sealed class Company : IStoreLocal
{
    public long CompanyId { get; set; }
    public string Name { get; set; } = "";
    public string NormalizedName { get; set; } = "";
    /// <summary>Website domain (lowercase host without <c>www.</c>), or null when known by name only.</summary>
    public string? Domain { get; set; }
    /// <summary>An anonymous ("empresa confidencial") profile: never merged by name with a real company.</summary>
    public bool Hidden { get; set; }
    public string Resolution { get; set; } = Resolutions.Pending;
    public DateTimeOffset? ResolutionUpdatedAt { get; set; }
    /// <summary>True when the resolution is final: new offers are skipped and the metrics frozen.</summary>
    public bool IsFinal => Resolutions.IsFinal(Resolution);

    /// <summary>Highest offer score (0-10); null until aggregated or without scored offers.</summary>
    public int? MaxScore { get; set; }
    /// <summary>Strong offers (score at or above the strong threshold), each counted once.</summary>
    public int StrongOffers { get; set; }
    /// <summary>Canonical offers, each counted once.</summary>
    public int UniqueOffers { get; set; }
    /// <summary>Posting activity: every canonical offer counts 1 + its reposts.</summary>
    public int OfferCount { get; set; }
    public double? AvgStrongScore { get; set; }
    public long? TopOfferId { get; set; }
    public string? TopOfferUrl { get; set; }
    public string? TopCategory { get; set; }
    /// <summary>
    /// Per category that earned points in one of the company's offers (any category of the offer, not only its top
    /// one), the most points it earned in one offer (its best hit's tier weight x field weight, e.g. 4 for a tier-3
    /// keyword in the description, 6 in the title); most points first.
    /// </summary>
    public IReadOnlyDictionary<string, decimal> CategoryScores { get; set; } = EmptyScores;
    /// <summary>Most recent strong offer (published, else updated).</summary>
    public DateTimeOffset? LastStrongAt { get; set; }
    /// <summary>The top evidence terms, e.g. "USD, pagos internacionales, AWS".</summary>
    public string? EvidenceTerms { get; set; }
    public int OffersLast30Days { get; set; }
    public DateTimeOffset? AggregatedAt { get; set; }

    public DateTimeOffset FirstSeenAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }

    internal static readonly IReadOnlyDictionary<string, decimal> EmptyScores = new CategoryScoreMap();

    /// <summary>The store this object belongs to (see <see cref="IStoreLocal"/>).</summary>
    public string? StorePath { get; set; }

    public override string ToString() => $"{Name} ({CompanyId})";
}

/// <summary>
/// <see cref="Company.CategoryScores"/>: category -> points, most first. Reads as "cat_fx=6, cat_saas=2.5" where it
/// becomes text (Export-Csv, the list view), where a dictionary would show its type name.
/// </summary>
public sealed class CategoryScoreMap : Dictionary<string, decimal>
{
    public override string ToString() =>
        string.Join(", ", this.Select(score => $"{score.Key}={score.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}"));
}

/// <summary>A provider's own id for a company (one company may have several), as first and last seen.</summary>
public sealed class CompanySource
{
    public long CompanyId { get; set; }
    public string Provider { get; set; } = "";
    public string ProviderCompanyId { get; set; } = "";
    public bool Hidden { get; set; }
    public string? Name { get; set; }
    public DateTimeOffset FirstSeenAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
}

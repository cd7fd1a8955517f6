namespace JobSignal.Core.Store;

/// <summary>What identifies a new company (SPEC 5.5): its display and normalized names, domain and hidden flag.</summary>
public sealed record NewCompany(string Name, string NormalizedName, string? Domain, bool Hidden);

/// <summary>A company's aggregated metrics (SPEC 6), as the aggregation computed them from its canonical offers.</summary>
public sealed record CompanyMetrics
{
    public int? MaxScore { get; init; }
    /// <summary>Activity-weighted: every canonical offer counts 1 + its reposts.</summary>
    public int OfferCount { get; init; }
    public int UniqueOfferCount { get; init; }
    public int StrongOfferCount { get; init; }
    public double? AvgStrongScore { get; init; }
    public long? TopOfferId { get; init; }
    public string? TopOfferUrl { get; init; }
    public string? TopCategory { get; init; }
    public IReadOnlyDictionary<string, double>? CategoryScores { get; init; }
    public DateTimeOffset? LastStrongAt { get; init; }
    public int OffersLast30Days { get; init; }
    public string? EvidenceTerms { get; init; }
    /// <summary>Earliest first-seen of the offers; moves the company's first seen back, never forward.</summary>
    public DateTimeOffset? FirstSeenAt { get; init; }
    /// <summary>Latest last-seen of the offers; moves the company's last seen forward, never back.</summary>
    public DateTimeOffset? LastSeenAt { get; init; }
    public DateTimeOffset AggregatedAt { get; init; }
}

/// <summary>Which field <see cref="CompanyFilter.Since"/> applies to.</summary>
public enum CompanySince
{
    LastSeen,
    LastStrong,
}

/// <summary>Filters of <see cref="CompanyRepository.List"/>; every one set must hold. Results are ranked by max score.</summary>
public sealed record CompanyFilter
{
    public IReadOnlyCollection<long>? CompanyIds { get; init; }
    /// <summary>Max score at least this; with <see cref="Category"/>, that category's score at least this.</summary>
    public int? MinScore { get; init; }
    /// <summary>Companies whose top category this is, or with a positive score (at least MinScore) in it.</summary>
    public string? Category { get; init; }
    /// <summary>Text found (case-insensitively) in the evidence terms or in a match explanation of the company's offers.</summary>
    public string? Keyword { get; init; }
    public IReadOnlyCollection<string>? Resolutions { get; init; }
    public DateTimeOffset? Since { get; init; }
    public CompanySince SinceField { get; init; } = CompanySince.LastSeen;
    /// <summary>A PowerShell wildcard (<c>*</c>, <c>?</c>) on the display name, case-insensitive.</summary>
    public string? Name { get; init; }
    /// <summary>At most this many, best first.</summary>
    public int? Top { get; init; }
}

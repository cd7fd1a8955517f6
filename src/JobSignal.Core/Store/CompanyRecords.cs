namespace JobSignal.Core.Store;

/// <summary>What identifies a new company (SPEC 5.5): its display and normalized names, domain and hidden flag.</summary>
public sealed record NewCompany(string Name, string NormalizedName, string? Domain, bool Hidden);

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
    /// <summary>Max score at least this; with <see cref="Category"/>, an offer in which that category earned points scored at least this.</summary>
    public int? MinScore { get; init; }
    /// <summary>Companies with an offer in which this category earned points (any category of the offer, not only its top one).</summary>
    public string? Category { get; init; }
    /// <summary>Text found (case-insensitively) in the company's evidence terms, or in the title or the hits of one of its offers (<see cref="KeywordSearch"/>).</summary>
    public string? Keyword { get; init; }
    public IReadOnlyCollection<string>? Resolutions { get; init; }
    public DateTimeOffset? Since { get; init; }
    public CompanySince SinceField { get; init; } = CompanySince.LastSeen;
    /// <summary>A PowerShell wildcard on the display name, matched as <c>-like</c> does (<see cref="WildcardMatch"/>).</summary>
    public string? Name { get; init; }
    /// <summary>At most this many, best first.</summary>
    public int? Top { get; init; }
}

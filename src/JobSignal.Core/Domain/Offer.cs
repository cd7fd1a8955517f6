namespace JobSignal.Core.Domain;

/// <summary>
/// A job offer as the pipeline carries it between stages (PowerShell type name <c>JobSignal.Offer</c>).
/// Every source (InfoJobs API, replayed payloads, hand-built objects) is normalized into this shape.
/// </summary>
public sealed class Offer
{
    public string Provider { get; set; } = Providers.Infojobs;
    public string ProviderOfferId { get; set; } = "";
    public string? Url { get; set; }
    public string? Title { get; set; }
    public string? Description { get; set; }
    public string? Requirements { get; set; }
    public OfferCompany? Company { get; set; }
    public string? Province { get; set; }
    public string? City { get; set; }
    public string? Country { get; set; }
    public string? Category { get; set; }
    public string? Subcategory { get; set; }
    public string? ContractType { get; set; }
    public string? WorkDay { get; set; }
    public string? Experience { get; set; }
    public string? SalaryMin { get; set; }
    public string? SalaryMax { get; set; }
    public string? SalaryPeriod { get; set; }
    public string? SalaryDescription { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
    public int? Applications { get; set; }

    /// <summary>
    /// True when the offer was mapped from a search-list item without its detail (-NoDetail, stored unchanged, or a
    /// replayed list answer):
    /// it has no description, so ingestion only refreshes a known offer's last seen instead of overwriting it.
    /// </summary>
    public bool DetailOmitted { get; set; }

    /// <summary>
    /// The fetch that produced this offer, shared by every offer of that fetch and updated while it runs, so that
    /// ingestion can record the fetch statistics in its run row (SPEC 7.4). Null for replayed or hand-built offers.
    /// </summary>
    public FetchStatistics? Fetch { get; set; }

    public override string ToString() => $"{Title} ({Provider}:{ProviderOfferId})";

    /// <summary>A shallow copy: ingestion fills one in, never the caller's object (it is echoed back in the results).</summary>
    internal Offer Copy() => (Offer)MemberwiseClone();
}

/// <summary>The company an offer declares (InfoJobs "profile"/"author").</summary>
public sealed class OfferCompany
{
    public string? ProviderCompanyId { get; set; }
    public string? Name { get; set; }
    public string? Website { get; set; }
    /// <summary>Anonymous ("empresa confidencial") InfoJobs profile: never merged by name with a real company.</summary>
    public bool Hidden { get; set; }

    public override string ToString() => Name ?? Website ?? ProviderCompanyId ?? "";
}

public static class Providers
{
    public const string Infojobs = "infojobs";
}

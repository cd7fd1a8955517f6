namespace JobSignal.Core.Domain;

/// <summary>
/// An offer as stored (PowerShell type name <c>JobSignal.StoredOffer</c>), with its match when it has one.
/// Reposts of the same vacancy have no row of their own: they raise <see cref="RepostCount"/> of this one.
/// </summary>
public sealed class StoredOffer : IStoreLocal
{
    public long OfferId { get; set; }
    public long CompanyId { get; set; }
    public string? CompanyName { get; set; }
    /// <summary>The company is a hidden (anonymous) profile: its name is the recruiter's description of it.</summary>
    public bool CompanyHidden { get; set; }
    public string Provider { get; set; } = "";
    public string ProviderOfferId { get; set; } = "";
    public string? Url { get; set; }
    public string? Title { get; set; }
    public string? Description { get; set; }
    public string? Requirements { get; set; }
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
    /// <summary>When the provider last changed the offer.</summary>
    public DateTimeOffset? UpdatedAt { get; set; }
    public int? Applications { get; set; }

    public DateTimeOffset FirstSeenAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
    /// <summary>The provider id under which the vacancy was last seen (a repost's id after a repost).</summary>
    public string? LastSeenProviderOfferId { get; set; }
    public int RepostCount { get; set; }
    /// <summary>
    /// The latest publication of the vacancy again under another id (a repost: its published date, else its updated
    /// date); null without a dated repost. Later than <see cref="PublishedAt"/>, it is the offer's last strong signal.
    /// </summary>
    public DateTimeOffset? RepublishedAt { get; set; }
    /// <summary>Null for a canonical offer.</summary>
    public long? CanonicalOfferId { get; set; }
    public bool IsCanonical => CanonicalOfferId is null;

    public string? Fingerprint { get; set; }
    public string? NormalizedTitle { get; set; }
    public int DescriptionTokenCount { get; set; }
    /// <summary>
    /// Opaque bytes of the repost detector; the store keeps them as given. Internal: nothing a user can read, and a
    /// byte array shows as "System.Byte[]" in Export-Csv.
    /// </summary>
    internal byte[]? ContentSignature { get; set; }

    /// <summary>0-10; null when the offer has no match yet (see Get-SignalOffer -Unscored).</summary>
    public int? Score { get; set; }
    public double? Raw { get; set; }
    public bool? IsStrong { get; set; }
    public string? TopCategory { get; set; }
    public string? CatalogVersion { get; set; }
    /// <summary>The full match explanation (every contribution, cap, guard and negated hit) as JSON.</summary>
    public string? Explanation { get; set; }
    public DateTimeOffset? MatchedAt { get; set; }
    /// <summary>The store this object belongs to (see <see cref="IStoreLocal"/>).</summary>
    public string? StorePath { get; set; }

    public override string ToString() => $"{Title} ({Provider}:{ProviderOfferId})";
}

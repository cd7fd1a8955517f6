namespace JobSignal.Core.Ingestion;

/// <summary>A stored company as identity resolution needs to see it.</summary>
/// <param name="Id">The store's company id.</param>
/// <param name="Domain">Its website domain (as <see cref="CompanyIdentity.NormalizeDomain"/> returns it), or null.</param>
/// <param name="Hidden">True when the company is an anonymous provider profile.</param>
public sealed record KnownCompany(long Id, string? Domain, bool Hidden);

/// <summary>Read access to the stored companies; implemented by the store, by a dictionary in tests.</summary>
public interface ICompanyLookup
{
    /// <summary>The company linked to this provider company id in the sources table, or null.</summary>
    KnownCompany? FindBySource(string provider, string providerCompanyId);

    /// <summary>The company with this website domain, or null.</summary>
    KnownCompany? FindByDomain(string domain);

    /// <summary>
    /// A company that is NOT hidden with this normalized name, or null. When several share the name, return the
    /// oldest (lowest id) so the decision is deterministic.
    /// </summary>
    KnownCompany? FindByNormalizedName(string normalizedName);
}

public enum CompanyResolutionKind
{
    /// <summary>The offer belongs to <see cref="CompanyResolution.CompanyId"/>; nothing about the company changes.</summary>
    Existing,

    /// <summary>The offer belongs to <see cref="CompanyResolution.CompanyId"/>, which gets <see cref="CompanyResolution.Domain"/> as its domain.</summary>
    Enriched,

    /// <summary>A company to insert with <see cref="CompanyResolution.Domain"/> and <see cref="CompanyResolution.NormalizedName"/>.</summary>
    New,

    /// <summary>No evidence of who the company is: the offer is skipped and counted as skipped_no_identity.</summary>
    NoIdentity,
}

/// <summary>Which evidence tied the offer to a stored company.</summary>
public enum CompanyMatch
{
    None,
    Source,
    Domain,
    Name,
}

/// <summary>
/// What to do with an offer's company. For every kind but <see cref="CompanyResolutionKind.NoIdentity"/>, a non-null
/// <see cref="ProviderCompanyId"/> must end up linked to the company (<see cref="LinkSource"/> says whether that
/// link is new).
/// </summary>
/// <param name="Kind">Existing, enriched, new, or no identity.</param>
/// <param name="CompanyId">The stored company for Existing and Enriched; null otherwise.</param>
/// <param name="MatchedBy">The evidence that found the stored company; None for New and NoIdentity.</param>
/// <param name="Domain">The company's domain after this offer: the one to store for New and Enriched.</param>
/// <param name="NormalizedName">The offer's normalized company name (stored for New).</param>
/// <param name="ProviderCompanyId">The offer's trimmed provider company id, or null.</param>
/// <param name="Hidden">The offer's company is an anonymous profile (stored for New).</param>
/// <param name="Reason">A short explanation of the decision, for verbose output.</param>
public sealed record CompanyResolution(
    CompanyResolutionKind Kind,
    long? CompanyId,
    CompanyMatch MatchedBy,
    string? Domain,
    string? NormalizedName,
    string? ProviderCompanyId,
    bool Hidden,
    string Reason)
{
    /// <summary>True when the provider company id is not yet linked to the resolved company.</summary>
    public bool LinkSource =>
        ProviderCompanyId is not null && Kind != CompanyResolutionKind.NoIdentity && MatchedBy != CompanyMatch.Source;

    internal static CompanyResolution Matched(CompanyResolutionKind kind, long companyId, CompanyMatch matchedBy,
        string? domain, string? name, string? sourceId, bool hidden, string reason) =>
        new(kind, companyId, matchedBy, domain, name, sourceId, hidden, reason);

    internal static CompanyResolution New(string? domain, string? name, string? sourceId, bool hidden, string reason) =>
        new(CompanyResolutionKind.New, null, CompanyMatch.None, domain, name, sourceId, hidden, reason);

    internal static CompanyResolution NoIdentity(string? name, bool hidden) =>
        new(CompanyResolutionKind.NoIdentity, null, CompanyMatch.None, null, name, null, hidden,
            hidden ? "hidden profile without provider company id or website" : "no provider company id, website or name");
}

namespace JobSignal.Core.Sheets;

/// <summary>
/// One company as the Sheet shows it: the system-owned metrics plus the store's current resolution (written only
/// when the row is first appended). The cmdlet layer maps the store's company to this record.
/// </summary>
public sealed record SheetCompany(
    string CompanyId,
    string Name,
    string? Resolution,
    int MaxScore,
    int StrongOffers,
    int UniqueOffers,
    int OfferCount,
    string? TopOfferUrl,
    string? TopCategoryLabel,
    DateTimeOffset? LastStrongAt,
    IReadOnlyList<string>? EvidenceTerms);

namespace JobSignal.Core.Sheets;

/// <summary>
/// One company as the Sheet shows it: the system-owned metrics plus the store's current resolution (written only
/// when the row is first appended). MaxScore is null for a company without scored offers (an empty cell).
/// EvidenceTerms is the store's text, e.g. "USD, pagos internacionales, AWS".
/// </summary>
public sealed record SheetCompany(
    string CompanyId,
    string Name,
    string? Resolution,
    int? MaxScore,
    int StrongOffers,
    int UniqueOffers,
    int OfferCount,
    string? TopOfferUrl,
    string? TopCategoryLabel,
    DateTimeOffset? LastStrongAt,
    string? EvidenceTerms);

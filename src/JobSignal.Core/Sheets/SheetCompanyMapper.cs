using System.Globalization;
using JobSignal.Core.Catalog;
using JobSignal.Core.Domain;

namespace JobSignal.Core.Sheets;

/// <summary>Turns the store's companies into the rows the Sheet shows.</summary>
public static class SheetCompanyMapper
{
    /// <summary>
    /// The Sheet row of a stored company. The top category is shown by its catalog name when
    /// <paramref name="categoryLabels"/> knows its id, else by its id.
    /// </summary>
    public static SheetCompany From(Company company, IReadOnlyDictionary<string, string>? categoryLabels = null)
    {
        ArgumentNullException.ThrowIfNull(company);
        var category = company.TopCategory is { } id && categoryLabels?.TryGetValue(id, out var label) == true ? label : company.TopCategory;
        return new SheetCompany(SheetKey(company.CompanyId), company.Name, company.Resolution, company.MaxScore,
            company.StrongOffers, company.UniqueOffers, company.OfferCount, company.TopOfferUrl, category,
            company.LastStrongAt, company.EvidenceTerms);
    }

    /// <summary>Category id to display name, from a catalog.</summary>
    public static IReadOnlyDictionary<string, string> CategoryLabels(SignalCatalog catalog) =>
        catalog.Categories.Where(c => !string.IsNullOrWhiteSpace(c.Name))
            .GroupBy(c => c.Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Name, StringComparer.Ordinal);

    /// <summary>How a store id is written in the key column.</summary>
    public static string SheetKey(long companyId) => companyId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The store id a key cell names; false for text that is not one.</summary>
    public static bool TryParseKey(string key, out long companyId) =>
        long.TryParse(key.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out companyId);
}

namespace JobSignal.Cmdlets.Infrastructure;

/// <summary>
/// The other names of -CompanyId: the company-id lists of the module's own results, so that a run record
/// (<c>AffectedCompanyIds</c>) and a feedback import's result (<c>CompanyIds</c>) bind by property name to every cmdlet
/// that takes company ids alike. Every -CompanyId carries both (<c>[Alias(CompanyIdAliases.Affected, CompanyIdAliases.Changed)]</c>).
/// </summary>
internal static class CompanyIdAliases
{
    /// <summary>An ingestion or re-scoring run's companies (Invoke-OfferIngestion, Get-IngestionRun, Update-OfferScore).</summary>
    public const string Affected = "AffectedCompanyIds";

    /// <summary>The companies whose resolution a feedback import changed (Import-CompanySheetFeedback).</summary>
    public const string Changed = "CompanyIds";
}

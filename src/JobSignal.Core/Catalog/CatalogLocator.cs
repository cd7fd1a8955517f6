namespace JobSignal.Core.Catalog;

/// <summary>Where a catalog path came from.</summary>
public enum CatalogOrigin
{
    /// <summary>-CatalogPath (or -Path) given by the user.</summary>
    Parameter,
    /// <summary>$env:JOBSIGNAL_CATALOG.</summary>
    Environment,
    /// <summary>The catalog shipped in the module.</summary>
    ModuleDefault,
}

public sealed record CatalogLocation(string Path, CatalogOrigin Origin);

/// <summary>
/// The catalog resolution rule (SPEC 5.1): an explicit path, else <c>$env:JOBSIGNAL_CATALOG</c>, else the module's
/// default <c>module/catalog/default-catalog.json</c> under the module base.
/// </summary>
public static class CatalogLocator
{
    public const string EnvironmentVariable = "JOBSIGNAL_CATALOG";
    public static readonly string DefaultRelativePath = Path.Combine("module", "catalog", "default-catalog.json");

    public static CatalogLocation Choose(string? explicitPath, string? environmentValue, string moduleBase)
    {
        // A blank explicit path is still the caller's choice (refused when resolved), never a silent fall-back.
        if (explicitPath is not null) return new CatalogLocation(explicitPath, CatalogOrigin.Parameter);
        if (!string.IsNullOrWhiteSpace(environmentValue)) return new CatalogLocation(environmentValue, CatalogOrigin.Environment);
        return new CatalogLocation(Path.Combine(moduleBase, DefaultRelativePath), CatalogOrigin.ModuleDefault);
    }
}

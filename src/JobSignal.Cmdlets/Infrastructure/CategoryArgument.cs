using System.Management.Automation;
using JobSignal.Core.Catalog;
using JobSignal.Core.Common;

namespace JobSignal.Cmdlets.Infrastructure;

/// <summary>Checks a -Category value against the catalog in force: its id or its name, case-insensitively.</summary>
internal static class CategoryArgument
{
    public const string CategoryUnknownErrorId = "CategoryUnknown";

    /// <summary>The category id; a <see cref="JobSignalException"/> (CategoryUnknown, or the catalog's own errors) otherwise.</summary>
    public static string Resolve(PSCmdlet cmdlet, string value, string? catalogPath)
    {
        // Read, not compiled, and without its warnings: a query only needs the category list.
        var catalog = CatalogSource.Read(CatalogSource.Resolve(cmdlet, catalogPath), CatalogSource.CatalogPathParameter, CatalogLoader.Load);
        var categories = catalog.Categories;
        var found = categories.FirstOrDefault(c => string.Equals(c.Id, value.Trim(), StringComparison.OrdinalIgnoreCase)
                                                 || string.Equals(c.Name, value.Trim(), StringComparison.OrdinalIgnoreCase));
        return found?.Id ?? throw new JobSignalException(CategoryUnknownErrorId, FailureKind.InvalidArgument,
            $"'{value}' is not a category of catalog {catalog.Version}. Valid categories: {string.Join(", ", categories.Select(c => c.Id))}.",
            value, "Use one of the listed ids (Get-SignalCatalog shows them with their names).");
    }
}

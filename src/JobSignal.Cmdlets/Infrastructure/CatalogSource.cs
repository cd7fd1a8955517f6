using System.Management.Automation;
using JobSignal.Core.Catalog;
using JobSignal.Core.Common;

namespace JobSignal.Cmdlets.Infrastructure;

/// <summary>
/// The one place cmdlets resolve and load a catalog: the explicit parameter, else $env:JOBSIGNAL_CATALOG, else the
/// module's default catalog; PowerShell paths are relative to $PWD. Every failure is a <see cref="CatalogException"/>
/// (CatalogNotFound, CatalogUnreadable, CatalogInvalid) that the caller turns into an error record.
/// </summary>
internal static class CatalogSource
{
    /// <summary>The catalog file to use, as a full file-system path.</summary>
    public static CatalogLocation Resolve(PSCmdlet cmdlet, string? explicitPath)
    {
        var location = CatalogLocator.Choose(explicitPath,
            Environment.GetEnvironmentVariable(CatalogLocator.EnvironmentVariable), ModulePaths.ModuleBase(cmdlet));
        if (location.Origin == CatalogOrigin.ModuleDefault) return location;
        try
        {
            return location with { Path = FileSystemPaths.Resolve(cmdlet, location.Path, $"The catalog path {Describe(location.Origin)}") };
        }
        catch (JobSignalException ex) when (ex.ErrorId == FileSystemPaths.NotFileSystemErrorId)
        {
            throw new CatalogException(CatalogException.NotFound, FailureKind.ObjectNotFound,
                ex.Message, location.Path, inner: ex);
        }
    }

    /// <summary>Resolves, reads, validates and compiles the catalog, once per cmdlet run.</summary>
    public static CompiledCatalog LoadCompiled(PSCmdlet cmdlet, string? explicitPath)
    {
        var location = Resolve(cmdlet, explicitPath);
        cmdlet.WriteVerbose($"Catalog: {location.Path} ({Describe(location.Origin)})");
        var catalog = CompiledCatalog.Load(location.Path);
        cmdlet.WriteVerbose($"Catalog {catalog.Version}: {catalog.Catalog.Keywords.Count} keywords, " +
                            $"{catalog.Catalog.AliasCount} aliases, {catalog.Catalog.Phrases.Count} phrases.");
        return catalog;
    }

    public static string Describe(CatalogOrigin origin) => origin switch
    {
        CatalogOrigin.Parameter => "from the parameter",
        CatalogOrigin.Environment => "from $env:" + CatalogLocator.EnvironmentVariable,
        _ => "the module's default",
    };
}

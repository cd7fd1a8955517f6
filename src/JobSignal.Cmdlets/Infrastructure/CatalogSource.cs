using System.Management.Automation;
using JobSignal.Core.Catalog;
using JobSignal.Core.Common;

namespace JobSignal.Cmdlets.Infrastructure;

/// <summary>
/// The one place cmdlets resolve and load a catalog: the explicit parameter, else $env:JOBSIGNAL_CATALOG, else the
/// module's default catalog; PowerShell paths are relative to $PWD. Every failure is a <see cref="CatalogException"/>
/// (CatalogNotFound, CatalogUnreadable, CatalogInvalid, or PathNotFileSystem for another provider's path, as for every
/// other file parameter) that the caller turns into an error record; its recommended action names the parameter.
/// </summary>
internal static class CatalogSource
{
    public const string CatalogPathParameter = "-CatalogPath";

    /// <summary>The catalog file to use, as a full file-system path.</summary>
    /// <param name="parameterName">The cmdlet's parameter for the path ("-CatalogPath", "-Path"), for messages.</param>
    public static CatalogLocation Resolve(PSCmdlet cmdlet, string? explicitPath, string parameterName = CatalogPathParameter)
    {
        var location = CatalogLocator.Choose(explicitPath,
            Environment.GetEnvironmentVariable(CatalogLocator.EnvironmentVariable), ModulePaths.ModuleBase(cmdlet));
        if (location.Origin == CatalogOrigin.ModuleDefault) return location;
        try
        {
            return location with { Path = FileSystemPaths.Resolve(cmdlet, location.Path, Source(location.Origin, parameterName)) };
        }
        catch (JobSignalException ex) when (ex.ErrorId == FileSystemPaths.NotFileSystemErrorId)
        {
            // Still a CatalogException, so that every caller stops (ingestion records the run failed) as for a missing file.
            throw new CatalogException(ex.ErrorId, ex.Kind, ex.Message, location.Path, inner: ex,
                recommendedAction: ex.RecommendedAction);
        }
    }

    /// <summary>
    /// Runs <paramref name="read"/> on the catalog file; a missing one's recommended action names where the path came
    /// from (the core's names -CatalogPath, which Get-SignalCatalog and Test-SignalCatalog do not have).
    /// </summary>
    public static T Read<T>(CatalogLocation location, string parameterName, Func<string, T> read)
    {
        try
        {
            return read(location.Path);
        }
        catch (CatalogException ex) when (ex.ErrorId == CatalogException.NotFound)
        {
            throw ex.WithRecommendedAction(location.Origin switch
            {
                CatalogOrigin.Parameter => $"Check {parameterName}: give an existing catalog file, or leave {parameterName} out to use " +
                                           $"$env:{CatalogLocator.EnvironmentVariable} or the module's default catalog.",
                CatalogOrigin.Environment => $"Check $env:{CatalogLocator.EnvironmentVariable}, or remove it to use the module's default catalog.",
                _ => $"The module's default catalog is missing: reinstall the module, or give a catalog with {parameterName}.",
            });
        }
    }

    /// <summary>
    /// Resolves, reads, validates and compiles the catalog, and writes its warnings (cmdlets call it once per run).
    /// <paramref name="parameterName"/> is what messages call the path's source (a configuration file's key rather
    /// than the cmdlet's -CatalogPath).
    /// </summary>
    public static CompiledCatalog LoadCompiled(PSCmdlet cmdlet, string? explicitPath, string parameterName = CatalogPathParameter)
    {
        var location = Resolve(cmdlet, explicitPath, parameterName);
        cmdlet.WriteVerbose($"Catalog: {location.Path} ({Describe(location.Origin)})");
        var catalog = Read(location, parameterName, CompiledCatalog.Load);
        cmdlet.WriteVerbose($"Catalog {catalog.Version}: {catalog.Catalog.Keywords.Count} keywords, " +
                            $"{catalog.Catalog.AliasCount} aliases, {catalog.Catalog.Phrases.Count} phrases.");
        WriteWarnings(cmdlet, catalog.Catalog, location);
        return catalog;
    }

    /// <summary>
    /// A usable catalog's likely mistakes (a keyword that can never score...) reach every command that loads it, not
    /// only Test-SignalCatalog: a nightly run's log shows them.
    /// </summary>
    public static void WriteWarnings(PSCmdlet cmdlet, SignalCatalog catalog, CatalogLocation location)
    {
        foreach (var warning in catalog.Warnings)
            cmdlet.WriteWarning($"Catalog {catalog.Version} ({location.Path}): {warning.Path}: {warning.Message}");
    }

    public static string Describe(CatalogOrigin origin) => origin switch
    {
        CatalogOrigin.Parameter => "from the parameter",
        CatalogOrigin.Environment => "from $env:" + CatalogLocator.EnvironmentVariable,
        _ => "the module's default",
    };

    private static string Source(CatalogOrigin origin, string parameterName) =>
        origin == CatalogOrigin.Parameter ? parameterName : "$env:" + CatalogLocator.EnvironmentVariable;
}

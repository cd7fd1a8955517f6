using System.Management.Automation;
using JobSignal.Cmdlets.Infrastructure;
using JobSignal.Core.Catalog;

namespace JobSignal.Cmdlets.Commands;

/// <summary>Loads and validates a keyword catalog and returns it.</summary>
[Cmdlet(VerbsCommon.Get, "SignalCatalog")]
[OutputType(typeof(SignalCatalog))]
public sealed class GetSignalCatalogCommand : JobSignalCmdlet
{
    /// <summary>Catalog files; default: $env:JOBSIGNAL_CATALOG, else the module's default catalog.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var path in Path ?? [null!])
        {
            try
            {
                var location = CatalogSource.Resolve(this, path, "-Path");
                WriteVerbose($"Catalog: {location.Path} ({CatalogSource.Describe(location.Origin)})");
                var catalog = CatalogSource.Read(location, "-Path", CatalogLoader.Load);
                CatalogSource.WriteWarnings(this, catalog, location);
                WriteObject(catalog);
            }
            catch (CatalogException ex)
            {
                WriteFailure(ex);
            }
        }
    }
}

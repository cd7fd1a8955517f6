using System.Management.Automation;
using JobSignal.Cmdlets.Infrastructure;
using JobSignal.Core.Catalog;

namespace JobSignal.Cmdlets.Commands;

/// <summary>Validates a keyword catalog and reports every problem at once, each with its JSON path.</summary>
[Cmdlet(VerbsDiagnostic.Test, "SignalCatalog")]
[OutputType(typeof(CatalogValidationReport), typeof(bool))]
public sealed class TestSignalCatalogCommand : JobSignalCmdlet
{
    /// <summary>Catalog files; default: $env:JOBSIGNAL_CATALOG, else the module's default catalog.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>Return only $true or $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var path in Path ?? [null!])
        {
            CatalogValidationReport report;
            try
            {
                var location = CatalogSource.Resolve(this, path, "-Path");
                WriteVerbose($"Catalog: {location.Path} ({CatalogSource.Describe(location.Origin)})");
                report = CatalogValidator.Validate(CatalogSource.Read(location, "-Path", CatalogLoader.Read));
            }
            catch (CatalogException ex)
            {
                // A file that cannot be read is not a valid catalog; without -Quiet it is an error, not a report.
                if (Quiet) WriteObject(false);
                else WriteFailure(ex);
                continue;
            }
            WriteObject(Quiet ? report.IsValid : report);
        }
    }
}

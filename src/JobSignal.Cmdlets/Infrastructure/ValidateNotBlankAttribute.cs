using System.Management.Automation;

namespace JobSignal.Cmdlets.Infrastructure;

/// <summary>
/// Text that is not null, empty or only white space: a blank -Keyword would be found in every text, a blank -Name
/// pattern finds nothing, a blank -QueryKey names no query. PowerShell 7.4's
/// ValidateNotNullOrWhiteSpace does this, but the PowerShell reference the module builds against predates it.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateNotBlankAttribute : ValidateArgumentsAttribute
{
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        if (string.IsNullOrWhiteSpace(arguments as string))
            throw new ValidationMetadataException("The argument is null, empty or only white space.");
    }
}

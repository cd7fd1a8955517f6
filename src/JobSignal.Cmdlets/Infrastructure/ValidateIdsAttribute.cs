using System.Collections;
using System.Management.Automation;

namespace JobSignal.Cmdlets.Infrastructure;

/// <summary>
/// Store ids: 1 or more. A null list passes, so that a piped object whose id property is null (the -PassThru result
/// of an offer that was skipped and has no company) binds, and the cmdlet skips it (<see cref="StoreCmdlet.NamesNothing"/>)
/// instead of failing on it.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateIdsAttribute : ValidateArgumentsAttribute
{
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        if (arguments is null) return;
        foreach (var id in arguments as IEnumerable ?? new[] { arguments })
            if (id is long value && value < 1)
                throw new ValidationMetadataException($"{value} is not an id: ids are 1 or more.");
    }
}

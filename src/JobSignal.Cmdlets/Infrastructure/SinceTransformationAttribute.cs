using System.Management.Automation;

namespace JobSignal.Cmdlets.Infrastructure;

/// <summary>
/// Lets a -Since parameter typed DateTime take a DateTimeOffset, the type of every date the module outputs
/// (<c>-Since (Get-IngestionRun -Last 1).StartedAt</c>): PowerShell has no conversion between the two. The instant is
/// kept, as UTC. Anything else is left to PowerShell's own conversion to DateTime.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SinceTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData) =>
        (inputData is PSObject wrapped ? wrapped.BaseObject : inputData) is DateTimeOffset instant ? instant.UtcDateTime : inputData;
}

using System.Management.Automation;
using JobSignal.Core.Infojobs;

namespace JobSignal.Cmdlets.Infrastructure;

/// <summary>
/// Each value is one InfoJobs key (-Province, -Category), as the pipeline configuration requires them: 'madrid,
/// barcelona' would be sent as one key that InfoJobs does not know, and the search would quietly find nothing.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateInfojobsKeyAttribute : ValidateEnumeratedArgumentsAttribute
{
    protected override void ValidateElement(object element)
    {
        if (InfojobsQuery.KeyProblem(element as string ?? element?.ToString()) is { } problem)
            throw new ValidationMetadataException(problem);
    }
}

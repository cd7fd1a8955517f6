using System.Management.Automation;
using JobSignal.Core.Infojobs;

namespace JobSignal.Cmdlets.Infrastructure;

/// <summary>-Order is one of the orders InfoJobs accepts (any case), as the pipeline configuration requires it.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateInfojobsOrderAttribute : ValidateArgumentsAttribute
{
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        var order = arguments as string ?? arguments?.ToString();
        if (InfojobsQuery.KnownOrder(order) is null) throw new ValidationMetadataException(InfojobsQuery.OrderProblem(order));
    }
}

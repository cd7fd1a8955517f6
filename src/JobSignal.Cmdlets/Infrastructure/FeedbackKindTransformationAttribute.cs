using System.Management.Automation;
using JobSignal.Core.Domain;

namespace JobSignal.Cmdlets.Infrastructure;

/// <summary>
/// Lets -Kind take the store's code of a feedback kind (model_feedback) as well as its name (ModelFeedback), so that a
/// value copied from older output or the store still works: either becomes the name. Anything else is left for
/// ValidateSet to refuse with the valid names.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class FeedbackKindTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData) =>
        (inputData is PSObject wrapped ? wrapped.BaseObject : inputData) is string text && FeedbackKindCodes.TryParse(text, out var kind)
            ? kind.ToString()
            : inputData;
}

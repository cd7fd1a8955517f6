using System.Globalization;
using System.Management.Automation;

namespace JobSignal.Cmdlets.Infrastructure;

/// <summary>
/// Reads a delay parameter (-RetryDelay): a bare number is milliseconds (<c>-RetryDelay 250</c>), text is a number of
/// milliseconds or a TimeSpan (<c>'00:00:01.5'</c>), a TimeSpan is taken as is. PowerShell alone would read a number
/// as ticks. Negative delays are refused.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DelayTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        var delay = value switch
        {
            TimeSpan span => span,
            int or long or short or byte or double or float or decimal =>
                TimeSpan.FromMilliseconds(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            string text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) => TimeSpan.FromMilliseconds(ms),
            string text when TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) => span,
            _ => throw new ArgumentTransformationMetadataException(
                $"'{value}' is not a delay: give milliseconds (250) or a TimeSpan ('00:00:01.5')."),
        };
        if (delay < TimeSpan.Zero || delay > TimeSpan.FromMinutes(10))
            throw new ArgumentTransformationMetadataException($"The delay {delay} must be between 0 and 10 minutes.");
        return delay;
    }
}

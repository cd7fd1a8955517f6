using System.Globalization;
using System.Management.Automation;

namespace JobSignal.Cmdlets.Infrastructure;

/// <summary>
/// Reads a delay parameter (-RetryDelay): a bare number is milliseconds (<c>-RetryDelay 250</c>), text is a number of
/// milliseconds, a number with the unit <c>ms</c> or <c>s</c> (<c>250ms</c>, <c>1.5s</c>) or a TimeSpan
/// (<c>'00:00:01.5'</c>), a TimeSpan is taken as is. PowerShell alone would read a number as ticks. Negative delays
/// are refused.
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
            string text when Milliseconds(text.Trim()) is { } ms => TimeSpan.FromMilliseconds(ms),
            string text when TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) => span,
            _ => throw new ArgumentTransformationMetadataException(
                $"'{value}' is not a delay: give milliseconds (250 or 250ms), seconds (1.5s) or a TimeSpan ('00:00:01.5')."),
        };
        if (delay < TimeSpan.Zero || delay > TimeSpan.FromMinutes(10))
            throw new ArgumentTransformationMetadataException($"The delay {delay} must be between 0 and 10 minutes.");
        return delay;
    }

    private static double? Milliseconds(string text)
    {
        var (number, scale) = text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (text[..^2], 1.0)
            : text.EndsWith('s') || text.EndsWith('S') ? (text[..^1], 1000.0)
            : (text, 1.0);
        return double.TryParse(number.TrimEnd(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value * scale : null;
    }
}

using System.Globalization;
using System.Management.Automation;

namespace JobSignal.Cmdlets.Infrastructure;

/// <summary>
/// Reads -MinScore 5.5 as "at least 5.5": scores are whole numbers, so that is 6. PowerShell alone would round it to
/// the nearest even number (6.5 to 6), letting through scores below what was asked.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MinScoreTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        return value switch
        {
            double or float or decimal => Ceiling(Convert.ToDouble(value, CultureInfo.InvariantCulture), inputData),
            string text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => Ceiling(number, inputData),
            _ => inputData,
        };
    }

    // Out of range stays out of range (ValidateRange then refuses the rounded-up value); NaN is left to PowerShell.
    private static object Ceiling(double value, object inputData) =>
        double.IsFinite(value) && value is >= int.MinValue and <= int.MaxValue ? (int)Math.Ceiling(value) : inputData;
}

using System.Text.Json;
using System.Text.Json.Serialization;
using JobSignal.Core.Common;

namespace JobSignal.Core.Signal;

/// <summary>
/// The one JSON form of a <see cref="SignalScore"/> explanation (stored with each match, read back by queries and
/// the Sheet): camelCase, enums as camelCase strings, nulls left out.
/// </summary>
public static class SignalScoreJson
{
    /// <summary>The layout written today; readers accept it and every earlier one.</summary>
    public const int CurrentFormat = 1;

    public const string InvalidErrorId = "SignalExplanationInvalid";

    private static readonly JsonSerializerOptions s_options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Serialize(SignalScore score)
    {
        ArgumentNullException.ThrowIfNull(score);
        return JsonSerializer.Serialize(score, s_options);
    }

    /// <summary>Throws <see cref="JobSignalException"/> (SignalExplanationInvalid) on text that is not an explanation.</summary>
    public static SignalScore Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        SignalScore? score;
        try
        {
            score = JsonSerializer.Deserialize<SignalScore>(json, s_options);
        }
        catch (JsonException ex)
        {
            throw Invalid($"The stored score explanation is not valid JSON: {ex.Message}", ex);
        }
        if (score is null) throw Invalid("The stored score explanation is empty (JSON null).", null);
        if (score.Format > CurrentFormat)
            throw Invalid($"The stored score explanation has format {score.Format}; this module reads up to {CurrentFormat}.", null);
        return score;
    }

    private static JobSignalException Invalid(string message, Exception? inner) =>
        new(InvalidErrorId, FailureKind.InvalidData, message, null,
            "Re-score the offer with Update-OfferScore, or update the JobSignal module.", inner);
}

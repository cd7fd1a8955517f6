using System.Buffers;
using System.Text;
using System.Text.Json;
using JobSignal.Core.Common;
using JobSignal.Core.Signal;

namespace JobSignal.Core.Store;

/// <summary>
/// The text of <c>matches.evidence_json</c>: a match's evidence terms as <see cref="EvidenceTerms.Of"/> gave them, in
/// their order, <c>[{"term":"USD","points":2.5}, ...]</c>. Written and read only here, with fixed property names, so
/// that the stored layout does not follow renames of <see cref="EvidenceTerm"/> or of the explanation JSON.
/// </summary>
internal static class MatchEvidence
{
    private static readonly JsonEncodedText TermName = JsonEncodedText.Encode("term");
    private static readonly JsonEncodedText PointsName = JsonEncodedText.Encode("points");

    /// <summary>The evidence of a match about to be stored: the terms of its score.</summary>
    public static string Of(SignalScore score) => ToJson(EvidenceTerms.Of(score));

    public static string ToJson(IReadOnlyList<EvidenceTerm> terms)
    {
        var buffer = new ArrayBufferWriter<byte>(16 + 40 * terms.Count);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var term in terms)
            {
                writer.WriteStartObject();
                writer.WriteString(TermName, term.Term);
                writer.WriteNumber(PointsName, term.Points);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads what <see cref="ToJson"/> wrote; other text throws <see cref="JobSignalException"/> (SignalExplanationInvalid).</summary>
    public static IReadOnlyList<EvidenceTerm> FromJson(string json) => FromUtf8(Encoding.UTF8.GetBytes(json));

    /// <summary>The terms, in order, from the column's UTF-8 text (what aggregation reads, without a string of the whole text).</summary>
    public static IReadOnlyList<EvidenceTerm> FromUtf8(ReadOnlySpan<byte> utf8)
    {
        var terms = new List<EvidenceTerm>();
        try
        {
            var reader = new Utf8JsonReader(utf8);
            Expect(ref reader, JsonTokenType.StartArray);
            while (Next(ref reader) != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject) throw Unexpected(reader);
                string? term = null;
                decimal? points = null;
                while (Next(ref reader) == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals(TermName.EncodedUtf8Bytes))
                    {
                        term = Expect(ref reader, JsonTokenType.String).GetString();
                    }
                    else if (reader.ValueTextEquals(PointsName.EncodedUtf8Bytes))
                    {
                        points = Expect(ref reader, JsonTokenType.Number).GetDecimal();
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                if (reader.TokenType != JsonTokenType.EndObject) throw Unexpected(reader);
                if (term is null) throw new JsonException("An evidence term has no \"term\".");
                if (points is null) throw new JsonException($"The evidence term '{term}' has no \"points\".");
                terms.Add(new EvidenceTerm(term, points.Value));
            }
            return terms;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new JobSignalException(SignalScoreJson.InvalidErrorId, FailureKind.InvalidData,
                $"The stored evidence terms of a match are not valid: {ex.Message}", null,
                "Re-score the offer with Update-OfferScore.", ex);
        }
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new JsonException("The evidence terms end too early.");

    private static ref Utf8JsonReader Expect(ref Utf8JsonReader reader, JsonTokenType expected)
    {
        if (Next(ref reader) != expected) throw Unexpected(reader);
        return ref reader;
    }

    private static JsonException Unexpected(in Utf8JsonReader reader) =>
        new($"Unexpected {reader.TokenType} at byte {reader.TokenStartIndex} of the evidence terms.");
}

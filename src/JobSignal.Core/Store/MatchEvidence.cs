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
    public static IReadOnlyList<EvidenceTerm> FromJson(string json)
    {
        var terms = new List<string>();
        var points = new List<decimal>();
        Read(Encoding.UTF8.GetBytes(json), terms, points);
        return terms.Select((term, i) => new EvidenceTerm(term, points[i])).ToList();
    }

    /// <summary>
    /// Only the terms, in order, from the column's UTF-8 text: what aggregation needs, without decoding the points or
    /// making a string of the whole text. Refuses what <see cref="FromJson"/> refuses.
    /// </summary>
    public static string[] Terms(ReadOnlySpan<byte> utf8)
    {
        var terms = new List<string>();
        Read(utf8, terms, null);
        return terms.ToArray();
    }

    private static void Read(ReadOnlySpan<byte> utf8, List<string> terms, List<decimal>? points)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8);
            Expect(ref reader, JsonTokenType.StartArray);
            while (Next(ref reader) != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject) throw Unexpected(reader);
                string? term = null;
                var hasPoints = false;
                var termPoints = 0m;
                while (Next(ref reader) == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals(TermName.EncodedUtf8Bytes))
                    {
                        term = Expect(ref reader, JsonTokenType.String).GetString();
                    }
                    else if (reader.ValueTextEquals(PointsName.EncodedUtf8Bytes))
                    {
                        Expect(ref reader, JsonTokenType.Number);
                        hasPoints = true;
                        // Aggregation reads only the terms: the number is checked for its kind, not decoded.
                        if (points is not null) termPoints = reader.GetDecimal();
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                if (reader.TokenType != JsonTokenType.EndObject) throw Unexpected(reader);
                if (term is null) throw new JsonException("An evidence term has no \"term\".");
                if (!hasPoints) throw new JsonException($"The evidence term '{term}' has no \"points\".");
                terms.Add(term);
                points?.Add(termPoints);
            }
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

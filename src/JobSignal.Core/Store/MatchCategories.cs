using System.Buffers;
using System.Text;
using System.Text.Json;
using JobSignal.Core.Aggregation;
using JobSignal.Core.Common;
using JobSignal.Core.Signal;

namespace JobSignal.Core.Store;

/// <summary>
/// The text of <c>matches.category_points</c>: every category that earned points (more than 0) in the match, with its points (the
/// best hit's tier weight x field weight, before bucket caps), as a JSON object <c>{"cat_fx_currency_ops":4, ...}</c> in
/// the explanation's order. Kept apart from the explanation so that aggregation (per-category scores) and
/// <c>-Category</c> filters in SQL (<c>json_each</c>) need not read it. Written and read only here.
/// </summary>
internal static class MatchCategories
{
    /// <summary>The categories of a score about to be stored.</summary>
    public static string Of(SignalScore score) => ToJson(FromScore(score));

    /// <summary>
    /// The categories of an explanation that earned points (what a match stored without the column is read from). A
    /// category listed with none (its only hits in a field weighted 0) earned nothing, as the upgrade's backfill and
    /// aggregation read it.
    /// </summary>
    public static IReadOnlyList<CategoryPoints> FromScore(SignalScore score) =>
        score.Categories.Where(c => c.Points > 0).Select(c => new CategoryPoints(c.Id, OfferScorer.Normalize(c.Points))).ToArray();

    public static string ToJson(IReadOnlyList<CategoryPoints> categories)
    {
        var buffer = new ArrayBufferWriter<byte>(16 + 40 * categories.Count);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var category in categories) writer.WriteNumber(category.Category, category.Points);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads what <see cref="ToJson"/> wrote (or the migration's backfill); other text throws SignalExplanationInvalid.</summary>
    public static IReadOnlyList<CategoryPoints> FromUtf8(ReadOnlySpan<byte> utf8)
    {
        var categories = new List<CategoryPoints>();
        try
        {
            var reader = new Utf8JsonReader(utf8);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("Not a JSON object.");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var category = reader.GetString()!;
                if (!reader.Read() || reader.TokenType != JsonTokenType.Number)
                    throw new JsonException($"The points of '{category}' are not a number.");
                categories.Add(new CategoryPoints(category, OfferScorer.Normalize(reader.GetDecimal())));
            }
            if (reader.TokenType != JsonTokenType.EndObject) throw new JsonException($"Unexpected {reader.TokenType}.");
            return categories;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new JobSignalException(SignalScoreJson.InvalidErrorId, FailureKind.InvalidData,
                $"The stored category points of a match are not valid: {ex.Message}", null,
                "Re-score the offer with Update-OfferScore.", ex);
        }
    }
}

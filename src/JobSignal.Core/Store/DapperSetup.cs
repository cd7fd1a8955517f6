using System.Buffers;
using System.Data;
using System.Text;
using System.Text.Json;
using Dapper;
using JobSignal.Core.Common;
using JobSignal.Core.Domain;

namespace JobSignal.Core.Store;

/// <summary>
/// Teaches Dapper the store's conventions once per process: timestamps as UTC ISO-8601 text (in both directions),
/// snake_case columns onto PascalCase properties, JSON score maps. Dapper lives in the module's private load
/// context, so these settings touch no other module.
/// </summary>
internal static class DapperSetup
{
    private static readonly object Gate = new();
    private static bool _done;

    public static void Ensure()
    {
        lock (Gate)
        {
            if (_done) return;
            // Dapper's built-in mapping of DateTimeOffset would win over a handler and write "2024-05-01 10:30:00+02:00".
            SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
            SqlMapper.RemoveTypeMap(typeof(DateTimeOffset?));
            SqlMapper.AddTypeHandler(new TimestampHandler());
            SqlMapper.AddTypeHandler(new ScoreMapHandler());
            DefaultTypeMap.MatchNamesWithUnderscores = true;
            _done = true;
        }
    }

    private sealed class TimestampHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = StoreTime.ToText(value);
        }

        public override DateTimeOffset Parse(object value) => StoreTime.Parse((string)value);
    }

    /// <summary>A category -> points map stored as a JSON object, read back most points first.</summary>
    private sealed class ScoreMapHandler : SqlMapper.TypeHandler<IReadOnlyDictionary<string, decimal>>
    {
        public override void SetValue(IDbDataParameter parameter, IReadOnlyDictionary<string, decimal>? value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = (object?)ScoreMap.ToJson(value) ?? DBNull.Value;
        }

        public override IReadOnlyDictionary<string, decimal> Parse(object value) => ScoreMap.FromJson(value as string);
    }
}

/// <summary>
/// A category -> number map as a JSON object (a company's category points, or its best offer score per category);
/// read back highest first (ties by name), which is also how PowerShell shows it. Written and read by hand: it is
/// done twice per company in every aggregation and read twice per company listed, where the serializer's reflection
/// and LINQ over value-type pairs cost more than the rest of saving a company.
/// </summary>
internal static class ScoreMap
{
    public static string? ToJson(IEnumerable<KeyValuePair<string, decimal>>? scores) =>
        scores is null ? null : Write(Ranked(scores.Select(p => new Entry(p.Key, p.Value))));

    /// <summary>A company's categories as <c>{category: value}</c>, the value being what <paramref name="value"/> picks.</summary>
    public static string ToJson(IReadOnlyList<Aggregation.CategoryMaxScore> categories, Func<Aggregation.CategoryMaxScore, decimal> value) =>
        Write(Ranked(categories.Select(c => new Entry(c.Category, value(c)))));

    public static IReadOnlyDictionary<string, decimal> FromJson(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return Domain.Company.EmptyScores;
        var read = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        Expect(ref reader, reader.Read() && reader.TokenType is JsonTokenType.StartObject or JsonTokenType.Null);
        if (reader.TokenType == JsonTokenType.Null) return new CategoryScoreMap();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var category = reader.GetString()!;
            Expect(ref reader, reader.Read() && reader.TokenType == JsonTokenType.Number);
            // A number beyond decimal's range is a JsonException, as the serializer reported it.
            Expect(ref reader, reader.TryGetDecimal(out var points));
            read[category] = points;
        }
        Expect(ref reader, reader.TokenType == JsonTokenType.EndObject && !reader.Read());
        var map = new CategoryScoreMap();
        foreach (var entry in Ranked(read.Select(p => new Entry(p.Key, p.Value)))) map.Add(entry.Key, Signal.OfferScorer.Normalize(entry.Value));
        return map;
    }

    private static void Expect(ref Utf8JsonReader reader, bool condition)
    {
        if (!condition) throw new JsonException($"A category score map must be a JSON object of numbers (at byte {reader.TokenStartIndex}).");
    }

    private sealed record Entry(string Key, decimal Value);

    // Most first, ties by name.
    private static List<Entry> Ranked(IEnumerable<Entry> entries)
    {
        var ranked = new List<Entry>();
        foreach (var entry in entries)
            StableOrder.Insert(ranked, entry, static (a, b) => a.Value != b.Value ? a.Value > b.Value : string.CompareOrdinal(a.Key, b.Key) < 0);
        return ranked;
    }

    private static string Write(List<Entry> entries)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var entry in entries) json.WriteNumber(entry.Key, entry.Value);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

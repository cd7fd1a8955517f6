using System.Data;
using System.Text.Json;
using Dapper;
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
/// read back highest first (ties by name), which is also how PowerShell shows it.
/// </summary>
internal static class ScoreMap
{
    public static string? ToJson<T>(IEnumerable<KeyValuePair<string, T>>? scores) where T : struct, IComparable<T> =>
        scores is null ? null : JsonSerializer.Serialize(scores.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
            .ToDictionary(p => p.Key, p => p.Value));

    public static IReadOnlyDictionary<string, decimal> FromJson(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return Domain.Company.EmptyScores;
        var map = new CategoryScoreMap();
        var read = JsonSerializer.Deserialize<Dictionary<string, decimal>>(json) ?? [];
        foreach (var (category, points) in read.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal))
            map.Add(category, Signal.OfferScorer.Normalize(points));
        return map;
    }
}

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

    /// <summary>A category -> score map stored as a JSON object, read back highest score first.</summary>
    private sealed class ScoreMapHandler : SqlMapper.TypeHandler<IReadOnlyDictionary<string, int>>
    {
        public override void SetValue(IDbDataParameter parameter, IReadOnlyDictionary<string, int>? value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = (object?)ScoreMap.ToJson(value) ?? DBNull.Value;
        }

        public override IReadOnlyDictionary<string, int> Parse(object value) => ScoreMap.FromJson(value as string);
    }
}

/// <summary>A category -> score map as JSON; highest score first (ties by name), which is also how PowerShell shows it.</summary>
internal static class ScoreMap
{
    public static string? ToJson(IEnumerable<KeyValuePair<string, int>>? scores) =>
        scores is null ? null : JsonSerializer.Serialize(Ordered(scores));

    public static IReadOnlyDictionary<string, int> FromJson(string? json) =>
        string.IsNullOrWhiteSpace(json) ? Domain.Company.EmptyScores
            : Ordered(JsonSerializer.Deserialize<Dictionary<string, int>>(json) ?? new Dictionary<string, int>());

    private static CategoryScoreMap Ordered(IEnumerable<KeyValuePair<string, int>> scores)
    {
        var map = new CategoryScoreMap();
        foreach (var (category, score) in scores.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal))
            map.Add(category, score);
        return map;
    }
}

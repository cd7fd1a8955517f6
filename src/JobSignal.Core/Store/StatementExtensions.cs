using System.Data.Common;
using System.Runtime.CompilerServices;
using Dapper;
using Microsoft.Data.Sqlite;

namespace JobSignal.Core.Store;

/// <summary>Binding values to a reused <see cref="SignalStore.Statement"/> (or to Dapper parameters) and reading its rows, in the store's conventions.</summary>
internal static class StatementExtensions
{
    /// <summary>
    /// Binds a list as one JSON array, read by the statement as <c>IN (SELECT value FROM json_each(@name))</c>: the
    /// statement text stays the same whatever the list's length, so it is prepared once.
    /// </summary>
    public static SqliteCommand SetList<T>(this SqliteCommand command, string name, IEnumerable<T> values) =>
        command.Set(name, JsonList(values));

    /// <summary><see cref="SetList"/> for a statement built with Dapper's parameters (a filter's id lists).</summary>
    public static void AddList<T>(this DynamicParameters parameters, string name, IEnumerable<T> values) =>
        parameters.Add(name, JsonList(values));

    private static string JsonList<T>(IEnumerable<T> values) => System.Text.Json.JsonSerializer.Serialize(values);

    public static SqliteCommand Set(this SqliteCommand command, string name, object? value)
    {
        var stored = value switch
        {
            null => DBNull.Value,
            DateTimeOffset time => StoreTime.ToText(time),
            _ => value,
        };
        var index = command.Parameters.IndexOf(name);
        if (index < 0) command.Parameters.AddWithValue(name, stored);
        else command.Parameters[index].Value = stored;
        return command;
    }

    /// <summary>The rows of the statement, mapped by Dapper the way its own queries map them.</summary>
    public static List<T> Rows<T>(this SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        if (!reader.Read()) return rows;
        var parse = RowParsers<T>.Cache.GetValue(command, _ => reader.GetRowParser<T>());
        do rows.Add(parse(reader)); while (reader.Read());
        return rows;
    }

    /// <summary>One Dapper row parser per reused statement: building it on every call would cost more than the query.</summary>
    private static class RowParsers<T>
    {
        public static readonly ConditionalWeakTable<SqliteCommand, Func<DbDataReader, T>> Cache = new();
    }
}

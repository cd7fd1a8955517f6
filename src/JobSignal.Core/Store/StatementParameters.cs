using Microsoft.Data.Sqlite;

namespace JobSignal.Core.Store;

/// <summary>Binding values to a reused <see cref="SignalStore.Statement"/> in the store's conventions.</summary>
internal static class StatementParameters
{
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
}

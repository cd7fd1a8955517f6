using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace JobSignal.Core.Store;

/// <summary>
/// A statement prepared once on the store's connection and run through SQLitePCL directly, for the few statements
/// ingestion runs for every offer. Microsoft.Data.Sqlite looks every parameter up by name at every execution and
/// copies every string into a new UTF-8 array; here names are resolved once and text is encoded into a reused
/// buffer that SQLite copies from. It runs inside whatever transaction the connection is in. Not thread-safe.
/// </summary>
internal sealed class NativeStatement : IDisposable
{
    private const int KeptBufferLimit = 1 << 20;

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly Dictionary<string, int> _parameters = new(StringComparer.Ordinal);
    // The names callers bind, learned by reference: they pass the same literals at every offer, so a name is then found
    // by comparing references instead of hashing it in a framework dictionary (which runs instrumented, under tiered
    // PGO, through most of a nightly run). Index 0: a name the statement does not use.
    private readonly string?[] _knownNames = new string?[64];
    private readonly int[] _knownIndexes = new int[64];
    private int _knownCount;
    // UTF-8 of the text being bound: .NET's encoder is faster than SQLite's UTF-16 conversion, and SQLite copies the
    // bytes when binding, so one buffer serves every value.
    private byte[] _utf8 = new byte[4096];

    public NativeStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var rc = raw.sqlite3_prepare_v3(_db, sql, raw.SQLITE_PREPARE_PERSISTENT, out _statement);
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _db);
        for (var i = 1; i <= raw.sqlite3_bind_parameter_count(_statement); i++)
            _parameters[raw.sqlite3_bind_parameter_name(_statement, i).utf8_to_string()] = i;
    }

    // A name the statement does not use is ignored, as Microsoft.Data.Sqlite does: one binding serves an offer's
    // INSERT and its UPDATE, which does not set everything the INSERT does.
    public NativeStatement Set(string name, string? value)
    {
        if (value is null) return SetNull(name);
        var maximum = Encoding.UTF8.GetMaxByteCount(value.Length);
        // A huge text gets a buffer of its own rather than keeping one that size for the store's life.
        var buffer = maximum <= _utf8.Length ? _utf8 : maximum <= KeptBufferLimit ? _utf8 = new byte[maximum] : new byte[maximum];
        return SetUtf8(name, buffer.AsSpan(0, Encoding.UTF8.GetBytes(value, buffer)));
    }

    /// <summary>Text already encoded as UTF-8 (bound as TEXT, not as a BLOB).</summary>
    public NativeStatement SetUtf8(string name, ReadOnlySpan<byte> text)
    {
        var index = IndexOf(name);
        if (index == 0) return this;
        // An empty span has no address, which SQLite would take for NULL.
        return Check(text.IsEmpty ? raw.sqlite3_bind_text(_statement, index, "") : raw.sqlite3_bind_text(_statement, index, text));
    }

    public NativeStatement Set(string name, long value) => Bind(name, value, static (statement, index, number) => raw.sqlite3_bind_int64(statement, index, number));

    public NativeStatement Set(string name, long? value) => value is { } v ? Set(name, v) : SetNull(name);

    public NativeStatement Set(string name, bool value) => Set(name, value ? 1L : 0L);

    public NativeStatement Set(string name, double value) => Bind(name, value, static (statement, index, number) => raw.sqlite3_bind_double(statement, index, number));

    public NativeStatement Set(string name, byte[]? value) =>
        value is null ? SetNull(name) : Bind(name, value, static (statement, index, bytes) => raw.sqlite3_bind_blob(statement, index, bytes));

    /// <summary>A timestamp as the store keeps it (<see cref="StoreTime"/>).</summary>
    public NativeStatement Set(string name, DateTimeOffset? value) => Set(name, StoreTime.ToText(value));

    /// <summary>Runs the statement; returns the first column of its first row as a number (RETURNING id), or null.</summary>
    public long? ExecuteInt64()
    {
        try
        {
            var rc = raw.sqlite3_step(_statement);
            long? first = null;
            if (rc == raw.SQLITE_ROW)
            {
                first = raw.sqlite3_column_int64(_statement, 0);
                while (rc == raw.SQLITE_ROW) rc = raw.sqlite3_step(_statement);
            }
            if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, _db);
            return first;
        }
        finally
        {
            // Ready for the next call, and no longer holding what it read.
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>
    /// Runs a query and hands the first column of its first row, a BLOB read in place (no copy), to
    /// <paramref name="read"/>; false when there is no row or the value is NULL. The bytes are valid only during the call.
    /// </summary>
    public bool TryReadBlob<T>(BlobReader<T> read, out T? value)
    {
        try
        {
            var rc = raw.sqlite3_step(_statement);
            if (rc == raw.SQLITE_ROW && raw.sqlite3_column_type(_statement, 0) != raw.SQLITE_NULL)
            {
                value = read(raw.sqlite3_column_blob(_statement, 0));
                return true;
            }
            if (rc is not (raw.SQLITE_ROW or raw.SQLITE_DONE)) SqliteException.ThrowExceptionForRC(rc, _db);
            value = default;
            return false;
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Runs the statement; returns how many rows it changed.</summary>
    public int Execute()
    {
        ExecuteInt64();
        return raw.sqlite3_changes(_db);
    }

    public void Dispose() => _statement.Dispose();

    public delegate T BlobReader<out T>(ReadOnlySpan<byte> bytes);

    private NativeStatement SetNull(string name) => Bind(name, 0, static (statement, index, _) => raw.sqlite3_bind_null(statement, index));

    private NativeStatement Bind<T>(string name, T value, Func<sqlite3_stmt, int, T, int> bind) =>
        IndexOf(name) is var index and > 0 ? Check(bind(_statement, index, value)) : this;

    private int IndexOf(string name)
    {
        for (var i = 0; i < _knownCount; i++)
        {
            if (ReferenceEquals(_knownNames[i], name)) return _knownIndexes[i];
        }
        var index = _parameters.GetValueOrDefault(name);
        if (_knownCount < _knownNames.Length)
        {
            _knownNames[_knownCount] = name;
            _knownIndexes[_knownCount++] = index;
        }
        return index;
    }

    private NativeStatement Check(int rc)
    {
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _db);
        return this;
    }
}

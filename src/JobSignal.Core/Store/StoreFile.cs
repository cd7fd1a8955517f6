using Dapper;
using JobSignal.Core.Common;
using Microsoft.Data.Sqlite;

namespace JobSignal.Core.Store;

/// <summary>
/// Looks at an existing store file before anything writes to it, so that a file we must refuse (not SQLite, a
/// newer schema, someone else's database) is left byte-for-byte unchanged, without -wal/-shm files beside it.
/// </summary>
/// <remarks>
/// The file is only ever read through SQLite, never through a descriptor of our own: on POSIX systems closing any
/// descriptor of a file drops every lock the process holds on it, those of a store connection already open
/// included (SQLite keeps its own descriptors open while its locks need them). Another process using the store
/// would then take itself for its last user and checkpoint and delete the WAL the open connection still writes to.
/// </remarks>
internal static class StoreFile
{
    private const int SqliteNotADatabase = 26; // SQLITE_NOTADB

    /// <summary>Throws a <see cref="JobSignalException"/> when the file at <paramref name="path"/> must not be opened for writing.</summary>
    public static void EnsureWritable(string path)
    {
        if (Directory.Exists(path)) throw Unusable(path, "it is a folder, not a file");
        if (!File.Exists(path) || new FileInfo(path).Length == 0) return; // SQLite turns an empty file into a new database

        var probe = Probe(path);
        var version = Math.Max(probe.UserVersion, probe.RecordedVersion);
        if (version > StoreMigrations.Latest)
            throw new JobSignalException(StoreErrorIds.SchemaTooNew, FailureKind.InvalidOperation,
                $"The store '{path}' has schema version {version}, but this JobSignal knows versions up to " +
                $"{StoreMigrations.Latest}; it was left unchanged.",
                path, "Use the newer JobSignal module that wrote this store, or point -DatabasePath at another file.");
        if (!probe.HasHistory && probe.TableCount > 0)
            throw Unusable(path, "it is a SQLite database of another application (it has tables but no JobSignal schema history); it was left unchanged");
    }

    /// <summary>
    /// True when opening the store at <paramref name="path"/> would write to it: it does not exist yet (or is empty),
    /// or it would be migrated. Throws as <see cref="EnsureWritable"/> does for a file that must be refused.
    /// </summary>
    public static bool OpeningWouldWrite(string path)
    {
        EnsureWritable(path);
        if (!File.Exists(path) || new FileInfo(path).Length == 0) return true;
        var probe = Probe(path);
        return Math.Min(probe.UserVersion, probe.RecordedVersion) < StoreMigrations.Latest;
    }

    internal static JobSignalException Unusable(string path, string reason, Exception? inner = null) =>
        new(StoreErrorIds.Unusable, FailureKind.ResourceUnavailable, $"The store '{path}' cannot be used: {reason.TrimEnd('.')}.",
            path, "Check the path and its folder's permissions and free space, or point -DatabasePath (or $env:JOBSIGNAL_DB) at another file.",
            inner);

    /// <summary>
    /// What to tell the user when SQLite, using an open store, finds its file damaged (SQLITE_CORRUPT, SQLITE_NOTADB:
    /// StoreDamaged) or cannot read or write it (SQLITE_IOERR: StoreUnusable); null for any other failure.
    /// <paramref name="reading"/>: the command only read, so it can say that nothing was changed.
    /// </summary>
    public static JobSignalException? Damage(string path, Exception ex, bool reading) => ex switch
    {
        SqliteException { SqliteErrorCode: SQLitePCL.raw.SQLITE_CORRUPT or SQLitePCL.raw.SQLITE_NOTADB } sqlite =>
            Damaged(path, sqlite.Message.TrimEnd('.'), reading, ex),
        SqliteException { SqliteErrorCode: SQLitePCL.raw.SQLITE_IOERR } sqlite =>
            Unusable(path, $"SQLite could not read or write its file, a disk or file-system error ({sqlite.Message.TrimEnd('.')})", ex),
        _ => null,
    };

    /// <summary>StoreDamaged: SQLite found part of the file at <paramref name="path"/> damaged (<paramref name="found"/>).</summary>
    internal static JobSignalException Damaged(string path, string found, bool reading, Exception? inner = null) =>
        new(StoreErrorIds.Damaged, FailureKind.ReadError,
            $"The store '{path}' is damaged: SQLite could not read part of it ({found}).{(reading ? " Nothing was changed." : "")}",
            path, "Restore the store from a backup, or copy what SQLite can still read into a new store " +
                  "(sqlite3 damaged.db .recover | sqlite3 recovered.db) and point -DatabasePath at that file.", inner);

    private sealed record ProbeResult(long UserVersion, long RecordedVersion, bool HasHistory, long TableCount);

    /// <summary>
    /// A read-only connection that changes nothing on disk. A store closed cleanly has no -wal file: it is opened
    /// "immutable", so SQLite creates no -wal/-shm; with a -wal file present (in use, or a crash) a plain read-only
    /// open sees the latest committed state and the files it uses already exist.
    /// </summary>
    internal static SqliteConnection OpenReadOnly(string path) =>
        Open(File.Exists(path + "-wal") ? path : new Uri(path).AbsoluteUri + "?immutable=1", SqliteOpenMode.ReadOnly);

    /// <summary>
    /// An open connection outside the pool (a pooled one would keep the file open, and locked on Windows, after
    /// Dispose). <paramref name="busyTimeout"/> bounds Microsoft.Data.Sqlite's own BUSY loop (its default otherwise).
    /// </summary>
    internal static SqliteConnection Open(string dataSource, SqliteOpenMode mode, TimeSpan? busyTimeout = null)
    {
        ProcessSettings.Ensure();
        var builder = new SqliteConnectionStringBuilder { DataSource = dataSource, Mode = mode, Pooling = false };
        if (busyTimeout is { } timeout) builder.DefaultTimeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds));
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Reads the schema version without changing anything (<see cref="OpenReadOnly"/>).</summary>
    private static ProbeResult Probe(string path)
    {
        try
        {
            using var connection = OpenReadOnly(path);
            var userVersion = connection.ExecuteScalar<long>("PRAGMA user_version");
            var hasHistory = connection.ExecuteScalar<long>(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'") > 0;
            var tables = connection.ExecuteScalar<long>(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
            var recorded = hasHistory ? connection.ExecuteScalar<long?>("SELECT max(version) FROM schema_migrations") ?? 0 : 0;
            return new ProbeResult(userVersion, recorded, hasHistory, tables);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteNotADatabase)
        {
            throw new JobSignalException(StoreErrorIds.NotSqlite, FailureKind.InvalidData,
                $"'{path}' is not a SQLite database (it does not start with the SQLite header); it was left unchanged.",
                path, "Point -DatabasePath (or $env:JOBSIGNAL_DB) at a JobSignal store, or at a file that does not exist yet.", ex);
        }
        catch (SqliteException ex)
        {
            throw Unusable(path, "SQLite cannot read it (" + ex.Message + ")", ex);
        }
    }

    /// <summary>
    /// SQLite's process-wide settings, made once before its first connection: no memory statistics, which SQLite
    /// otherwise keeps under a global mutex at every allocation (nothing here reads them). Another component of the
    /// process that started SQLite first leaves them as they are.
    /// </summary>
    private static class ProcessSettings
    {
        static ProcessSettings()
        {
            SQLitePCL.Batteries_V2.Init();
            // SQLITE_MISUSE when SQLite has already started: its settings then stay as they are.
            _ = SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MEMSTATUS, 0);
        }

        /// <summary>Runs the settings once per process (the type's initializer), before the caller's connection.</summary>
        public static void Ensure()
        {
        }
    }
}

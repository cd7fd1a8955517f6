using Dapper;
using JobSignal.Core.Common;
using Microsoft.Data.Sqlite;

namespace JobSignal.Core.Store;

/// <summary>
/// The SQLite store, the system of record (SPEC 4): one connection to one file in WAL mode with foreign keys on,
/// migrated to the latest schema when opened, and the repositories over it.
/// <para>
/// Writes happen in <see cref="Write{T}"/>: one IMMEDIATE transaction, retried as a whole with
/// <see cref="StoreOptions.WriteRetry"/> when another process holds the write lock (SQLITE_BUSY / SQLITE_LOCKED).
/// Repository writes called outside <see cref="Write{T}"/> run in a transaction of their own; inside, they join it,
/// so a chunk of offers is one transaction. A store is used by one thread at a time.
/// </para>
/// </summary>
public sealed class SignalStore : IDisposable
{
    private readonly SqliteConnection _connection;
    private SqliteTransaction? _transaction;
    private int _savepointDepth;
    private readonly Dictionary<string, SqliteCommand> _statements = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NativeStatement> _nativeStatements = new(StringComparer.Ordinal);
    private readonly WalCheckpointer _checkpointer;

    private SignalStore(string path, SqliteConnection connection, StoreOptions options)
    {
        Path = path;
        DisplayPath = path;
        _connection = connection;
        Options = options;
        _checkpointer = new WalCheckpointer(path);
        Companies = new CompanyRepository(this);
        Offers = new OfferRepository(this);
        Matches = new MatchRepository(this);
        Runs = new RunRepository(this);
        QueryStates = new QueryStateRepository(this);
        RunLocks = new RunLockRepository(this);
        Feedback = new FeedbackRepository(this);
    }

    /// <summary>The schema version this build creates and understands.</summary>
    public static int LatestSchemaVersion => StoreMigrations.Latest;

    /// <summary>The store file's full path.</summary>
    public string Path { get; }

    /// <summary>
    /// The path messages name: <see cref="Path"/>, or for a private copy made for a dry run (<see cref="StoreSnapshot"/>)
    /// the store it copies, which is the file the user knows and gave.
    /// </summary>
    public string DisplayPath { get; internal set; }

    /// <summary>
    /// True for the private copy of a dry run (<see cref="StoreSnapshot"/>): what is written here is only what a real
    /// run would write into <see cref="DisplayPath"/>, so messages say "would".
    /// </summary>
    public bool IsDryRunCopy { get; internal set; }
    public StoreOptions Options { get; }
    /// <summary>The schema version of the open store (always <see cref="LatestSchemaVersion"/> once opened).</summary>
    public int SchemaVersion => (int)_connection.ExecuteScalar<long>("PRAGMA user_version", transaction: _transaction);
    /// <summary>How many times a write was retried because the store was busy, since this store was opened.</summary>
    public int BusyRetries { get; private set; }
    /// <summary>How many checkpoints the background checkpointer completed since this store was opened.</summary>
    internal int BackgroundCheckpoints => _checkpointer.Completed;
    /// <summary>True inside <see cref="Write{T}"/>.</summary>
    public bool InTransaction => _transaction is not null;
    /// <summary>
    /// SQLite's data version of this connection: it changes when another connection (another process) commits, never
    /// for this connection's own commits.
    /// </summary>
    internal long DataVersion => Native("PRAGMA data_version").ExecuteInt64() ?? 0;

    public CompanyRepository Companies { get; }
    public OfferRepository Offers { get; }
    public MatchRepository Matches { get; }
    public RunRepository Runs { get; }
    public QueryStateRepository QueryStates { get; }
    public RunLockRepository RunLocks { get; }
    public FeedbackRepository Feedback { get; }

    /// <summary>
    /// Opens the store at <paramref name="path"/>, creating its folder and file when missing and applying the
    /// migrations it lacks. Refuses, without changing the file, a file that is not SQLite
    /// (<c>StoreNotSqlite</c>), a store of a newer schema (<c>StoreSchemaTooNew</c>) and any other store it cannot
    /// use (<c>StoreUnusable</c>), each as a <see cref="JobSignalException"/>.
    /// </summary>
    public static SignalStore Open(string path, StoreOptions? options = null) =>
        Open(path, options, StoreMigrations.Latest);

    /// <summary>Opens the store migrated only up to <paramref name="schemaVersion"/>: how tests build earlier versions.</summary>
    internal static SignalStore Open(string path, StoreOptions? options, int schemaVersion)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        DapperSetup.Ensure();
        options ??= new StoreOptions();
        var fullPath = System.IO.Path.GetFullPath(path);
        StoreFile.EnsureWritable(fullPath);

        SqliteConnection? connection = null;
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(fullPath)!);
            // Microsoft.Data.Sqlite's own BUSY loop kept as short as SQLite's, so that our policy does the retrying.
            connection = StoreFile.Open(fullPath, SqliteOpenMode.ReadWriteCreate, options.BusyTimeout);
            // SQLite opens a file it may not write read-only without a word; its first read would then leave -wal and
            // -shm files it cannot remove (read-only like the store, so they block the store even once it is writable).
            if (SQLitePCL.raw.sqlite3_db_readonly(connection.Handle, "main") == 1)
                throw new JobSignalException(StoreErrorIds.ReadOnly, FailureKind.PermissionDenied,
                    $"The store '{fullPath}' is read-only for this user; it was left unchanged.", fullPath,
                    "JobSignal writes to its store, even to read it (SQLite's write-ahead log): make the file and its folder " +
                    "writable for this user, or copy the store to a writable place.");
            KeywordSearch.Register(connection);
            WildcardMatch.Register(connection);
            connection.Execute($"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds}; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; " +
                // Savepoint journals in memory; a 16 MB page cache, which holds a chunk's working set (in KiB when
                // negative; 32 MB was no faster and counts against the memory of a 100k-offer run);
                // checkpoints are the WalCheckpointer's, in the background; the writer checkpoints itself only when
                // the log reaches 160 MB, which also lets the log start over when the background keeps falling behind.
                "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -16384; PRAGMA wal_autocheckpoint = 40000;");
            var store = new SignalStore(fullPath, connection, options);
            store.RetryWhileBusy(() => connection.ExecuteScalar<string>("PRAGMA journal_mode = WAL"), CancellationToken.None);
            // A store at its schema needs no write lock to open: a reader must not wait for another process's writer.
            // A new store (version 0) always gets its migration history.
            var current = store.RetryWhileBusy(() => store.SchemaVersion, CancellationToken.None);
            if (current == 0 || current != schemaVersion) store.Migrate(schemaVersion);
            return store;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SQLitePCL.raw.SQLITE_BUSY or SQLitePCL.raw.SQLITE_LOCKED)
        {
            // Only creating or upgrading a store takes the write lock while opening it.
            connection?.Dispose();
            throw new JobSignalException(StoreErrorIds.Busy, FailureKind.ResourceUnavailable,
                $"The store '{fullPath}' is being created or upgraded, and another process held its write lock past the waits and retries.",
                fullPath, BusyAction, ex);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            connection?.Dispose();
            throw StoreFile.Unusable(fullPath, ex.Message, ex);
        }
        catch
        {
            connection?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The error to report when <paramref name="ex"/>, thrown while using this store, is about the store itself: its
    /// file is damaged (<c>StoreDamaged</c>) or cannot be read or written (<c>StoreUnusable</c>), or another process
    /// kept it locked past the waits and retries (<c>StoreBusy</c>). Null for any other failure. <paramref name="reading"/>:
    /// the command only read the store.
    /// </summary>
    public JobSignalException? FailureOf(Exception ex, bool reading = false) => ex switch
    {
        // Already said as the store's failure (by a step that mapped it): the same error, not a new one.
        JobSignalException { ErrorId: StoreErrorIds.Busy or StoreErrorIds.Damaged or StoreErrorIds.Unusable } known => known,
        _ when IsBusy(ex) => new JobSignalException(StoreErrorIds.Busy, FailureKind.ResourceUnavailable,
            $"The store '{DisplayPath}' was locked by another process past the waits and retries ({ex.Message.TrimEnd('.')}).",
            DisplayPath, BusyAction, ex),
        _ => StoreFile.Damage(DisplayPath, ex, reading),
    };

    /// <summary>What to do about a store another process keeps locked (StoreBusy).</summary>
    internal const string BusyAction = "Another process holds the store's write lock: another JobSignal command or scheduled " +
        "run, or a program that keeps the file open in a transaction (sqlite3, a database browser, a backup tool). Wait " +
        "until it has finished, or stop it, then run the command again.";

    /// <summary>
    /// Checks the whole file with SQLite's <c>quick_check</c> (every page and b-tree, not the indexes' content): null
    /// when it is sound, else the <c>StoreDamaged</c> error saying what SQLite found. Reads the whole file (about a
    /// second per GB), so it is for a scheduled run that must not write into a damaged store, not for every command.
    /// </summary>
    public JobSignalException? CheckIntegrity()
    {
        try
        {
            var problems = _connection.Query<string>("PRAGMA quick_check(5)", transaction: _transaction).AsList();
            return problems is ["ok"] ? null : StoreFile.Damaged(DisplayPath,
                string.Join("; ", problems.Select(p => p.Replace("*** in database main ***", "").ReplaceLineEndings(" ").Trim())), reading: true);
        }
        catch (Exception ex) when (FailureOf(ex, reading: true) is { } failure) { return failure; }
    }

    /// <summary>The migrations applied to this store, oldest first.</summary>
    public IReadOnlyList<AppliedMigration> AppliedMigrations() =>
        _connection.Query<AppliedMigration>(
            "SELECT version AS Version, name AS Name, applied_at AS AppliedAt FROM schema_migrations ORDER BY version", transaction: _transaction).AsList();

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction and commits it. When the store stays busy (another
    /// writer), the transaction is rolled back and <paramref name="work"/> runs again, up to the retry policy's
    /// bound: it must therefore keep its in-memory effects until it returns. Nested calls join the outer transaction.
    /// </summary>
    public T Write<T>(Func<T> work, CancellationToken cancellationToken = default)
    {
        if (_transaction is not null) return work();
        return RetryWhileBusy(() =>
        {
            _transaction = _connection.BeginTransaction(deferred: false);
            try
            {
                var result = work();
                _transaction.Commit();
                _checkpointer.Committed();
                return result;
            }
            catch
            {
                RollbackQuietly(_transaction);
                throw;
            }
            finally
            {
                _transaction.Dispose();
                _transaction = null;
                _savepointDepth = 0;
            }
        }, cancellationToken);
    }

    public void Write(Action work, CancellationToken cancellationToken = default) =>
        Write<object?>(() => { work(); return null; }, cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> inside the current <see cref="Write{T}"/> transaction so that, when it throws,
    /// only its own changes are undone and the transaction goes on (one offer failing inside a chunk).
    /// </summary>
    public T Savepoint<T>(Func<T> work)
    {
        if (_transaction is null) throw new InvalidOperationException("Savepoint needs an open Write transaction.");
        // Ingestion opens one or two savepoints per offer: their statements are prepared once, not per call.
        var name = "sp" + (++_savepointDepth);
        Statement("SAVEPOINT " + name).ExecuteNonQuery();
        try
        {
            var result = work();
            Statement("RELEASE " + name).ExecuteNonQuery();
            return result;
        }
        catch
        {
            Statement("ROLLBACK TO " + name).ExecuteNonQuery();
            Statement("RELEASE " + name).ExecuteNonQuery();
            throw;
        }
        finally
        {
            _savepointDepth--;
        }
    }

    public void Savepoint(Action work) => Savepoint<object?>(() => { work(); return null; });

    /// <summary>SQLITE_BUSY (5) and SQLITE_LOCKED (6), including their extended codes: worth retrying.</summary>
    public static bool IsBusy(Exception ex) => ex is SqliteException { SqliteErrorCode: 5 or 6 };

    internal SqliteConnection Connection => _connection;
    internal SqliteTransaction? Transaction => _transaction;
    internal DateTimeOffset Now => StoreTime.Now(Options.Clock);

    internal CommandDefinition Command(string sql, object? parameters = null) => new(sql, parameters, _transaction);

    /// <summary>
    /// A command prepared once per store and reused, for the statements run once per offer (ingestion's hot path):
    /// bind its parameters with <see cref="StatementParameters.Set"/>, then execute it.
    /// </summary>
    internal SqliteCommand Statement(string sql)
    {
        if (!_statements.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            _statements.Add(sql, command);
        }
        command.Transaction = _transaction;
        return command;
    }

    /// <summary>
    /// A <see cref="NativeStatement"/> prepared once per store, for the statements run once per offer whose binding
    /// cost counts (an offer's row, its match); it runs in the transaction of the current <see cref="Write{T}"/>.
    /// </summary>
    internal NativeStatement Native(string sql)
    {
        if (!_nativeStatements.TryGetValue(sql, out var statement))
        {
            statement = new NativeStatement(_connection, sql);
            _nativeStatements.Add(sql, statement);
        }
        return statement;
    }

    private T RetryWhileBusy<T>(Func<T> action, CancellationToken cancellationToken) =>
        Options.WriteRetry.Execute(action, IsBusy, (_, _, _) => BusyRetries++, cancellationToken);

    private static void RollbackQuietly(SqliteTransaction transaction)
    {
        // SQLite may already have rolled back (e.g. after SQLITE_FULL); the original failure is what matters.
        try { transaction.Rollback(); }
        catch (SqliteException) { }
        catch (InvalidOperationException) { }
    }

    private void Migrate(int targetVersion) => Write(() =>
    {
        _connection.Execute(StoreMigrations.HistoryTableSql, transaction: _transaction);
        var current = _connection.ExecuteScalar<long>("PRAGMA user_version", transaction: _transaction);
        // Another process may have migrated further between the read-only check and this write lock.
        if (current > StoreMigrations.Latest) throw StoreFile.Unusable(Path,
            $"another process upgraded it to schema version {current} while it was being opened");
        foreach (var migration in StoreMigrations.All.Where(m => m.Version > current && m.Version <= targetVersion))
        {
            if (migration.Sql.Length > 0) _connection.Execute(migration.Sql, transaction: _transaction);
            migration.Code?.Invoke(_connection, _transaction!);
            _connection.Execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)",
                new { migration.Version, migration.Name, AppliedAt = Now }, _transaction);
            _connection.Execute($"PRAGMA user_version = {migration.Version}", transaction: _transaction);
        }
    });

    public void Dispose()
    {
        foreach (var statement in _statements.Values) statement.Dispose();
        _statements.Clear();
        foreach (var statement in _nativeStatements.Values) statement.Dispose();
        _nativeStatements.Clear();
        _transaction?.Dispose();
        _transaction = null;
        // The last connection to close checkpoints the log and removes it: the store's own.
        _checkpointer.Dispose();
        _connection.Dispose();
    }
}

/// <summary>A schema migration recorded in the store.</summary>
public sealed record AppliedMigration(long Version, string Name, DateTimeOffset AppliedAt);

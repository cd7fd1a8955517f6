using JobSignal.Core.Common;
using Microsoft.Data.Sqlite;

namespace JobSignal.Core.Store;

/// <summary>
/// A private, throw-away copy of a store, for dry runs (-WhatIf): the real code runs against the copy, so it reports
/// exactly what a real run would do, while the store itself is only read (byte-for-byte unchanged, no -wal/-shm
/// created). A store that does not exist yet is a new empty copy. The copy is deleted on <see cref="Dispose"/>.
/// </summary>
public sealed class StoreSnapshot : IDisposable
{
    private readonly string _folder;

    private StoreSnapshot(string folder, SignalStore store)
    {
        _folder = folder;
        Store = store;
    }

    /// <summary>The copy, opened and migrated like any store.</summary>
    public SignalStore Store { get; }

    /// <summary>
    /// True when a dry run that only reads may open the store at <paramref name="path"/> as it is: it exists, is at
    /// the current schema and has no write-ahead log beside it, so opening it writes nothing. A store still to be
    /// created or migrated needs a copy instead, and so does one with a log (a process was killed, or another one is
    /// writing): closing it in place would copy the log into the store and delete it.
    /// Refuses a file that cannot be a store, with the same ErrorIds as <see cref="Create"/>.
    /// </summary>
    public static bool CanBeReadInPlace(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        var log = new FileInfo(full + "-wal");
        return !StoreFile.OpeningWouldWrite(full) && !(log.Exists && log.Length > 0);
    }

    /// <summary>
    /// Copies the store at <paramref name="sourcePath"/> (SQLite's online backup: a consistent state even while
    /// another process writes) into a temp folder and opens the copy. Refuses a file that is not a usable store with
    /// the same ErrorIds as <see cref="SignalStore.Open(string, StoreOptions?)"/>.
    /// </summary>
    public static StoreSnapshot Create(string sourcePath, StoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sourcePath);
        var source = Path.GetFullPath(sourcePath);
        StoreFile.EnsureWritable(source);
        var folder = Path.Combine(Path.GetTempPath(), "jobsignal-snapshot-" + Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(folder);
        var copy = Path.Combine(folder, Path.GetFileName(source));
        try
        {
            if (File.Exists(source) && new FileInfo(source).Length > 0) Backup(source, copy);
            var store = SignalStore.Open(copy, options);
            store.DisplayPath = source;
            store.IsDryRunCopy = true;
            return new StoreSnapshot(folder, store);
        }
        catch
        {
            DeleteQuietly(folder);
            throw;
        }
    }

    private static void Backup(string source, string copy)
    {
        try
        {
            using var from = StoreFile.OpenReadOnly(source);
            using var to = StoreFile.Open(copy, SqliteOpenMode.ReadWriteCreate);
            from.BackupDatabase(to);
        }
        catch (SqliteException ex)
        {
            throw StoreFile.Unusable(source, "it cannot be copied for a dry run (" + ex.Message + ")", ex);
        }
    }

    public void Dispose()
    {
        Store.Dispose();
        DeleteQuietly(_folder);
    }

    private static void DeleteQuietly(string folder)
    {
        try { Directory.Delete(folder, recursive: true); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
    }
}

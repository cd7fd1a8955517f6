using JobSignal.Core.Common;

namespace JobSignal.Core.Store;

/// <summary>How a <see cref="SignalStore"/> waits for other writers and which clock it uses.</summary>
public sealed class StoreOptions
{
    /// <summary>How long SQLite itself waits for a lock held by another connection before reporting BUSY.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Retries of a write (a whole transaction) that still failed with SQLITE_BUSY or SQLITE_LOCKED after
    /// <see cref="BusyTimeout"/>. Default: 5 retries, 250 ms doubling, at most 5 s per wait, ±20 % jitter.
    /// </summary>
    public RetryPolicy WriteRetry { get; init; } = new(5, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));

    /// <summary>The clock for timestamps the store sets itself (migrations applied, lock expiry...).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}

/// <summary>The stable ErrorIds of a store that cannot be opened.</summary>
public static class StoreErrorIds
{
    /// <summary>The file exists but is not a SQLite database. It is left untouched.</summary>
    public const string NotSqlite = "StoreNotSqlite";
    /// <summary>The store was written by a newer JobSignal (higher schema version). It is left untouched.</summary>
    public const string SchemaTooNew = "StoreSchemaTooNew";
    /// <summary>Creating or upgrading the store needed its write lock, which another process kept past the retries.</summary>
    public const string Busy = "StoreBusy";
    /// <summary>The store file cannot be written by this user. It is left untouched (no -wal or -shm file made).</summary>
    public const string ReadOnly = "StoreReadOnly";
    /// <summary>Any other reason the store cannot be opened or migrated (permissions, folder, damage, foreign database).</summary>
    public const string Unusable = "StoreUnusable";
    /// <summary>SQLite found the store's file damaged (or could not read it from disk) while reading it, after it opened.</summary>
    public const string Damaged = "StoreDamaged";
}

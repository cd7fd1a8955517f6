using Microsoft.Data.Sqlite;

namespace JobSignal.Core.Store;

/// <summary>
/// Copies a store's write-ahead log back into its file on a connection and a thread of their own, so that a long
/// write run (ingestion, re-scoring) never waits for a checkpoint: done by the committing connection, a checkpoint
/// costs the writer the copy and the file's fsync, about a quarter of its time in a 30,000-offer run.
/// <para>
/// After a commit, <see cref="Committed"/> starts one PASSIVE checkpoint in the background unless one is running or
/// one started less than <see cref="Interval"/> ago (a page rewritten by many chunks is copied back once per
/// interval, not once per chunk). PASSIVE never blocks or is blocked by the writer or readers; one that finds
/// another checkpoint running simply does nothing. The writer's own auto-checkpoint stays on with a larger
/// threshold, as the bound on the log when this one falls behind, and closing the store still checkpoints it.
/// </para>
/// </summary>
internal sealed class WalCheckpointer : IDisposable
{
    /// <summary>The shortest time between two background checkpoints.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly string _path;
    // Real elapsed time, not the store's clock (which tests freeze).
    private readonly TimeProvider _time = TimeProvider.System;
    private long _last;
    private Task? _running;
    private SqliteConnection? _connection;
    private bool _disposed;
    private int _completed;

    /// <param name="path">The store file (already in WAL mode).</param>
    public WalCheckpointer(string path)
    {
        _path = path;
        // A store open for less than an interval (most cmdlets) never starts a checkpoint of its own.
        _last = _time.GetTimestamp();
    }

    /// <summary>How many background checkpoints ran to completion.</summary>
    public int Completed => Volatile.Read(ref _completed);

    /// <summary>Called by the writing thread after each commit.</summary>
    public void Committed()
    {
        if (_disposed || _running is { IsCompleted: false }) return;
        var now = _time.GetTimestamp();
        if (_time.GetElapsedTime(_last, now) < Interval) return;
        _last = now;
        _running = Task.Run(Checkpoint);
    }

    private void Checkpoint()
    {
        try
        {
            _connection ??= Open(_path);
            using var command = _connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
            command.ExecuteNonQuery();
            Interlocked.Increment(ref _completed);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or InvalidOperationException)
        {
            // Only an optimisation: the writer's auto-checkpoint, the next interval or closing the store catches up,
            // and a store that really cannot be written fails on the writer's own connection, where it is reported.
        }
    }

    private static SqliteConnection Open(string path)
    {
        var connection = StoreFile.Open(path, SqliteOpenMode.ReadWrite);
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous = NORMAL";
        command.ExecuteNonQuery();
        return connection;
    }

    /// <summary>Waits for a running checkpoint and closes the connection, before the store's own is closed.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _running?.Wait();
        _connection?.Dispose();
    }
}

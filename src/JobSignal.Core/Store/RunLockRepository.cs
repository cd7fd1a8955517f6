using Dapper;

namespace JobSignal.Core.Store;

/// <summary>Who holds a named run lock, and until when.</summary>
public sealed record RunLockInfo
{
    public string Name { get; init; } = "";
    public string Owner { get; init; } = "";
    public DateTimeOffset AcquiredAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
}

/// <summary>
/// The outcome of <see cref="RunLockRepository.TryAcquire"/>: whether the lock is ours now, who holds it, and
/// whose stale lock was taken over to get it.
/// </summary>
public sealed record RunLockAttempt(bool Acquired, RunLockInfo Holder, string? TookOverFrom);

/// <summary>
/// Named locks with a time to live, so that two schedulers never run the pipeline at once (SPEC 10). A lock past
/// its expiry, or held by a process of this host that no longer runs, is taken over.
/// </summary>
public sealed class RunLockRepository
{
    /// <summary>The lock the scheduled pipeline takes.</summary>
    public const string PipelineLock = "pipeline";

    private const string SelectLock = "SELECT name, owner, acquired_at, expires_at FROM run_lock";

    private readonly SignalStore _store;

    internal RunLockRepository(SignalStore store) => _store = store;

    public RunLockInfo? Get(string name) =>
        _store.Connection.QuerySingleOrDefault<RunLockInfo>(_store.Command(SelectLock + " WHERE name = @name", new { name }));

    /// <summary>
    /// Takes the lock for <paramref name="ttl"/> when it is free, ours already (then it is extended), expired, or
    /// held by a dead process of this host. Check and take happen in one write transaction.
    /// </summary>
    public RunLockAttempt TryAcquire(string name, TimeSpan ttl, string? owner = null)
    {
        owner ??= RunOwner.Current;
        var claimant = owner;
        return _store.Write(() =>
        {
            var now = _store.Now;
            var holder = Get(name);
            if (holder is not null && holder.Owner != claimant && holder.ExpiresAt > now && !RunOwner.IsDead(holder.Owner))
                return new RunLockAttempt(false, holder, null);
            var taken = _store.Connection.QuerySingle<RunLockInfo>(_store.Command("""
                INSERT INTO run_lock (name, owner, acquired_at, expires_at) VALUES (@name, @claimant, @now, @expiresAt)
                ON CONFLICT (name) DO UPDATE SET
                    acquired_at = CASE WHEN owner = excluded.owner THEN acquired_at ELSE excluded.acquired_at END,
                    owner = excluded.owner, expires_at = excluded.expires_at
                RETURNING name, owner, acquired_at, expires_at
                """, new { name, claimant, now, expiresAt = now + ttl }));
            return new RunLockAttempt(true, taken, holder is not null && holder.Owner != claimant ? holder.Owner : null);
        });
    }

    /// <summary>Extends a lock we hold to now + <paramref name="ttl"/>. False when it is no longer ours.</summary>
    public bool Refresh(string name, TimeSpan ttl, string? owner = null)
    {
        owner ??= RunOwner.Current;
        return _store.Write(() => _store.Connection.Execute(_store.Command(
            "UPDATE run_lock SET expires_at = @expiresAt WHERE name = @name AND owner = @owner",
            new { name, owner, expiresAt = _store.Now + ttl })) == 1);
    }

    /// <summary>Releases a lock we hold. False when it was not ours (taken over, or never held).</summary>
    public bool Release(string name, string? owner = null)
    {
        owner ??= RunOwner.Current;
        return _store.Write(() => _store.Connection.Execute(_store.Command(
            "DELETE FROM run_lock WHERE name = @name AND owner = @owner", new { name, owner })) == 1);
    }
}

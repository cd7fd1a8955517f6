using JobSignal.Core.Common;
using JobSignal.Core.Store;
using Microsoft.Data.Sqlite;

namespace JobSignal.Core.Tests.Store;

public class TransactionTests : StoreTestBase
{
    private long OfferCount() => Store.Connection.ExecuteScalarLong("SELECT count(*) FROM offers");

    [Fact]
    public void A_write_commits_everything_or_nothing()
    {
        var company = AddCompany();
        Assert.Throws<InvalidOperationException>(() => Store.Write(() =>
        {
            AddOffer(company, "a");
            AddOffer(company, "b");
            throw new InvalidOperationException("stop");
        }));
        Assert.Equal(0, OfferCount());
        Assert.False(Store.InTransaction);

        var ids = Store.Write(() => new[] { AddOffer(company, "a"), AddOffer(company, "b") });
        Assert.Equal(2, OfferCount());
        Assert.All(ids, id => Assert.NotNull(Store.Offers.Get(id)));
    }

    [Fact]
    public void A_failing_savepoint_undoes_only_its_own_writes()
    {
        var company = AddCompany();
        var failures = 0;
        Store.Write(() =>
        {
            foreach (var id in new[] { "a", "b", "a", "c" })
            {
                try
                {
                    Store.Savepoint(() =>
                    {
                        Store.Companies.Touch(company, T0.AddDays(1));
                        AddOffer(company, id);
                    });
                }
                catch (SqliteException) { failures++; }
            }
        });
        Assert.Equal(1, failures);
        Assert.Equal(3, OfferCount());
        Assert.Equal(T0.AddDays(1), Store.Companies.Get(company)!.LastSeenAt);
    }

    [Fact]
    public void A_savepoint_needs_a_write_transaction()
    {
        Assert.Throws<InvalidOperationException>(() => Store.Savepoint(() => { }));
    }
}

public class BusyRetryTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>A second connection holding the write lock, as another process would.</summary>
    private SqliteConnection HoldWriteLock(string path)
    {
        var other = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        other.Open();
        using var begin = other.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE; INSERT INTO query_state (query_key) VALUES ('held');";
        begin.ExecuteNonQuery();
        return other;
    }

    private static void Commit(SqliteConnection connection)
    {
        using var commit = connection.CreateCommand();
        commit.CommandText = "COMMIT";
        commit.ExecuteNonQuery();
    }

    [Fact]
    public void A_write_blocked_by_another_writer_is_retried_and_succeeds_once_the_lock_is_released()
    {
        var path = _folder.File("busy.db");
        var waits = new List<TimeSpan>();
        SqliteConnection? holder = null;
        var retry = new RetryPolicy(3, TimeSpan.FromMilliseconds(10), wait: (delay, _) =>
        {
            waits.Add(delay);
            // The other writer finishes while we back off.
            if (holder is not null) { Commit(holder); holder.Dispose(); holder = null; }
            return Task.CompletedTask;
        });
        using var store = SignalStore.Open(path, new StoreOptions { BusyTimeout = TimeSpan.FromMilliseconds(50), WriteRetry = retry });
        holder = HoldWriteLock(path);

        var state = store.QueryStates.RecordSuccess("fx", null, DateTimeOffset.UtcNow);

        Assert.Equal("fx", state.QueryKey);
        Assert.Equal(1, store.BusyRetries);
        Assert.Single(waits);
        Assert.Null(holder);
        Assert.Equal(new[] { "fx", "held" }, store.QueryStates.List().Select(q => q.QueryKey));
    }

    [Fact]
    public void A_write_still_blocked_after_the_last_retry_fails_with_the_busy_error()
    {
        var path = _folder.File("busy.db");
        var retry = new RetryPolicy(2, TimeSpan.FromMilliseconds(1), wait: (_, _) => Task.CompletedTask);
        using var store = SignalStore.Open(path, new StoreOptions { BusyTimeout = TimeSpan.FromMilliseconds(20), WriteRetry = retry });
        using var holder = HoldWriteLock(path);

        var ex = Assert.Throws<SqliteException>(() => store.QueryStates.RecordSuccess("fx", null, DateTimeOffset.UtcNow));

        Assert.True(SignalStore.IsBusy(ex));
        Assert.Equal(2, store.BusyRetries);
        Assert.False(store.InTransaction);
        Commit(holder);
        Assert.Equal(new[] { "held" }, store.QueryStates.List().Select(q => q.QueryKey));
    }
}

using JobSignal.Core.Domain;
using JobSignal.Core.Store;

namespace JobSignal.Core.Tests.Store;

public class WalCheckpointerTests : StoreTestBase
{
    private const int Offers = 300;

    /// <summary>About a megabyte of offers in one transaction: it lands in the log, not in the store file.</summary>
    private void WriteOffers(SignalStore store, long company)
    {
        var description = string.Concat(Enumerable.Repeat("Gestión de pagos internacionales en USD y GBP. ", 70));
        store.Write(() =>
        {
            for (var i = 0; i < Offers; i++)
                store.Offers.Insert(company, NewOffer("o" + i, description: description), Content("fp" + i), T0);
        });
    }

    private static void CommitAfterTheInterval(SignalStore store, long company)
    {
        Thread.Sleep(WalCheckpointer.Interval + TimeSpan.FromMilliseconds(100));
        store.Write(() => store.Companies.Touch(company, T0.AddDays(1)));
    }

    [Fact]
    public void A_commit_after_the_interval_copies_the_log_back_into_the_open_store_file_in_the_background()
    {
        var company = AddCompany();
        WriteOffers(Store, company);
        var before = new FileInfo(Store.Path).Length;
        var dataVersion = Store.DataVersion;
        Assert.Equal(0, Store.BackgroundCheckpoints);

        CommitAfterTheInterval(Store, company);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Store.BackgroundCheckpoints == 0 && DateTime.UtcNow < deadline) Thread.Sleep(20);

        Assert.Equal(1, Store.BackgroundCheckpoints);
        // Copying the log back commits nothing: ingestion takes a changed data version for another process's writes.
        Store.Write(() => Store.Companies.Touch(company, T0.AddDays(2)));
        Assert.Equal(dataVersion, Store.DataVersion);
        // The offers' pages now live in the store file itself, while the store is still open.
        Assert.True(new FileInfo(Store.Path).Length > before + Offers * 3_000L,
            $"store file {new FileInfo(Store.Path).Length} bytes, {before} before the checkpoint");
        Assert.Equal(Offers, Store.Connection.ExecuteScalarLong("SELECT count(*) FROM offers"));
    }

    [Fact]
    public void Closing_during_a_background_checkpoint_leaves_the_whole_store_and_no_log()
    {
        var path = Folder.File("closing.db");
        using (var store = SignalStore.Open(path))
        {
            var company = store.Companies.Insert(new NewCompany("Acme", "acme", null, false), T0);
            WriteOffers(store, company);
            CommitAfterTheInterval(store, company);
        }

        Assert.False(File.Exists(path + "-wal"));
        using var reopened = SignalStore.Open(path);
        Assert.Equal(Offers, reopened.Connection.ExecuteScalarLong("SELECT count(*) FROM offers"));
        Assert.Equal(T0.AddDays(1), reopened.Companies.Get(1)!.LastSeenAt);
    }
}

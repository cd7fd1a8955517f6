using JobSignal.Core.Domain;
using JobSignal.Core.Store;

namespace JobSignal.Core.Infojobs;

/// <summary>
/// Which listed offers need their detail fetched (SPEC 8): all but those whose detail the store already holds, as
/// offers of their own with the same provider update date (<see cref="OfferRepository.HasDetail"/>), where a detail
/// would change nothing and would cost a request. Such an offer comes through as its list item
/// (<see cref="Offer.DetailOmitted"/>), which ingestion takes as "still listed".
/// </summary>
public static class StoredOfferDetailFilter
{
    /// <summary>
    /// The filter for <see cref="InfojobsClient.FetchAsync"/>, counting skipped details in
    /// <paramref name="statistics"/>. The client calls it from its worker threads: it reads <paramref name="store"/>
    /// under a lock of its own, so the store must not be used by anyone else meanwhile.
    /// </summary>
    public static Func<Offer, bool> For(SignalStore store, FetchStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(statistics);
        var gate = new object();
        return listed =>
        {
            if (listed.UpdatedAt is not { } updatedAt) return true;
            bool unchanged;
            lock (gate) unchanged = store.Offers.HasDetail(listed.Provider, listed.ProviderOfferId, updatedAt);
            if (unchanged) statistics.AddDetailSkipped();
            return !unchanged;
        };
    }
}

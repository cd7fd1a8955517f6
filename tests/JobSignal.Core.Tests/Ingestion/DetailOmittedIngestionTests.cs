using JobSignal.Core.Ingestion;

namespace JobSignal.Core.Tests.Ingestion;

/// <summary>Offers listed without their detail (Get-InfojobsOffer -NoDetail, or skipped as stored unchanged).</summary>
public sealed class DetailOmittedIngestionTests : IngestionTestBase
{
    [Fact]
    public void A_known_offer_listed_without_its_detail_only_moves_last_seen()
    {
        Ingest([Offer("o-1")]);
        var before = Store.Offers.Get(OfferIdOf("o-1"))!;
        var match = Store.Matches.Get(before.OfferId)!;

        Clock.Now = T0.AddDays(3);
        var listItem = Offer("o-1", description: null);
        listItem.DetailOmitted = true;
        var (run, results) = Ingest([listItem]);

        var after = Store.Offers.Get(before.OfferId)!;
        Assert.Equal(IngestionOutcome.Updated, Assert.Single(results).Outcome);
        Assert.Equal(before.Description, after.Description);     // not overwritten with the list's nothing
        Assert.Equal(T0.AddDays(3), after.LastSeenAt);
        Assert.Equal(match.Score, Store.Matches.Get(before.OfferId)!.Score);
        AssertRun(run, "success", received: 1, updated: 1, scored: 0);
    }

    [Fact]
    public void A_new_offer_listed_without_its_detail_is_stored_with_what_the_list_had()
    {
        var listItem = Offer("o-2", description: null);
        listItem.DetailOmitted = true;
        var (run, results) = Ingest([listItem]);

        Assert.Equal(IngestionOutcome.Inserted, Assert.Single(results).Outcome);
        Assert.Null(Store.Offers.Get(OfferIdOf("o-2"))!.Description);
        AssertRun(run, "success", received: 1, inserted: 1, scored: 1);
    }
}

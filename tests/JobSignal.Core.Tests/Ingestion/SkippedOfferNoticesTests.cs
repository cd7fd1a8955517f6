using JobSignal.Core.Ingestion;

namespace JobSignal.Core.Tests.Ingestion;

public class SkippedOfferNoticesTests
{
    private static OfferIngestionResult Result(IngestionOutcome outcome, string? id = "of-1", string? title = "Tesorero",
        string reason = "Title is missing or blank.") =>
        new() { Outcome = outcome, Reason = reason, Provider = "infojobs", ProviderOfferId = id, Title = title };

    [Fact]
    public void A_skipped_offer_is_named_by_id_title_and_input_position_with_its_reason()
    {
        var notices = new SkippedOfferNotices();

        Assert.Null(notices.Next(Result(IngestionOutcome.Inserted)));
        var named = notices.Next(Result(IngestionOutcome.SkippedNoIdentity, reason: "No company identity: no name."));
        var withoutId = notices.Next(Result(IngestionOutcome.SkippedInvalid, id: null, title: " "));

        Assert.Equal(("Offer of-1 'Tesorero' (input 2) was skipped: No company identity: no name.", true), named);
        Assert.Equal(("Input 3 was skipped: Title is missing or blank.", true), withoutId);
        Assert.Null(notices.Summary);
    }

    [Fact]
    public void Only_the_first_invalid_or_unidentifiable_offers_are_to_warn_about_and_the_rest_are_summed_up()
    {
        var notices = new SkippedOfferNotices(limit: 2);
        var warned = new List<bool>();
        foreach (var outcome in new[] { IngestionOutcome.SkippedInvalid, IngestionOutcome.SkippedResolved, IngestionOutcome.SkippedNoIdentity,
                     IngestionOutcome.SkippedInvalid, IngestionOutcome.SkippedNoIdentity, IngestionOutcome.SkippedInvalid })
            warned.Add(notices.Next(Result(outcome))!.Value.Warn);

        // A final resolution is ordinary: described (for a verbose line), never warned about nor counted.
        Assert.Equal([true, false, true, false, false, false], warned);
        Assert.Equal(2, notices.Named);
        Assert.Equal("3 more offer(s) were skipped and not named above (2 invalid, 1 without company identity).", notices.Summary);
    }

    [Fact]
    public void An_input_reported_elsewhere_counts_as_seen_but_is_neither_warned_about_nor_summed_up()
    {
        var notices = new SkippedOfferNotices(limit: 1);

        Assert.False(notices.Next(Result(IngestionOutcome.SkippedInvalid), reportedElsewhere: true)!.Value.Warn);
        var next = notices.Next(Result(IngestionOutcome.SkippedInvalid, id: null));

        Assert.Equal(("Input 2 'Tesorero' was skipped: Title is missing or blank.", true), next);
        Assert.Null(notices.Summary);
    }
}

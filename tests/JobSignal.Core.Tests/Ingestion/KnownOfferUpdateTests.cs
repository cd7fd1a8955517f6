using JobSignal.Core.Domain;
using JobSignal.Core.Ingestion;
using JobSignal.Core.Signal;
using JobSignal.Core.Store;

namespace JobSignal.Core.Tests.Ingestion;

/// <summary>The rule of <see cref="KnownOfferUpdate"/>, pure.</summary>
public class KnownOfferUpdateTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(-1, 0, true)]
    [InlineData(0, 0, false)]
    [InlineData(1, 0, false)]
    public void Only_a_version_updated_before_the_stored_one_is_older(int incomingDays, int storedDays, bool older)
    {
        Assert.Equal(older, KnownOfferUpdate.IsOlder(T.AddDays(incomingDays), T.AddDays(storedDays)));
    }

    [Fact]
    public void Without_both_dates_no_version_is_older()
    {
        Assert.False(KnownOfferUpdate.IsOlder(null, T));
        Assert.False(KnownOfferUpdate.IsOlder(T, null));
        Assert.False(KnownOfferUpdate.IsOlder(null, null));
    }

    [Fact]
    public void Text_the_input_lacks_or_leaves_blank_is_filled_from_the_stored_text_on_a_copy()
    {
        var incoming = new Offer { ProviderOfferId = "k1", Title = "Tesorero jefe", Description = " \n", Requirements = null };

        var filled = KnownOfferUpdate.WithStoredText(incoming, new StoredOfferText("Tesorero", "Pagos en USD", "Inglés"));

        Assert.NotNull(filled);
        Assert.Equal(("Tesorero jefe", "Pagos en USD", "Inglés"), (filled.Title, filled.Description, filled.Requirements));
        Assert.Equal((" \n", null), (incoming.Description, incoming.Requirements)); // the caller's object is untouched
        Assert.NotSame(incoming, filled);
    }

    [Fact]
    public void A_value_replaces_a_value_and_nothing_is_filled_when_nothing_is_missing_or_stored()
    {
        var complete = new Offer { Title = "T", Description = "Nueva", Requirements = "Nuevos" };
        Assert.Null(KnownOfferUpdate.WithStoredText(complete, new StoredOfferText("T", "Vieja", "Viejos")));

        var lacking = new Offer { Title = "T", Description = null, Requirements = "Nuevos" };
        Assert.Null(KnownOfferUpdate.WithStoredText(lacking, new StoredOfferText("T", null, "Viejos")));
        Assert.True(KnownOfferUpdate.LacksScoredText(lacking));
        Assert.False(KnownOfferUpdate.LacksScoredText(complete));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData(" \t", null)]
    [InlineData(" Madrid ", " Madrid ")]
    public void An_update_writes_nothing_for_a_blank_field(string? input, string? written)
    {
        Assert.Equal(written, KnownOfferUpdate.ValueOrNull(input));
    }
}

/// <summary>Known offers updated from inputs that lack fields, and from older versions, on a real store.</summary>
public sealed class KnownOfferUpdateIngestionTests : IngestionTestBase
{
    private static Offer Full(string id = "k1", DateTimeOffset? updated = null)
    {
        var offer = Offer(id, published: T0.AddDays(-3));
        offer.Requirements = "Inglés alto y experiencia con cobros en GBP.";
        offer.SalaryMin = "30000";
        offer.UpdatedAt = updated ?? T0.AddDays(-1);
        return offer;
    }

    /// <summary>The same offer as a trimmed object would give it: no description, requirements, dates or salary.</summary>
    private static Offer Trimmed(string id = "k1", string title = "Tesorero internacional", DateTimeOffset? updated = null)
    {
        var offer = Offer(id, title: title, description: null);
        offer.PublishedAt = null;
        offer.UpdatedAt = updated;
        offer.Province = "  ";
        return offer;
    }

    [Fact]
    public void An_input_without_description_requirements_or_dates_keeps_the_stored_ones_and_the_score()
    {
        Ingest([Full()]);
        var before = Store.Offers.Get(OfferIdOf("k1"))!;
        Assert.True(before.Score >= 6);
        Clock.Now += TimeSpan.FromDays(1);

        var (run, results) = Ingest([Trimmed()]);

        var after = Store.Offers.Get(before.OfferId)!;
        Assert.Equal((before.Description, before.Requirements, before.PublishedAt, before.UpdatedAt, before.Province, before.SalaryMin),
            (after.Description, after.Requirements, after.PublishedAt, after.UpdatedAt, after.Province, after.SalaryMin));
        Assert.Equal((before.Score, before.Fingerprint, before.MatchedAt), (after.Score, after.Fingerprint, after.MatchedAt));
        Assert.Equal(T0.AddDays(1), after.LastSeenAt);
        Assert.Equal("Known offer, unchanged: last seen updated.", Assert.Single(results).Reason);
        AssertRun(run, RunStatus.Success, received: 1, updated: 1, scored: 0);
    }

    [Fact]
    public void A_new_title_without_a_description_is_stored_and_scored_with_the_stored_description()
    {
        Ingest([Full()]);
        var id = OfferIdOf("k1");
        var stored = Store.Offers.Get(id)!;
        Clock.Now += TimeSpan.FromDays(1);

        var (run, results) = Ingest([Trimmed(title: "Responsable de tesorería", updated: T0)]);

        var after = Store.Offers.Get(id)!;
        Assert.Equal(("Responsable de tesorería", stored.Description, stored.Requirements, T0),
            (after.Title, after.Description, after.Requirements, after.UpdatedAt));
        // The score and the signature are those of the text now stored, not of the input's nothing.
        var expected = new OfferScorer(Catalog).Score(after.Title, after.Description, after.Requirements, "Acme Pagos S.L.");
        Assert.Equal(expected.Score, after.Score);
        Assert.Equal(expected.Score, Assert.Single(results).Score);
        Assert.True(after.Score >= 6);
        var signature = RepostDetector.BuildSignature(after.Title, after.Description);
        Assert.Equal(signature.Fingerprint, after.Fingerprint);
        Assert.Equal("Known offer, content changed: re-scored.", results[0].Reason);
        AssertRun(run, RunStatus.Success, received: 1, updated: 1, scored: 1);
    }

    [Fact]
    public void An_older_version_changes_no_field_and_no_score_and_only_counts_as_seen()
    {
        Ingest([Full(updated: T0)]);
        var id = OfferIdOf("k1");
        var before = Store.Offers.Get(id)!;
        Clock.Now += TimeSpan.FromDays(2);
        var older = Offer("k1", title: "Administrativo", description: PlainText, published: T0.AddDays(-10));
        older.UpdatedAt = T0.AddDays(-4);

        var (run, results) = Ingest([older]);

        var after = Store.Offers.Get(id)!;
        Assert.Equal((before.Title, before.Description, before.Requirements, before.PublishedAt, before.UpdatedAt, before.Fingerprint),
            (after.Title, after.Description, after.Requirements, after.PublishedAt, after.UpdatedAt, after.Fingerprint));
        Assert.Equal((before.Score, before.MatchedAt), (after.Score, after.MatchedAt));
        Assert.Equal(T0.AddDays(2), after.LastSeenAt);
        var result = Assert.Single(results);
        Assert.Equal(IngestionOutcome.Updated, result.Outcome);
        Assert.Contains("older version", result.Reason);
        Assert.Contains("the newer stored version is kept", result.Reason);
        AssertRun(run, RunStatus.Success, received: 1, updated: 1, scored: 0);

        // A newer version still replaces it.
        var newer = Offer("k1", title: "Administrativo", description: PlainText);
        newer.UpdatedAt = T0.AddDays(1);
        Ingest([newer]);
        Assert.Equal(("Administrativo", T0.AddDays(1)), (Store.Offers.Get(id)!.Title, Store.Offers.Get(id)!.UpdatedAt));
    }

    [Fact]
    public void Newer_then_older_of_one_id_within_one_chunk_keeps_the_newer()
    {
        var older = Offer("k1", title: "Administrativo", description: PlainText);
        older.UpdatedAt = T0.AddDays(-4);

        var (run, results) = Ingest([Full(updated: T0), older]);

        Assert.Equal([IngestionOutcome.Inserted, IngestionOutcome.Updated], results.Select(r => r.Outcome));
        Assert.Equal("Tesorero internacional", Store.Offers.Get(OfferIdOf("k1"))!.Title);
        AssertRun(run, RunStatus.Success, received: 2, inserted: 1, updated: 1);
    }

    [Fact]
    public void An_older_version_of_an_offer_without_a_match_scores_the_stored_text()
    {
        Ingest([Full(updated: T0)]);
        var id = OfferIdOf("k1");
        Execute($"DELETE FROM matches WHERE offer_id = {id}");
        var older = Offer("k1", title: "Administrativo", description: PlainText);
        older.UpdatedAt = T0.AddDays(-4);

        var (run, results) = Ingest([older]);

        var after = Store.Offers.Get(id)!;
        Assert.Equal("Tesorero internacional", after.Title);
        var expected = new OfferScorer(Catalog).Score(after.Title, after.Description, after.Requirements, "Acme Pagos S.L.");
        Assert.Equal(expected.Score, after.Score);
        Assert.Equal(expected.Score, Assert.Single(results).Score);
        Assert.Contains("It had no match: scored.", results[0].Reason);
        AssertRun(run, RunStatus.Success, received: 1, updated: 1, scored: 1);
    }
}

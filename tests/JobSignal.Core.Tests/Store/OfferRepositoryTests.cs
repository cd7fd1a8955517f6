using JobSignal.Core.Store;
using Microsoft.Data.Sqlite;

namespace JobSignal.Core.Tests.Store;

public class OfferRepositoryTests : StoreTestBase
{
    [Fact]
    public void Insert_stores_every_field_and_get_returns_it_with_utc_dates()
    {
        var company = AddCompany("Acme");
        var offer = NewOffer("abc");
        var id = Store.Offers.Insert(company, offer, Content(), T0);

        var stored = Store.Offers.Get(id)!;
        Assert.Equal((id, company, "Acme", "infojobs", "abc"), (stored.OfferId, stored.CompanyId, stored.CompanyName, stored.Provider, stored.ProviderOfferId));
        Assert.Equal((offer.Url, offer.Title, offer.Description, offer.Requirements), (stored.Url, stored.Title, stored.Description, stored.Requirements));
        Assert.Equal((offer.Province, offer.City, offer.Country, offer.Category, offer.Subcategory),
            (stored.Province, stored.City, stored.Country, stored.Category, stored.Subcategory));
        Assert.Equal((offer.ContractType, offer.WorkDay, offer.Experience), (stored.ContractType, stored.WorkDay, stored.Experience));
        Assert.Equal((offer.SalaryMin, offer.SalaryMax, offer.SalaryPeriod, offer.SalaryDescription, offer.Applications),
            (stored.SalaryMin, stored.SalaryMax, stored.SalaryPeriod, stored.SalaryDescription, stored.Applications));
        Assert.Equal(offer.PublishedAt, stored.PublishedAt);
        Assert.Equal(TimeSpan.Zero, stored.PublishedAt!.Value.Offset);
        Assert.Equal(new DateTimeOffset(2024, 4, 30, 11, 0, 0, TimeSpan.Zero), stored.UpdatedAt);
        Assert.Equal((T0, T0, "abc", 0, (long?)null, true), (stored.FirstSeenAt, stored.LastSeenAt, stored.LastSeenProviderOfferId, stored.RepostCount, stored.CanonicalOfferId, stored.IsCanonical));
        Assert.Equal(("fp1", "tesorero internacional", 4), (stored.Fingerprint, stored.NormalizedTitle, stored.DescriptionTokenCount));
        Assert.Equal(new byte[] { 1, 2, 3, 250 }, stored.ContentSignature);
        Assert.Null(stored.Score);
        Assert.Null(stored.Explanation);
        Assert.Null(Store.Offers.Get(id + 1));
    }

    [Fact]
    public void Reused_statements_bind_nulls_and_values_alike_inside_and_outside_a_write()
    {
        var company = AddCompany();
        var bare = Store.Offers.Insert(company, new JobSignal.Core.Domain.Offer { ProviderOfferId = "bare" }, new OfferContent(null, null, 0, null), T0);
        var full = Store.Write(() => AddOffer(company, "full"));
        var bareAgain = Store.Write(() => Store.Offers.Insert(company, new JobSignal.Core.Domain.Offer { ProviderOfferId = "bare2" }, new OfferContent(null, null, 0, null), T0));

        var stored = Store.Offers.Get(bare)!;
        Assert.Equal(((string?)null, (string?)null, (DateTimeOffset?)null, (int?)null, (byte[]?)null, (string?)null),
            (stored.Url, stored.Title, stored.PublishedAt, stored.Applications, stored.ContentSignature, stored.Fingerprint));
        Assert.Equal("Tesorero internacional", Store.Offers.Get(full)!.Title);
        Assert.Null(Store.Offers.Get(bareAgain)!.Title);
    }

    [Fact]
    public void Timestamps_are_stored_as_sortable_utc_text()
    {
        var id = AddOffer(AddCompany(), "abc", seenAt: new DateTimeOffset(2024, 1, 2, 3, 4, 5, 6, TimeSpan.FromHours(-5)));
        using var cmd = Store.Connection.CreateCommand();
        cmd.CommandText = "SELECT published_at, first_seen_at, typeof(first_seen_at) FROM offers WHERE id = $id";
        cmd.Parameters.AddWithValue("$id", id);
        using var reader = cmd.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal("2024-04-30T10:00:00.000Z", reader.GetString(0));
        Assert.Equal("2024-01-02T08:04:05.006Z", reader.GetString(1));
        Assert.Equal("text", reader.GetString(2));
    }

    [Fact]
    public void A_provider_offer_id_is_unique_per_provider()
    {
        var company = AddCompany();
        AddOffer(company, "abc");
        var ex = Assert.Throws<SqliteException>(() => AddOffer(company, "abc"));
        Assert.Equal(19, ex.SqliteErrorCode);
        var other = NewOffer("abc");
        other.Provider = "another-board";
        Assert.True(Store.Offers.Insert(company, other, Content(), T0) > 0);
    }

    [Fact]
    public void Find_knows_own_ids_and_repost_ids_in_one_call()
    {
        var company = AddCompany();
        var canonical = AddOffer(company, "a1");
        var plain = AddOffer(company, "a2");
        Store.Matches.Upsert(Match(plain, 3));
        Store.Offers.RegisterRepost(canonical, "infojobs", "r1", T0.AddDays(1));

        var known = Store.Offers.Find("infojobs", new[] { "a1", "a2", "r1", "new", "a1" });
        Assert.Equal(new[] { "a1", "a2", "r1" }, known.Keys.Order());
        Assert.Equal((canonical, false, false, "fp1"), (known["a1"].OfferId, known["a1"].IsRepost, known["a1"].HasMatch, known["a1"].Fingerprint));
        Assert.Equal((plain, false, true), (known["a2"].OfferId, known["a2"].IsRepost, known["a2"].HasMatch));
        Assert.Equal((canonical, true, company), (known["r1"].OfferId, known["r1"].IsRepost, known["r1"].CompanyId));
        Assert.Equal(new DateTimeOffset(2024, 4, 30, 11, 0, 0, TimeSpan.Zero), known["a1"].UpdatedAt);
        Assert.Empty(Store.Offers.Find("another-board", new[] { "a1" }));
    }

    [Fact]
    public void HasDetail_only_for_an_own_row_with_a_description_and_the_same_update_date()
    {
        var company = AddCompany();
        var detailed = AddOffer(company, "d1");
        Store.Offers.Insert(company, NewOffer("l1", description: null), Content("fp2"), T0); // from a list item
        Store.Offers.RegisterRepost(detailed, "infojobs", "r1", T0.AddDays(1));
        var updatedAt = NewOffer("d1").UpdatedAt!.Value;

        Assert.True(Store.Offers.HasDetail("infojobs", "d1", updatedAt));
        Assert.True(Store.Offers.HasDetail("infojobs", "d1", updatedAt.ToOffset(TimeSpan.Zero).AddTicks(3))); // same instant as stored
        Assert.False(Store.Offers.HasDetail("infojobs", "d1", updatedAt.AddMinutes(1)));
        Assert.False(Store.Offers.HasDetail("infojobs", "l1", updatedAt));
        Assert.False(Store.Offers.HasDetail("infojobs", "r1", updatedAt));
        Assert.False(Store.Offers.HasDetail("infojobs", "new", updatedAt));
        Assert.False(Store.Offers.HasDetail("another-board", "d1", updatedAt));
    }

    [Fact]
    public void Find_handles_more_ids_than_one_query_takes()
    {
        var company = AddCompany();
        Store.Write(() => { for (var i = 0; i < 1000; i++) AddOffer(company, "id" + i); });
        var known = Store.Offers.Find("infojobs", Enumerable.Range(0, 1200).Select(i => "id" + i));
        Assert.Equal(1000, known.Count);
    }

    [Fact]
    public void Update_refreshes_fields_and_moves_last_seen_forward_only()
    {
        var company = AddCompany();
        var id = AddOffer(company, "abc");
        var changed = NewOffer("abc", title: "Tesorero senior", description: "Cobros en GBP");
        changed.Applications = 40;
        // Only a value replaces a value: a field the update lacks (null or blank) keeps what is stored.
        changed.SalaryMax = null;
        changed.SalaryMin = "  ";
        changed.PublishedAt = null;
        Store.Offers.Update(id, changed, new OfferContent("fp2", "tesorero senior", 3, null), T0.AddDays(2));
        var stored = Store.Offers.Get(id)!;
        Assert.Equal(("Tesorero senior", "Cobros en GBP", 40), (stored.Title, stored.Description, stored.Applications));
        var original = NewOffer("abc");
        Assert.Equal((original.SalaryMax, original.SalaryMin, original.PublishedAt), (stored.SalaryMax, stored.SalaryMin, stored.PublishedAt));
        Assert.Equal(("fp2", "tesorero senior", 3, (byte[]?)null), (stored.Fingerprint, stored.NormalizedTitle, stored.DescriptionTokenCount, stored.ContentSignature));
        Assert.Equal((T0, T0.AddDays(2)), (stored.FirstSeenAt, stored.LastSeenAt));

        Store.Offers.Update(id, changed, new OfferContent("fp2", "tesorero senior", 3, null), T0.AddDays(1));
        Assert.Equal(T0.AddDays(2), Store.Offers.Get(id)!.LastSeenAt);
    }

    [Fact]
    public void A_repost_counts_once_per_new_provider_id_and_moves_last_seen()
    {
        var id = AddOffer(AddCompany(), "abc");
        Assert.True(Store.Offers.RegisterRepost(id, "infojobs", "r1", T0.AddDays(3)));
        Assert.True(Store.Offers.RegisterRepost(id, "infojobs", "r2", T0.AddDays(5)));
        // r1 seen again (a re-fetch): no new repost, last seen moves on.
        Assert.False(Store.Offers.RegisterRepost(id, "infojobs", "r1", T0.AddDays(6)));
        var stored = Store.Offers.Get(id)!;
        Assert.Equal((2, T0.AddDays(6), "r1"), (stored.RepostCount, stored.LastSeenAt, stored.LastSeenProviderOfferId));
        // An older sighting changes neither last seen nor the last provider id.
        Assert.True(Store.Offers.RegisterRepost(id, "infojobs", "r0", T0.AddDays(1)));
        stored = Store.Offers.Get(id)!;
        Assert.Equal((3, T0.AddDays(6), "r1"), (stored.RepostCount, stored.LastSeenAt, stored.LastSeenProviderOfferId));
    }

    [Fact]
    public void Repost_candidates_are_the_companys_canonical_offers_seen_in_the_window()
    {
        var acme = AddCompany("Acme");
        var other = AddCompany("Other");
        var old = AddOffer(acme, "old", seenAt: T0.AddDays(-200), fingerprint: "f-old");
        var recent = AddOffer(acme, "recent", seenAt: T0.AddDays(-10), fingerprint: "f-recent");
        var sameTitle = Store.Offers.Insert(acme, NewOffer("t"), new OfferContent("f-t", "jefe de tesoreria", 0, null), T0);
        AddOffer(other, "elsewhere", seenAt: T0, fingerprint: "f-recent");

        var candidates = Store.Offers.ListRepostCandidates(acme, T0.AddDays(-180));
        Assert.Equal(new[] { recent, sameTitle }, candidates.Select(c => c.OfferId));
        var first = candidates[0];
        Assert.Equal(("f-recent", "tesorero internacional", 4, T0.AddDays(-10)), (first.Fingerprint, first.NormalizedTitle, first.DescriptionTokenCount, first.LastSeenAt));
        Assert.Equal(new byte[] { 1, 2, 3, 250 }, first.ContentSignature);
        Assert.Equal(new[] { old, recent, sameTitle }, Store.Offers.ListRepostCandidates(acme, T0.AddDays(-365)).Select(c => c.OfferId));
    }

    [Fact]
    public void Aggregation_reads_canonical_offers_with_their_matches_by_company()
    {
        var a = AddCompany("A");
        var b = AddCompany("B");
        var a1 = AddOffer(a, "a1");
        var a2 = AddOffer(a, "a2");
        var b1 = AddOffer(b, "b1");
        AddOffer(AddCompany("C"), "c1");
        Store.Matches.Upsert(Match(a2, 8));
        Store.Offers.RegisterRepost(a1, "infojobs", "a1-again", T0.AddDays(1));

        var signals = Store.Offers.ListForAggregation(new[] { b, a });
        Assert.Equal(new[] { a1, a2, b1 }, signals.Select(s => s.OfferId));
        Assert.Equal((1, (int?)null, (string?)null), (signals[0].RepostCount, signals[0].Score, signals[0].ExplanationJson));
        Assert.Equal((8, "fx_payments", """{"hits":["USD"]}""", true),
            (signals[1].Score!.Value, signals[1].TopCategory, signals[1].ExplanationJson, signals[1].IsStrong));
        Assert.Equal([new JobSignal.Core.Aggregation.CategoryPoints("fx_payments", 4m)], MatchCategories.FromUtf8(signals[1].CategoryPointsUtf8));
        Assert.False(signals[0].IsStrong);
        Assert.Equal((a, "https://www.infojobs.net/madrid/tesorero/of-ia2", T0, T0), (signals[1].CompanyId, signals[1].Url, signals[1].FirstSeenAt, signals[1].LastSeenAt));
        Assert.NotNull(signals[1].PublishedAt);
        Assert.Empty(Store.Offers.ListForAggregation(Array.Empty<long>()));
    }

    [Fact]
    public void List_filters_orders_and_pages()
    {
        var a = AddCompany("A");
        var b = AddCompany("B");
        var weak = AddOffer(a, "weak", seenAt: T0);
        var strong = AddOffer(a, "strong", seenAt: T0.AddDays(1));
        var unscored = AddOffer(b, "unscored", seenAt: T0.AddDays(2));
        Store.Matches.Upsert(Match(weak, 2, "saas", """{"hits":[{"term":"Stripe"}]}"""));
        Store.Matches.Upsert(Match(strong, 9, categories: """{"fx_payments":4,"intl_trade":2.5,"proxy_stack":0}"""));

        IEnumerable<long> Ids(OfferFilter f) => Store.Offers.List(f).Select(o => o.OfferId);

        Assert.Equal(new[] { strong, weak, unscored }, Ids(new OfferFilter()));
        Assert.Equal(new[] { weak, strong, unscored }, Ids(new OfferFilter { OrderBy = OfferOrder.OfferId }));
        Assert.Equal(new[] { unscored }, Ids(new OfferFilter { Unscored = true }));
        Assert.Equal(new[] { strong }, Ids(new OfferFilter { MinScore = 6 }));
        Assert.Equal(new[] { weak }, Ids(new OfferFilter { Category = "saas" }));
        // Any category that earned points in the match, not only its top one.
        Assert.Equal(new[] { strong }, Ids(new OfferFilter { Category = "intl_trade" }));
        Assert.Equal(new[] { strong }, Ids(new OfferFilter { Category = "fx_payments" }));
        // Listed with 0 points (as stores written before they were left out may hold): it earned nothing.
        Assert.Empty(Ids(new OfferFilter { Category = "proxy_stack" }));
        Assert.Equal(new[] { weak }, Ids(new OfferFilter { Keyword = "stripe" }));
        Assert.Equal(new[] { strong, weak, unscored }, Ids(new OfferFilter { Keyword = "TESORERO" }));
        Assert.Equal(new[] { strong, unscored }, Ids(new OfferFilter { Since = T0.AddHours(1) }));
        Assert.Equal(new[] { unscored }, Ids(new OfferFilter { CompanyIds = new[] { b } }));
        Assert.Equal(new[] { weak }, Ids(new OfferFilter { OfferIds = new[] { weak } }));
        Assert.Equal(new[] { strong }, Ids(new OfferFilter { AfterOfferId = weak, Limit = 1, OrderBy = OfferOrder.OfferId }));

        var listed = Store.Offers.List(new OfferFilter { OfferIds = new[] { strong } }).Single();
        Assert.Equal((9, 9.25, true, "fx_payments", "2.1.0", """{"hits":["USD"]}""", T0),
            (listed.Score, listed.Raw, listed.IsStrong, listed.TopCategory, listed.CatalogVersion, listed.Explanation, listed.MatchedAt));
    }

    [Fact]
    public void Stream_leaves_out_an_offer_that_no_longer_matches_when_its_batch_is_read()
    {
        var company = AddCompany("A");
        var ids = Enumerable.Range(0, 4).Select(i => AddOffer(company, $"o{i}", seenAt: T0.AddMinutes(i))).ToList();
        foreach (var (id, score) in ids.Zip(new[] { 9, 8, 7, 6 })) Store.Matches.Upsert(Match(id, score));

        using var offers = Store.Offers.Stream(new OfferFilter { MinScore = 6 }, batchSize: 1).GetEnumerator();
        Assert.True(offers.MoveNext());
        Assert.Equal(ids[0], offers.Current.OfferId);
        // Re-scored by another process after the ids were read: 7 becomes 1.
        using (var other = SignalStore.Open(Store.Path)) other.Matches.Upsert(Match(ids[2], 1));
        var rest = new List<(long Id, int? Score)>();
        while (offers.MoveNext()) rest.Add((offers.Current.OfferId, offers.Current.Score));

        Assert.Equal([(ids[1], (int?)8), (ids[3], 6)], rest);
    }

    [Fact]
    public void Stream_keeps_the_order_across_batches_and_reads_each_batch_only_when_it_is_reached()
    {
        var company = AddCompany("A");
        var ids = Enumerable.Range(0, 7).Select(i => AddOffer(company, $"o{i}", seenAt: T0.AddMinutes(i))).ToList();
        foreach (var (id, score) in ids.Zip(new[] { 3, 9, 5, 9, 1, 7, 5 })) Store.Matches.Upsert(Match(id, score));
        var expected = Store.Offers.List().Select(o => o.OfferId).ToList();
        Assert.Equal(new[] { ids[3], ids[1], ids[5], ids[6], ids[2], ids[0], ids[4] }, expected);

        using var offers = Store.Offers.Stream(batchSize: 3).GetEnumerator();
        var seen = new List<long>();
        for (var i = 0; i < 3 && offers.MoveNext(); i++) seen.Add(offers.Current.OfferId);
        // Changed after the first batch was read: the offers of later batches are read as they are now.
        using (var cmd = Store.Connection.CreateCommand())
        {
            cmd.CommandText = $"UPDATE offers SET title = 'Retitled' WHERE id IN ({ids[6]}, {ids[3]})";
            cmd.ExecuteNonQuery();
        }
        var rest = new List<(long Id, string? Title)>();
        while (offers.MoveNext()) rest.Add((offers.Current.OfferId, offers.Current.Title));
        Assert.Equal(expected, seen.Concat(rest.Select(o => o.Id)));
        Assert.Equal("Retitled", rest[0].Title);
        Assert.Empty(Store.Offers.Stream(new OfferFilter { MinScore = 10 }, batchSize: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Store.Offers.Stream(batchSize: 0).ToList());
    }

    [Fact]
    public void Keyword_finds_titles_and_what_the_hits_found_never_field_names_ids_or_negated_hits()
    {
        var company = AddCompany();
        var usd = AddOffer(company, "usd");
        var stripe = AddOffer(company, "stripe");
        var unscored = AddOffer(company, "unscored");
        var damaged = AddOffer(company, "damaged");
        Store.Matches.Upsert(Match(usd, 8, explanation: """
            {"format":2,"score":8,"strong":true,"topCategory":"cat_fx","hits":[{"kind":"keyword","id":"kw_usd","term":"USD",
             "alias":"dólares","field":"description","text":"DÓLARES","evidence":"…cobros en DÓLARES y libras…"}]}
            """));
        Store.Matches.Upsert(Match(stripe, 4, explanation: """
            {"format":2,"score":4,"hits":[{"kind":"keyword","term":"Stripe","alias":"stripe","text":"Stripe","evidence":"…pasarela Stripe…"}],
             "negatedHits":[{"kind":"keyword","term":"SWIFT","alias":"swift","text":"SWIFT","evidence":"…sin SWIFT…"}]}
            """));
        Store.Matches.Upsert(Match(damaged, 2, explanation: "USD, not JSON"));
        // The USD hit's evidence holds the negated SWIFT and the excluded Stripe (the employer's own name) of the same offer.
        var nearby = AddOffer(company, "nearby");
        Store.Matches.Upsert(Match(nearby, 6, explanation: """
            {"format":2,"score":6,"hits":[{"kind":"keyword","term":"USD","alias":"usd","text":"USD","evidence":"No se requiere SWIFT. En Stripe cobros en USD con Xero."}],
             "negatedHits":[{"kind":"keyword","term":"SWIFT","alias":"swift","text":"SWIFT","evidence":"No se requiere SWIFT. En Stripe cobros en USD con Xero."}],
             "excludedHits":[{"kind":"keyword","term":"Stripe","alias":"stripe","text":"Stripe","evidence":"No se requiere SWIFT. En Stripe cobros en USD con Xero."}]}
            """));

        IEnumerable<long> Ids(string keyword) => Store.Offers.List(new OfferFilter { Keyword = keyword }).Select(o => o.OfferId);

        Assert.Equal(new[] { usd, nearby }, Ids("usd"));
        Assert.Equal(new[] { nearby }, Ids("xero"));  // the sentence around a counted hit
        Assert.Equal(new[] { nearby }, Ids("SWIF"));  // only the whole negated mention is vetoed, not text that contains part of it
        Assert.Equal(new[] { usd }, Ids("Dólares"));
        Assert.Equal(new[] { usd }, Ids("libras"));
        Assert.Equal(new[] { stripe }, Ids("STRIPE"));
        Assert.Equal(new[] { usd, nearby, stripe, damaged, unscored }, Ids("tesorero"));  // every title, unscored or not
        Assert.Empty(Ids("swift"));
        foreach (var structure in new[] { "score", "strong", "true", "kw_usd", "cat_fx", "keyword", "description", "8" })
            Assert.Empty(Ids(structure));
    }

    [Fact]
    public void Id_filters_take_lists_longer_than_sqlite_takes_parameters_and_either_ids_joins_them()
    {
        var a = AddCompany("A");
        var b = AddCompany("B");
        var a1 = AddOffer(a, "a1");
        var a2 = AddOffer(a, "a2");
        var b1 = AddOffer(b, "b1");
        var many = Enumerable.Range(1, 40_000).Select(i => (long)i * 7).Append(a2).ToArray();

        IEnumerable<long> Ids(OfferFilter f) => Store.Offers.List(f with { OrderBy = OfferOrder.OfferId }).Select(o => o.OfferId);

        Assert.Equal(new[] { a2 }, Ids(new OfferFilter { OfferIds = many.Where(id => id != a1 && id != b1).ToArray() }));
        Assert.Equal(new[] { a2 }, Ids(new OfferFilter { OfferIds = new[] { a2, b1 }, CompanyIds = new[] { a } }));
        Assert.Equal(new[] { a1, a2, b1 }, Ids(new OfferFilter { OfferIds = new[] { b1 }, CompanyIds = new[] { a }, EitherIds = true }));
        Assert.Equal(new[] { b1 }, Ids(new OfferFilter { CompanyIds = new[] { b }, EitherIds = true }));
    }
}

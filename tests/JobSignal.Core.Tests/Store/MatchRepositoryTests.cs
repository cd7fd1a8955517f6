using Microsoft.Data.Sqlite;

namespace JobSignal.Core.Tests.Store;

public class MatchRepositoryTests : StoreTestBase
{
    [Fact]
    public void Upsert_keeps_one_match_per_offer_and_replaces_it()
    {
        var company = AddCompany();
        var offer = AddOffer(company, "abc");
        Store.Matches.Upsert(Match(offer, 4, "saas"));
        Store.Matches.Upsert(Match(offer, 7) with { CatalogVersion = "2.2.0", MatchedAt = T0.AddDays(1) });

        var match = Store.Matches.Get(offer)!;
        Assert.Equal((offer, 7, 7.25, true, "fx_payments", "2.2.0", """{"hits":["USD"]}""", T0.AddDays(1)),
            (match.OfferId, match.Score, match.Raw, match.IsStrong, match.TopCategory, match.CatalogVersion, match.ExplanationJson, match.MatchedAt));
        Assert.Equal(1L, Store.Connection.ExecuteScalarLong("SELECT count(*) FROM matches"));
    }

    [Fact]
    public void A_match_needs_an_existing_offer_and_a_score_from_0_to_10()
    {
        var offer = AddOffer(AddCompany(), "abc");
        Assert.Equal(19, Assert.Throws<SqliteException>(() => Store.Matches.Upsert(Match(offer + 1, 5))).SqliteErrorCode);
        Assert.Equal(19, Assert.Throws<SqliteException>(() => Store.Matches.Upsert(Match(offer, 11))).SqliteErrorCode);
        Assert.Null(Store.Matches.Get(offer));
    }

    [Fact]
    public void List_returns_the_matches_of_the_offers_that_have_one()
    {
        var company = AddCompany();
        var a = AddOffer(company, "a");
        var b = AddOffer(company, "b");
        var c = AddOffer(company, "c");
        Store.Matches.Upsert(Match(c, 1));
        Store.Matches.Upsert(Match(a, 2));
        Assert.Equal(new[] { a, c }, Store.Matches.List(new[] { c, b, a }).Select(m => m.OfferId));
    }
}

internal static class ConnectionExtensions
{
    public static long ExecuteScalarLong(this SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}

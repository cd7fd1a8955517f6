using JobSignal.Core.Common;
using JobSignal.Core.Signal;
using JobSignal.Core.Store;
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
    public void Evidence_terms_are_stored_with_the_match_and_replaced_with_it()
    {
        var offer = AddOffer(AddCompany(), "abc");
        EvidenceTerm[] terms = [new("USD", 4m), new("pagos internacionales", 2.5m), new("Cobros en €, \"ñ\"", 0.75m)];
        Store.Matches.Upsert(Match(offer, 7) with { EvidenceJson = MatchEvidence.ToJson(terms) });

        Assert.Equal(terms, Store.Matches.Get(offer)!.Evidence);
        Assert.Equal(terms, Store.Matches.List([offer]).Single().Evidence);

        Store.Matches.Upsert(Match(offer, 7));
        Assert.Null(Store.Matches.Get(offer)!.EvidenceJson);
        Assert.Null(Store.Matches.Get(offer)!.Evidence);
        Assert.Equal(1L, Store.Connection.ExecuteScalarLong("SELECT count(*) FROM matches WHERE evidence_json IS NULL"));
    }

    [Fact]
    public void Evidence_json_has_a_fixed_layout_and_reads_back_what_was_written()
    {
        Assert.Equal("""[{"term":"USD","points":4},{"term":"pagos internacionales","points":2.5}]""",
            MatchEvidence.ToJson([new EvidenceTerm("USD", 4m), new EvidenceTerm("pagos internacionales", 2.5m)]));
        Assert.Equal("[]", MatchEvidence.ToJson([]));
        Assert.Empty(MatchEvidence.FromJson("[]"));
        // Properties in any order, unknown ones skipped: what a later layout may add does not break this reader.
        Assert.Equal([new EvidenceTerm("AWS", 0.5m)], MatchEvidence.FromJson("""[{"points":0.5,"extra":{"a":[1]},"term":"AWS"}]"""));
        // Aggregation reads the terms and their points straight from the column's UTF-8.
        var json = MatchEvidence.ToJson([new EvidenceTerm("Divisa €", 4m), new EvidenceTerm("\"SWIFT\"", 1.25m)]);
        Assert.Equal([new EvidenceTerm("Divisa €", 4m), new EvidenceTerm("\"SWIFT\"", 1.25m)],
            MatchEvidence.FromUtf8(System.Text.Encoding.UTF8.GetBytes(json)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("[{\"term\":\"USD\"}]")]
    [InlineData("[{\"term\":\"USD\",\"points\":\"4\"}]")]
    [InlineData("[{\"term\":\"USD\",\"points\":4}")]
    [InlineData("[\"USD\"]")]
    public void Evidence_json_that_is_not_evidence_is_refused_with_the_explanation_error_id(string json)
    {
        var ex = Assert.Throws<JobSignalException>(() => MatchEvidence.FromJson(json));
        Assert.Equal((SignalScoreJson.InvalidErrorId, FailureKind.InvalidData), (ex.ErrorId, ex.Kind));
        var fromUtf8 = Assert.Throws<JobSignalException>(() => MatchEvidence.FromUtf8(System.Text.Encoding.UTF8.GetBytes(json)));
        Assert.Equal(SignalScoreJson.InvalidErrorId, fromUtf8.ErrorId);
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

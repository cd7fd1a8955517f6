using JobSignal.Core.Common;
using JobSignal.Core.Signal;

namespace JobSignal.Core.Tests.Signal;

public class SignalScoreJsonTests
{
    private static SignalScore Fx(string name)
    {
        var (title, description) = SignalTestData.Golden(name);
        return SignalTestData.DefaultScorer.Score(title, description);
    }

    [Fact]
    public void Round_trips_the_whole_explanation()
    {
        var score = Fx("fx01_strong_usd_signal") with { OfferId = 17, ProviderOfferId = "fx01" };
        var json = SignalScoreJson.Serialize(score);
        var back = SignalScoreJson.Deserialize(json);

        Assert.Contains("\"offerId\":17,\"providerOfferId\":\"fx01\",", json);
        Assert.Equal((score.Score, score.Raw, score.Strong, score.FxCore, score.TopCategory, score.OfferId, score.ProviderOfferId, score.CatalogVersion),
            (back.Score, back.Raw, back.Strong, back.FxCore, back.TopCategory, back.OfferId, back.ProviderOfferId, back.CatalogVersion));
        Assert.Equal(score.Buckets, back.Buckets);
        Assert.Equal(score.Synergy, back.Synergy);
        Assert.Equal(score.Hits, back.Hits);
        Assert.Equal(score.Categories.Select(c => (c.Id, c.Bucket, c.Points, c.Hit)), back.Categories.Select(c => (c.Id, c.Bucket, c.Points, c.Hit)));
        Assert.Equal(score.Phrases.Select(p => (p.Id, p.Points, p.Hit)), back.Phrases.Select(p => (p.Id, p.Points, p.Hit)));
        Assert.Equal(score.Evidence, back.Evidence);
        Assert.Equal((score.SynergyUncapped, score.SynergyMax, score.FxCoreThreshold, score.MaxScore),
            (back.SynergyUncapped, back.SynergyMax, back.FxCoreThreshold, back.MaxScore));
        Assert.Equal(score.Explanation, back.Explanation);
    }

    [Fact]
    public void Writes_catalog_text_the_same_whether_encoded_before_or_not()
    {
        // Catalog text is encoded once per string instance and thread: the same text in other instances (as read back
        // from a store) must come out the same, unescaped beyond what JSON needs.
        SignalHit Hit(string term) => new()
        {
            Id = "kw_tecnología", Term = term, Alias = "pagos \"cross\" border", Field = SignalField.Description, Position = 3,
            Text = "tecnología", Evidence = "…de tecnología…",
        };
        var score = new SignalScore { CatalogVersion = "2.4.0", Hits = [Hit("Tecnología")] };
        var copy = new SignalScore { CatalogVersion = new string("2.4.0".AsSpan()), Hits = [Hit(new string("Tecnología".AsSpan()))] };

        var first = SignalScoreJson.Serialize(score);
        Assert.Equal(first, SignalScoreJson.Serialize(score));
        Assert.Equal(first, SignalScoreJson.Serialize(copy));
        Assert.Contains("\"term\":\"Tecnología\",\"alias\":\"pagos \\\"cross\\\" border\"", first);
        Assert.Contains("\"id\":\"kw_tecnología\"", first);
    }

    [Fact]
    public void Writes_missing_catalog_text_of_an_explanation_read_back_as_null()
    {
        // An explanation read back from a store may lack what a computed one always has.
        var hit = new SignalHit { Id = null!, Term = "USD", Alias = null!, Field = SignalField.Title, Position = 0 };
        var score = new SignalScore { CatalogVersion = null!, Hits = [hit] };

        var json = SignalScoreJson.Serialize(score);

        Assert.Equal(json, SignalScoreJson.Serialize(score));
        Assert.Contains("\"catalogVersion\":null", json);
        Assert.Contains("\"id\":null", json);
        Assert.Contains("\"alias\":null", json);
    }

    [Fact]
    public void Round_trips_negated_hits()
    {
        var score = Fx("fx02_negation_aws");
        var back = SignalScoreJson.Deserialize(SignalScoreJson.Serialize(score));
        Assert.Equal(score.NegatedHits, back.NegatedHits);
    }

    [Fact]
    public void Writes_camel_case_names_and_enum_strings_without_nulls()
    {
        var json = SignalScoreJson.Serialize(Fx("fx02_negation_aws"));
        Assert.StartsWith("{\"format\":2,\"catalogVersion\":\"2.4.0\",", json);
        Assert.Contains("\"field\":\"description\"", json);
        Assert.Contains("\"kind\":\"keyword\"", json);
        Assert.Contains("\"negationCue\":\"no\"", json);
        Assert.DoesNotContain("null", json);
        // Computed properties are not stored.
        Assert.DoesNotContain("\"evidence\":\"Azure", json);
        Assert.DoesNotContain("\"counts\"", json);
        Assert.DoesNotContain("\"explanation\"", json);
    }

    [Fact]
    public void Writes_each_hit_once_and_refers_to_it_from_its_contribution()
    {
        var score = Fx("fx01_strong_usd_signal");
        var json = SignalScoreJson.Serialize(score);
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var root = document.RootElement;
        var winning = score.Categories[0].Hit;
        var reference = root.GetProperty("categories")[0].GetProperty("hit");
        Assert.Equal(["id", "field", "position"], reference.EnumerateObject().Select(p => p.Name));
        Assert.Equal(winning.Id, reference.GetProperty("id").GetString());
        Assert.Equal(winning.Position, reference.GetProperty("position").GetInt32());
        // Every evidence snippet is stored once, in "hits" (plus negated and excluded ones), never again in a contribution.
        var snippets = score.Hits.Concat(score.NegatedHits).Concat(score.ExcludedHits).Count();
        Assert.Equal(snippets, json.Split("\"evidence\":").Length - 1);
        // False flags are left out; the text is UTF-8, not \u-escaped.
        Assert.DoesNotContain("\"negated\":false", json);
        Assert.DoesNotContain("\\u00", json);
    }

    [Fact]
    public void Reads_format_1_with_the_winning_hits_written_in_full()
    {
        var score = Fx("fx01_strong_usd_signal");
        var formatOne = System.Text.Json.JsonSerializer.Serialize(score with { Format = 1 }, new System.Text.Json.JsonSerializerOptions
        {
            PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
            Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase) },
        });
        Assert.StartsWith("{\"format\":1,", formatOne);
        Assert.Contains("\"negated\":false", formatOne);

        var back = SignalScoreJson.Deserialize(formatOne);

        Assert.Equal(1, back.Format);
        Assert.Equal(score.Hits, back.Hits);
        Assert.Equal(score.Categories.Select(c => (c.Id, c.Points, c.Hit)), back.Categories.Select(c => (c.Id, c.Points, c.Hit)));
        Assert.Equal(score.Evidence, back.Evidence);
        Assert.Equal(score.Explanation, back.Explanation);
    }

    [Fact]
    public void Rejects_a_contribution_that_names_a_hit_it_does_not_list()
    {
        var json = SignalScoreJson.Serialize(Fx("fx01_strong_usd_signal"));
        var damaged = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        damaged["hits"] = new System.Text.Json.Nodes.JsonArray();

        var ex = Assert.Throws<JobSignalException>(() => SignalScoreJson.Deserialize(damaged.ToJsonString()));

        Assert.Equal(SignalScoreJson.InvalidErrorId, ex.ErrorId);
        Assert.Contains("does not list", ex.Message);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("{\"format\":99}")]
    [InlineData("{\"format\":3}")]
    [InlineData("{\"score\":\"ten\"}")]
    public void Rejects_what_is_not_an_explanation(string json)
    {
        var ex = Assert.Throws<JobSignalException>(() => SignalScoreJson.Deserialize(json));
        Assert.Equal(SignalScoreJson.InvalidErrorId, ex.ErrorId);
    }
}

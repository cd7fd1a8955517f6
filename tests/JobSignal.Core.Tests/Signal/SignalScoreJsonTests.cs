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
        var score = Fx("fx01_strong_usd_signal") with { OfferId = "fx01" };
        var back = SignalScoreJson.Deserialize(SignalScoreJson.Serialize(score));

        Assert.Equal((score.Score, score.Raw, score.Strong, score.FxCore, score.TopCategory, score.OfferId, score.CatalogVersion),
            (back.Score, back.Raw, back.Strong, back.FxCore, back.TopCategory, back.OfferId, back.CatalogVersion));
        Assert.Equal(score.Buckets, back.Buckets);
        Assert.Equal(score.Synergy, back.Synergy);
        Assert.Equal(score.Hits, back.Hits);
        Assert.Equal(score.Categories.Select(c => (c.Id, c.Bucket, c.Points, c.Hit)), back.Categories.Select(c => (c.Id, c.Bucket, c.Points, c.Hit)));
        Assert.Equal(score.Phrases.Select(p => (p.Id, p.Points, p.Hit)), back.Phrases.Select(p => (p.Id, p.Points, p.Hit)));
        Assert.Equal(score.Evidence, back.Evidence);
        Assert.Equal(score.Explanation, back.Explanation);
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
        Assert.StartsWith("{\"format\":1,\"catalogVersion\":\"2.1.0\",", json);
        Assert.Contains("\"field\":\"description\"", json);
        Assert.Contains("\"kind\":\"keyword\"", json);
        Assert.Contains("\"negationCue\":\"no\"", json);
        Assert.DoesNotContain("null", json);
        // Computed properties are not stored.
        Assert.DoesNotContain("\"evidence\":\"Azure", json);
        Assert.DoesNotContain("\"counts\"", json);
        Assert.DoesNotContain("\"explanation\"", json);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("{\"format\":99}")]
    [InlineData("{\"score\":\"ten\"}")]
    public void Rejects_what_is_not_an_explanation(string json)
    {
        var ex = Assert.Throws<JobSignalException>(() => SignalScoreJson.Deserialize(json));
        Assert.Equal(SignalScoreJson.InvalidErrorId, ex.ErrorId);
    }
}

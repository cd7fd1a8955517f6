using System.Text.Json;
using JobSignal.Core.Aggregation;
using JobSignal.Core.Store;

namespace JobSignal.Core.Tests.Store;

public class ScoreMapTests
{
    public static TheoryData<Dictionary<string, decimal>> Maps => new()
    {
        new Dictionary<string, decimal>(),
        new Dictionary<string, decimal> { ["cat_fx"] = 6m },
        new Dictionary<string, decimal> { ["cat_saas"] = 2.50m, ["cat_fx"] = 6m, ["cat_tesorería"] = 2.5m, ["a\"<b>"] = -1.25m },
        new Dictionary<string, decimal> { ["b"] = 3m, ["a"] = 3m, ["C"] = 3m, ["é"] = 0m },
    };

    [Theory]
    [MemberData(nameof(Maps))]
    public void Writes_what_the_serializer_writes_for_the_ranked_map(Dictionary<string, decimal> scores)
    {
        // The text stored before the map was written by hand, the serializer's: existing stores hold it.
        var ranked = scores.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(JsonSerializer.Serialize(ranked), ScoreMap.ToJson(scores));
    }

    [Fact]
    public void Writes_a_companys_categories_most_first_and_ties_by_name()
    {
        CategoryMaxScore[] categories = [new("cat_saas", 2.5m, 40), new("cat_fx", 6m, 85), new("cat_b2b", 2.5m, 90)];

        Assert.Equal("""{"cat_fx":6,"cat_b2b":2.5,"cat_saas":2.5}""", ScoreMap.ToJson(categories, c => c.Points));
        Assert.Equal("""{"cat_b2b":90,"cat_fx":85,"cat_saas":40}""", ScoreMap.ToJson(categories, c => c.OfferScore));
        Assert.Null(ScoreMap.ToJson(null));
    }

    [Theory]
    [MemberData(nameof(Maps))]
    public void Reads_back_what_it_wrote_most_first(Dictionary<string, decimal> scores)
    {
        var read = ScoreMap.FromJson(ScoreMap.ToJson(scores));

        Assert.Equal(scores.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key), read.Keys);
        Assert.All(scores, p => Assert.Equal(p.Value, read[p.Key]));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("null")]
    [InlineData("{}")]
    public void Reads_nothing_as_an_empty_map(string? json) => Assert.Empty(ScoreMap.FromJson(json));

    [Fact]
    public void Reads_a_repeated_category_as_its_last_value_like_the_serializer()
    {
        var read = ScoreMap.FromJson("""{"cat_fx":1,"cat_saas":2,"cat_fx":6}""");
        Assert.Equal(["cat_fx", "cat_saas"], read.Keys);
        Assert.Equal(6m, read["cat_fx"]);
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("""{"cat_fx":"6"}""")]
    [InlineData("""{"cat_fx":{"points":6}}""")]
    [InlineData("""{"cat_fx":6""")]
    [InlineData("""{"cat_fx":6} {}""")]
    [InlineData("6")]
    [InlineData("""{"cat_fx":1e400}""")]
    public void Rejects_text_that_is_not_an_object_of_numbers(string json) =>
        Assert.ThrowsAny<JsonException>(() => ScoreMap.FromJson(json));
}

using System.Text;
using JobSignal.Core.Signal;

namespace JobSignal.Core.Tests.Signal;

/// <summary>Hostile or broken text: never a crash or a hang, and a sensible score.</summary>
public class BadInputTests
{
    private static readonly OfferScorer Scorer = SignalTestData.DefaultScorer;

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \t\r\n ")]
    [InlineData("...,;;--__//")]
    public void Scores_empty_text_as_zero(string? text)
    {
        var score = Scorer.Score(text, text, text);
        Assert.Equal(0, score.Score);
        Assert.Empty(score.Hits);
    }

    [Fact]
    public void Scores_a_megabyte_of_offer_text()
    {
        var builder = new StringBuilder();
        var random = new Random(7);
        string[] words = ["gestión", "de", "pagos", "equipo", "AWS", "no", "clientes", "internacionales", "USD", "https://stripe.com/x", "a@b.com", "U.S.", "$10K", "EE.UU."];
        while (builder.Length < 1 << 20) builder.Append(words[random.Next(words.Length)]).Append(' ');
        var score = Scorer.Score("Título", builder.ToString());
        Assert.Equal(10, score.Score);
        Assert.InRange(score.Hits.Count + score.NegatedHits.Count, 1000, int.MaxValue);
        Assert.NotEmpty(SignalScoreJson.Serialize(score));
    }

    [Theory]
    [InlineData("://")]
    [InlineData("@")]
    [InlineData("a@")]
    [InlineData("www.")]
    [InlineData("u.s.")]
    [InlineData("$")]
    [InlineData("x")]
    public void Survives_a_megabyte_of_one_repeated_pattern(string pattern)
    {
        var text = new StringBuilder().Insert(0, pattern, (1 << 20) / pattern.Length).ToString();
        var score = Scorer.Score(null, text + " USD");
        Assert.InRange(score.Score, 0, 10);
    }

    [Fact]
    public void Treats_control_characters_as_separators()
    {
        var score = Scorer.Score(null, "\u0001USD\u0002pagos\u0000internacionales\u001B");
        Assert.Contains(score.Hits, h => h.Id == "kw_usd_currency");
        Assert.Contains(score.Hits, h => h.Id == "kw_international_payments");
        Assert.DoesNotContain(score.Hits.SelectMany(h => h.Evidence), char.IsControl);
    }

    [Fact]
    public void Treats_lone_surrogates_as_separators_and_keeps_the_json_valid()
    {
        var score = Scorer.Score(null, "\uD800USD\uDC00 google\uDBFFcloud");
        Assert.Contains(score.Hits, h => h.Id == "kw_usd_currency");
        var gcp = Assert.Single(score.Hits, h => h.Id == "kw_gcp");
        Assert.Equal("google\uFFFDcloud", gcp.Text);
        var back = SignalScoreJson.Deserialize(SignalScoreJson.Serialize(score));
        Assert.Equal(score.Hits.Count, back.Hits.Count);
    }
}

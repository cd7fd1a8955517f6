using JobSignal.Core.Catalog;
using JobSignal.Core.Signal;

namespace JobSignal.Core.Tests.Signal;

/// <summary>The golden cases of SPEC 5.3 with the contributions the spec implies.</summary>
public class GoldenOfferTests
{
    private static SignalScore ScoreGolden(string name)
    {
        var (title, description) = SignalTestData.Golden(name);
        return SignalTestData.DefaultScorer.Score(title, description);
    }

    private static BucketScore Bucket(SignalScore score, string bucket) => score.Buckets.Single(b => b.Bucket == bucket);

    [Theory]
    [InlineData("fx01_strong_usd_signal", 10)]
    [InlineData("fx02_negation_aws", 1)]
    [InlineData("fx03_url_only_stripe", 0)]
    [InlineData("fx04_word_boundary", 0)]
    [InlineData("fx05_phrase_boost_fx", 10)]
    public void Golden_offers_get_the_spec_scores(string name, int expected)
    {
        Assert.Equal(expected, ScoreGolden(name).Score);
    }

    [Fact]
    public void Fx01_adds_usd_international_customers_capped_proxies_phrase_and_synergy()
    {
        var score = ScoreGolden("fx01_strong_usd_signal");

        Assert.Equal(4.0m, Bucket(score, SignalBuckets.DirectFx).Capped);
        Assert.Equal(2.5m, Bucket(score, SignalBuckets.IntlFootprint).Capped);
        Assert.Equal(0m, Bucket(score, SignalBuckets.BusinessModel).Capped);
        // Google Ads in the title (1.0 x 1.5) + AWS (1.0) + Stripe (1.0), capped at 1.5.
        Assert.Equal(3.5m, Bucket(score, SignalBuckets.TechProxy).Uncapped);
        Assert.Equal(1.5m, Bucket(score, SignalBuckets.TechProxy).Capped);
        Assert.Equal(2.0m, score.PhrasePoints);
        Assert.Equal("phrase_usd", Assert.Single(score.Phrases).Id);
        Assert.Equal(1.0m, score.SynergyPoints);
        Assert.True(score.FxCore);
        Assert.False(score.GuardApplied);
        Assert.Equal(11.0m, score.Raw);
        Assert.True(score.Strong);
        Assert.Equal("cat_fx_currency_ops", score.TopCategory);

        var growth = score.Categories.Single(c => c.Id == "cat_proxy_growth_stack");
        Assert.Equal(SignalField.Title, growth.Hit.Field);
        Assert.Equal(1.5m, growth.Points);
        var usd = score.Categories.Single(c => c.Id == "cat_fx_currency_ops").Hit;
        Assert.Equal("USD", usd.Text);
        Assert.Contains("We invoice in USD", usd.Evidence);
        Assert.Empty(score.NegatedHits);
    }

    [Fact]
    public void Fx02_drops_the_negated_aws_and_keeps_azure()
    {
        var score = ScoreGolden("fx02_negation_aws");

        var negated = Assert.Single(score.NegatedHits);
        Assert.Equal("kw_aws", negated.Id);
        Assert.Equal("no", negated.NegationCue);
        Assert.Equal(-3, negated.NegationDistance);
        var cloud = Assert.Single(score.Categories);
        Assert.Equal("kw_azure", cloud.Hit.Id);
        Assert.Equal(1.0m, score.Raw);
        Assert.False(score.FxCore);
        Assert.Equal("cat_proxy_cloud_stack", score.TopCategory);
    }

    [Fact]
    public void Fx03_never_matches_stripe_inside_the_url()
    {
        var score = ScoreGolden("fx03_url_only_stripe");

        Assert.Empty(score.Hits);
        Assert.Empty(score.NegatedHits);
        Assert.Equal(0m, score.Raw);
        Assert.Null(score.TopCategory);
    }

    [Fact]
    public void Fx04_never_matches_aws_inside_awsome()
    {
        var score = ScoreGolden("fx04_word_boundary");

        Assert.Empty(score.Hits);
        Assert.Equal(0, score.Score);
    }

    [Fact]
    public void Fx05_caps_direct_fx_at_7_and_business_at_2_5_with_three_phrases_and_business_synergy()
    {
        var score = ScoreGolden("fx05_phrase_boost_fx");

        // multidivisa (currency ops 4.0) + pagos internacionales (cross-border 4.0).
        Assert.Equal(8.0m, Bucket(score, SignalBuckets.DirectFx).Uncapped);
        Assert.Equal(7.0m, Bucket(score, SignalBuckets.DirectFx).Capped);
        // "Finance Operations" in the title: 2.5 x 1.5.
        Assert.Equal(3.75m, Bucket(score, SignalBuckets.BusinessModel).Uncapped);
        Assert.Equal(2.5m, Bucket(score, SignalBuckets.BusinessModel).Capped);
        Assert.Equal(0m, Bucket(score, SignalBuckets.IntlFootprint).Capped);
        Assert.Equal(new[] { "phrase_multicurrency", "phrase_international_payments", "phrase_forex" },
            score.Phrases.Select(p => p.Id).ToArray());
        Assert.Equal(6.0m, score.PhrasePoints);
        Assert.Equal(0.8m, score.SynergyPoints);
        Assert.Equal(new[] { false, true }, score.Synergy.Select(s => s.Applied).ToArray());
        Assert.Equal(16.3m, score.Raw);
        Assert.Equal(10, score.Score);
        // Currency ops and cross-border both have 4.0: the first in catalog order wins.
        Assert.Equal("cat_fx_currency_ops", score.TopCategory);
    }
}

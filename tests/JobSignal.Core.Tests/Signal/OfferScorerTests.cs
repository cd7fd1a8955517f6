using JobSignal.Core.Catalog;
using JobSignal.Core.Domain;
using JobSignal.Core.Signal;

namespace JobSignal.Core.Tests.Signal;

/// <summary>The worked numbers of SPEC 5.3 beyond the golden cases.</summary>
public class OfferScorerTests
{
    private static readonly OfferScorer Default = SignalTestData.DefaultScorer;

    private static BucketScore Bucket(SignalScore score, string bucket) => score.Buckets.Single(b => b.Bucket == bucket);

    /// <summary>"USD" alone scores exactly the tier 3 weight: the phrase weighs nothing.</summary>
    private static OfferScorer UsdWorth(decimal points) => SignalTestData.ScorerWith(c =>
    {
        c.Scoring.TierWeights[3] = points;
        c.Scoring.PhraseTierWeights[3] = 0m;
        c.Scoring.BucketCaps[SignalBuckets.DirectFx] = 20m;
    });

    [Theory]
    [InlineData("4.5", 5)]
    [InlineData("5.5", 6)]
    [InlineData("2.5", 3)]
    [InlineData("4.49", 4)]
    [InlineData("0.5", 1)]
    public void Rounds_half_up_not_to_even(string raw, int expected)
    {
        var score = UsdWorth(decimal.Parse(raw, System.Globalization.CultureInfo.InvariantCulture)).Score(null, "USD");
        Assert.Equal(decimal.Parse(raw, System.Globalization.CultureInfo.InvariantCulture), score.Raw);
        Assert.Equal(expected, score.Score);
    }

    [Fact]
    public void Explains_raw_with_every_decimal_so_that_rounding_half_up_shows()
    {
        // Shown as 1.5, a raw of 1.495 would contradict its score of 1.
        var score = UsdWorth(1.495m).Score(null, "USD");
        Assert.Equal(1, score.Score);
        Assert.StartsWith("Score 1: raw 1.495 = categories 1.495 + phrases 0 + synergy 0", score.Explanation);
        Assert.Contains("cat_fx_currency_ops +1.495 = tier 3 (1.495) x description (1)", score.Explanation);
        Assert.Equal("direct_fx 1.495", score.Buckets[0].ToString());
        Assert.Equal("cat_fx_currency_ops +1.495", score.Categories[0].ToString());
    }

    [Fact]
    public void Clamps_to_the_max_score()
    {
        var score = UsdWorth(14.6m).Score(null, "USD");
        Assert.Equal(14.6m, score.Raw);
        Assert.Equal(10, score.Score);
    }

    [Fact]
    public void Never_stacks_hits_of_one_category()
    {
        var score = Default.Score(null, "USD, GBP, CHF, forex y multidivisa");
        var currency = Assert.Single(score.Categories, c => c.Id == "cat_fx_currency_ops");
        Assert.Equal(4.0m, currency.Points);
        Assert.Equal(5, currency.HitCount);
        Assert.Equal("kw_usd_currency", currency.Hit.Id);
    }

    [Fact]
    public void Weighs_the_title_1_5_and_keeps_the_best_hit()
    {
        var score = Default.Score("Tesorería", "tesorería y treasury");
        var finance = Assert.Single(score.Categories);
        Assert.Equal(3.75m, finance.Points);
        Assert.Equal(SignalField.Title, finance.Hit.Field);
        Assert.Equal(3, finance.HitCount);
    }

    [Fact]
    public void Caps_intl_footprint_at_3()
    {
        var score = Default.Score("Clientes internacionales", "mercado UK y EMEA");
        Assert.Equal(3.75m, Bucket(score, SignalBuckets.IntlFootprint).Uncapped);
        Assert.Equal(3.0m, Bucket(score, SignalBuckets.IntlFootprint).Capped);
    }

    [Fact]
    public void Gives_synergy_for_intl_and_business_with_fx_core()
    {
        var score = Default.Score(null, "Facturamos en GBP, clientes internacionales, tesorería");
        Assert.True(score.FxCore);
        Assert.Equal(new[] { true, true }, score.Synergy.Select(s => s.Applied));
        Assert.Equal(1.8m, score.SynergyPoints);
        // direct 4 + intl 2.5 + business 2.5 + phrase GBP 2 + synergy 1.8
        Assert.Equal(12.8m, score.Raw);
    }

    [Fact]
    public void Caps_synergy_at_its_max()
    {
        var scorer = SignalTestData.ScorerWith(c => c.Scoring.Synergy.Bonuses.ForEach(b => b.Amount = 1.0m));
        var score = scorer.Score(null, "Facturamos en GBP, clientes internacionales, tesorería");
        Assert.Equal(new[] { 1.0m, 1.0m }, score.Synergy.Select(s => s.Amount));
        Assert.Equal(1.8m, score.SynergyPoints);
    }

    [Fact]
    public void Explains_what_the_synergy_max_cut()
    {
        var scorer = SignalTestData.ScorerWith(c => c.Scoring.Synergy.Max = 1.2m);
        var score = scorer.Score(null, "Facturamos en GBP, clientes internacionales, tesorería");
        Assert.Equal(1.8m, score.SynergyUncapped);
        Assert.Equal(1.2m, score.SynergyPoints);
        Assert.Equal(1.2m, score.SynergyMax);
        Assert.True(score.SynergyCapped);
        Assert.Contains("synergy 1.8 capped to 1.2 (synergy max 1.2): -0.6", score.Explanation);
    }

    [Fact]
    public void Explains_the_clamp_to_the_max_score()
    {
        var score = Default.Score(null, "Facturamos en GBP, clientes internacionales, tesorería");
        Assert.Equal(12.8m, score.Raw);
        Assert.Equal(10, score.MaxScore);
        Assert.True(score.Clamped);
        Assert.Contains("raw 12.8 clamped to maxScore 10", score.Explanation);
        Assert.False(score.SynergyCapped); // 1.8 is exactly the max: nothing cut, no cap line
        Assert.DoesNotContain("capped to 1.8", score.Explanation);
    }

    [Fact]
    public void Says_why_synergy_was_not_applied()
    {
        var score = Default.Score(null, "marketplace latam mercado internacional");
        Assert.False(score.FxCore);
        Assert.All(score.Synergy, s => Assert.Equal(SynergyPart.NoFxCore, s.Reason));
        Assert.Contains("fxCore: no (direct_fx 0 < 2)", score.Explanation);
        Assert.Contains("synergy intl_footprint 2.5 >= 1: not applied (no fxCore)", score.Explanation);

        var withCore = Default.Score(null, "Facturamos en GBP, tesorería");
        Assert.Equal(SynergyPart.BelowThreshold, withCore.Synergy.Single(s => s.Bucket == SignalBuckets.IntlFootprint).Reason);
        Assert.Null(withCore.Synergy.Single(s => s.Bucket == SignalBuckets.BusinessModel).Reason);
    }

    [Fact]
    public void Lists_read_as_their_items()
    {
        // Export-Csv and string interpolation show a property with ToString: items, not a list's type name.
        var score = Default.Score("Tesorería", "Pagos internacionales en USD, sin AWS.");
        Assert.StartsWith("direct_fx 4, intl_footprint 0, ", score.Buckets.ToString());
        var (title, description) = SignalTestData.Golden("fx05_phrase_boost_fx");
        Assert.StartsWith("direct_fx 7 (capped from 8), ", Default.Score(title, description).Buckets.ToString());
        Assert.Equal("cat_fx_crossborder_payments +4, cat_biz_finance_ops +3.75", score.Categories.ToString());
        Assert.Equal("phrase_international_payments +2", score.Phrases.ToString());
        Assert.Equal("kw_treasury 'Tesorería', kw_international_payments 'Pagos internacionales', phrase_international_payments 'Pagos internacionales'",
            score.Hits.ToString());
        Assert.Equal("kw_usd_currency 'USD', phrase_usd 'USD', kw_aws 'AWS'", score.NegatedHits.ToString()); // "Sin" follows USD too
        Assert.Equal("intl_footprint not applied (below threshold), business_model +0.8", score.Synergy.ToString());
        Assert.Equal("", score.ExcludedHits.ToString());
    }

    [Fact]
    public void Gives_no_synergy_without_fx_core()
    {
        var score = Default.Score(null, "clientes internacionales, tesorería");
        Assert.False(score.FxCore);
        Assert.All(score.Synergy, s => Assert.False(s.Applied));
        Assert.Equal(0m, score.SynergyPoints);
        Assert.Equal(5.0m, score.Raw);
        Assert.False(score.GuardApplied);
    }

    [Fact]
    public void Limits_raw_to_5_without_fx_core()
    {
        var score = Default.Score("Marketplace Manager", "clientes internacionales, Stripe, AWS, ventas internacionales en EMEA");
        Assert.False(score.FxCore);
        Assert.True(score.GuardApplied);
        // intl 2.5 + business 2.5 (3.75 capped) + tech 1.5 (2 capped) + phrase "ventas internacionales" 1.2
        Assert.Equal(7.7m, score.RawBeforeGuard);
        Assert.Equal(5.0m, score.Raw);
        Assert.Equal(5, score.Score);
        Assert.False(score.Strong);
    }

    [Fact]
    public void Takes_fx_core_from_uncapped_direct_fx_against_the_threshold()
    {
        var strict = SignalTestData.ScorerWith(c => c.Scoring.FxCoreThreshold = 4.5m);
        Assert.False(strict.Score(null, "USD").FxCore);
        Assert.True(strict.Score(null, "USD y SWIFT").FxCore);
        Assert.True(Default.Score(null, "USD").FxCore);
        Assert.False(Default.Score(null, "AWS").FxCore);
    }

    [Fact]
    public void Marks_strong_at_the_threshold()
    {
        Assert.True(Default.Score(null, "USD").Strong); // 4 + phrase 2 = 6
        Assert.False(Default.Score(null, "SWIFT").Strong); // 4
    }

    [Fact]
    public void Picks_the_top_category_by_points_then_catalog_order()
    {
        Assert.Equal("cat_fx_crossborder_payments", Default.Score(null, "tesorería y SWIFT").TopCategory);
        Assert.Equal("cat_biz_finance_ops", Default.Score("Treasury", "mercado UK").TopCategory);
        Assert.Equal("cat_fx_currency_ops", Default.Score(null, "SWIFT y USD").TopCategory);
    }

    [Fact]
    public void Names_no_top_category_when_no_category_has_points()
    {
        var titleWeightless = SignalTestData.ScorerWith(c => c.Scoring.FieldWeights["title"] = 0m);

        var titleOnly = titleWeightless.Score("Tesorería", null);
        Assert.Equal((0m, (string?)null, (string?)null), (Assert.Single(titleOnly.Categories).Points, titleOnly.TopCategory, titleOnly.TopCategoryName));
        // A later category with points is the top one, not the earlier one worth nothing.
        Assert.Equal("cat_proxy_cloud_stack", titleWeightless.Score("Tesorería", "Azure").TopCategory);
    }

    [Fact]
    public void Drops_negated_and_excluded_hits_and_lists_them()
    {
        var score = Default.Score("Stripe", "Sin USD. Import data from files.");
        Assert.Equal("kw_usd_currency,phrase_usd", string.Join(",", score.NegatedHits.Select(h => h.Id)));
        Assert.Equal("kw_export_import", Assert.Single(score.ExcludedHits).Id);
        Assert.Equal("kw_stripe", Assert.Single(score.Hits).Id);
        Assert.Equal(1.5m, score.Raw);
    }

    [Fact]
    public void Scores_requirements_with_the_description_weight_unless_the_catalog_names_one()
    {
        var withoutOwnWeight = SignalTestData.ScorerWith(c =>
        {
            c.Scoring.FieldWeights.Remove("requirements");
            c.Scoring.FieldWeights["description"] = 0.5m;
        });
        Assert.Equal(1.25m, withoutOwnWeight.Score(null, null, "tesorería").Raw);
        var ownWeight = SignalTestData.ScorerWith(c => c.Scoring.FieldWeights["requirements"] = 0.4m);
        Assert.Equal(1.0m, ownWeight.Score(null, null, "tesorería").Raw);
    }

    [Fact]
    public void Scores_an_offer_without_reading_its_company()
    {
        var offer = new Offer
        {
            ProviderOfferId = "of-1",
            Title = "Support Specialist",
            Description = "General support role.",
            Company = new OfferCompany { Name = "USD Forex Payments SL", Website = "https://stripe.com" },
        };
        var score = Default.Score(offer);
        Assert.Equal(0, score.Score);
        Assert.Equal("of-1", score.ProviderOfferId);
        Assert.Null(score.OfferId);
        Assert.Equal("Support Specialist", score.Title);
    }

    [Fact]
    public void Names_a_stored_offer_by_its_store_id_and_its_provider_id()
    {
        var stored = new StoredOffer { OfferId = 42, ProviderOfferId = "of-42", Title = "Tesorero", Description = "Pagos en USD" };
        var score = Default.Score(stored);
        Assert.Equal((42L, "of-42", "Tesorero"), (score.OfferId, score.ProviderOfferId, score.Title));
        Assert.Equal(Default.Score("Tesorero", "Pagos en USD").Raw, score.Raw);
    }

    [Fact]
    public void Records_the_catalog_version_and_every_bucket()
    {
        var score = Default.Score(null, null);
        Assert.Equal("2.4.0", score.CatalogVersion);
        Assert.Equal(SignalBuckets.All, score.Buckets.Select(b => b.Bucket));
        Assert.Equal(new[] { 7.0m, 3.0m, 2.5m, 1.5m }, score.Buckets.Select(b => b.Cap));
        Assert.Equal(0, score.Score);
        Assert.Null(score.TopCategory);
    }
}

using JobSignal.Core.Domain;
using JobSignal.Core.Signal;

namespace JobSignal.Core.Tests.Signal;

/// <summary>SPEC 5.2, "company names are not matched": the posting company's own name in its offer is no evidence.</summary>
public class CompanyNameMaskTests
{
    private static readonly OfferScorer Default = SignalTestData.DefaultScorer;

    private static bool Masks(string companyName, string text) =>
        CompanyNameMask.Of(companyName)!.Masks(Tokenizer.Tokenize(text).Tokens.ToArray());

    [Theory]
    [InlineData("Stripe Payments Europe, S.L.", "stripe")]
    [InlineData("STRIPE PAYMENTS EUROPE LIMITED", "stripe payments")]
    [InlineData("Latam Airlines Group S.A.", "latam")]
    [InlineData("Salesforce.com Spain, S.L.U.", "salesforce")]
    [InlineData("Comercio Internacional Pérez SL", "comercio internacional")]
    public void Masks_a_text_that_is_part_of_the_name(string companyName, string text)
    {
        Assert.True(Masks(companyName, text));
    }

    [Theory]
    [InlineData("Global Payments S.A.", "international payments")]
    [InlineData("Payments Europe", "stripe payments")]
    [InlineData("Stripe Payments Europe, S.L.", "payments europe stripe")]
    [InlineData("Acme Pagos S.L.", "pagos internacionales")]
    [InlineData("Stripes Textiles S.A.", "stripe")]
    [InlineData("Pagos S.L.", "pagos internacionales")]
    [InlineData("Ventas SL", "ventas internacionales")]
    [InlineData("Stripe", "stripe payments")]
    public void Keeps_a_text_that_only_shares_words_with_the_name(string companyName, string text)
    {
        Assert.False(Masks(companyName, text));
    }

    [Fact]
    public void Masks_where_the_text_names_the_employer_not_the_same_term_written_otherwise()
    {
        var hits = Default.Matcher.MatchOffer(null, "Latam Airlines busca agentes para rutas en Latinoamérica y LATAM.",
            companyName: "LATAM Airlines Group S.A.");

        var latam = hits.Where(h => h.Id == "kw_latam").ToList();
        Assert.Equal(["Latam", "Latinoamérica", "LATAM"], latam.Select(h => h.Text));
        Assert.Equal([true, false, true], latam.Select(h => h.Excluded));
    }

    [Fact]
    public void Each_name_gets_its_own_mask_however_names_alternate_on_a_thread()
    {
        // More names than the thread's cache has slots, twice over: a slot another name took is read again, never reused.
        var names = Enumerable.Range(0, 10_000).Select(i => $"Empresa {i} Stripe S.L.").ToArray();
        foreach (var round in new[] { 1, 2 })
        {
            foreach (var name in names)
            {
                var mask = CompanyNameMask.Of(name)!;
                Assert.Equal(name, mask.Name);
                Assert.Equal($"part of the company's name '{name}'", mask.Reason);
            }
        }
        Assert.True(Masks("Adyen N.V.", "Adyen"));
        Assert.False(Masks("Stripe S.L.", "Adyen"));
        Assert.True(Masks("Stripe S.L.", "Stripe"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("-- / --")]
    public void A_name_without_words_masks_nothing(string? companyName)
    {
        Assert.Null(CompanyNameMask.Of(companyName));
        var hits = Default.Matcher.MatchOffer(null, "Integración con Stripe", companyName: companyName);
        Assert.False(Assert.Single(hits).Excluded);
    }

    [Fact]
    public void The_company_named_in_its_own_offer_is_an_excluded_hit_with_the_reason()
    {
        var score = Default.Score("Backend developer", "En Stripe buscamos ingenieros para pagos en USD.",
            companyName: "Stripe Payments Europe, S.L.");

        var stripe = Assert.Single(score.ExcludedHits);
        Assert.Equal(("kw_stripe", "Stripe", "part of the company's name 'Stripe Payments Europe, S.L.'"),
            (stripe.Id, stripe.Text, stripe.ExclusionReason));
        Assert.False(stripe.Counts);
        Assert.DoesNotContain(score.Hits, h => h.Id == "kw_stripe");
        Assert.Contains(score.Hits, h => h.Id == "kw_usd_currency");
        Assert.DoesNotContain(score.Categories, c => c.Id == "cat_proxy_payment_stack");
    }

    [Fact]
    public void The_same_text_from_another_company_counts_the_hit()
    {
        const string text = "En Stripe buscamos ingenieros para pagos en USD.";
        var byStripe = Default.Score("Backend developer", text, companyName: "Stripe Payments Europe, S.L.");
        var byCustomer = Default.Score("Backend developer", text, companyName: "Tienda Online Ejemplo S.L.");

        Assert.Contains(byCustomer.Hits, h => h.Id == "kw_stripe");
        Assert.Empty(byCustomer.ExcludedHits);
        Assert.True(byCustomer.Raw > byStripe.Raw, $"{byCustomer.Raw} should be above {byStripe.Raw}");
    }

    [Fact]
    public void An_exclusion_context_is_not_needed_once_the_name_masks_the_hit()
    {
        // "swift" next to "iphone" has an exclusion rule of its own; the company's name is the reason given.
        var hit = Assert.Single(Default.Matcher.MatchOffer(null, "Swift para iPhone", companyName: "Swift Apps S.L."));
        Assert.Equal("part of the company's name 'Swift Apps S.L.'", hit.ExclusionReason);
    }

    [Fact]
    public void Scoring_an_offer_masks_its_company_name()
    {
        var offer = new Offer
        {
            ProviderOfferId = "of-1", Title = "Account manager", Description = "Únete a HubSpot y vende a clientes en USA.",
            Company = new OfferCompany { Name = "HubSpot Ireland Limited" },
        };

        var score = Default.Score(offer);

        Assert.Equal("of-1", score.ProviderOfferId);
        Assert.Null(score.OfferId);
        Assert.Equal(["kw_hubspot"], score.ExcludedHits.Select(h => h.Id));
        Assert.Contains(score.Hits, h => h.Id == "kw_usa_market");
    }

    [Theory]
    [InlineData(true, new string[0])]
    [InlineData(false, new[] { "kw_international_payments", "phrase_international_payments" })]
    public void A_hidden_profile_has_no_name_to_mask(bool hidden, string[] excluded)
    {
        // InfoJobs shows a recruiter-written description as a hidden profile's name: its words are the offer's signals.
        const string name = "Empresa líder en pagos internacionales";
        const string text = "Buscamos técnico/a de tesorería para pagos internacionales.";
        var offer = new Offer { Title = "Administrativo/a", Description = text, Company = new OfferCompany { Name = name, Hidden = hidden } };
        var stored = new StoredOffer { Title = "Administrativo/a", Description = text, CompanyName = name, CompanyHidden = hidden };

        foreach (var score in new[] { Default.Score(offer), Default.Score(stored) })
        {
            Assert.Equal(excluded, score.ExcludedHits.Select(h => h.Id));
            Assert.Equal(hidden, score.Hits.Any(h => h.Id == "kw_international_payments"));
        }
        Assert.Equal(hidden ? null : name, CompanyNameMask.NameOf(offer.Company));
    }
}

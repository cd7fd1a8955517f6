using JobSignal.Core.Aggregation;
using JobSignal.Core.Common;
using JobSignal.Core.Domain;
using JobSignal.Core.Store;
using Microsoft.Data.Sqlite;

namespace JobSignal.Core.Tests.Store;

public class CompanyRepositoryTests : StoreTestBase
{
    [Fact]
    public void Insert_and_get_round_trip_the_identity_with_pending_resolution_and_no_metrics()
    {
        var id = Store.Companies.Insert(new NewCompany("Acme Pagos S.L.", "acme pagos", "acme.es", false), T0);
        var company = Store.Companies.Get(id)!;
        Assert.Equal(id, company.CompanyId);
        Assert.Equal("Acme Pagos S.L.", company.Name);
        Assert.Equal("acme pagos", company.NormalizedName);
        Assert.Equal("acme.es", company.Domain);
        Assert.False(company.Hidden);
        Assert.Equal(Resolution.Pending, company.Resolution);
        Assert.False(company.IsFinal);
        Assert.Null(company.MaxScore);
        Assert.Empty(company.CategoryScores);
        Assert.Equal(T0, company.FirstSeenAt);
        Assert.Equal(T0, company.LastSeenAt);
        Assert.Equal(TimeSpan.Zero, company.FirstSeenAt.Offset);
        Assert.Null(Store.Companies.Get(id + 100));
    }

    [Fact]
    public void A_domain_belongs_to_one_company_but_many_may_have_none()
    {
        AddCompany("A", "acme.es");
        AddCompany("B");
        AddCompany("C");
        var ex = Assert.Throws<SqliteException>(() => AddCompany("D", "acme.es"));
        Assert.Equal(19, ex.SqliteErrorCode);
        Assert.Equal("A", Store.Companies.FindByDomain("acme.es")!.Name);
        // A blank domain is no domain (PowerShell turns $null into ""): it neither collides nor is stored.
        var blank1 = AddCompany("E", "");
        var blank2 = AddCompany("F", " ");
        Assert.Null(Store.Companies.Get(blank1)!.Domain);
        Assert.Null(Store.Companies.Get(blank2)!.Domain);
        Assert.False(Store.Companies.EnrichDomain(blank1, ""));
        Assert.Null(Store.Companies.FindByDomain("other.es"));
    }

    [Fact]
    public void Find_by_normalized_name_never_mixes_hidden_and_real_companies()
    {
        var real = AddCompany("Empresa", hidden: false);
        var hidden = AddCompany("Empresa", hidden: true);
        Assert.Equal(new[] { real }, Store.Companies.FindByNormalizedName("empresa", hidden: false).Select(c => c.CompanyId));
        Assert.Equal(new[] { hidden }, Store.Companies.FindByNormalizedName("empresa", hidden: true).Select(c => c.CompanyId));
        Assert.True(Store.Companies.Get(hidden)!.Hidden);
        Assert.Empty(Store.Companies.FindByNormalizedName("nadie", hidden: false));
    }

    [Fact]
    public void Sources_link_provider_ids_to_one_company_and_refresh_on_sight()
    {
        var acme = AddCompany("Acme");
        var other = AddCompany("Other");
        Assert.Equal(acme, Store.Companies.LinkSource(acme, "infojobs", "p-1", "ACME SL", false, T0));
        // Seen again later, even claimed for another company: the link stays, name and last seen refresh.
        Assert.Equal(acme, Store.Companies.LinkSource(other, "infojobs", "p-1", "Acme Pagos", false, T0.AddDays(2)));
        Assert.Equal(acme, Store.Companies.FindBySource("infojobs", "p-1")!.CompanyId);
        Assert.Null(Store.Companies.FindBySource("infojobs", "p-2"));
        Assert.Null(Store.Companies.FindBySource("other-board", "p-1"));
        var source = Assert.Single(Store.Companies.ListSources(acme));
        Assert.Equal(("infojobs", "p-1", "Acme Pagos", T0, T0.AddDays(2)),
            (source.Provider, source.ProviderCompanyId, source.Name, source.FirstSeenAt, source.LastSeenAt));
        // An older sighting does not move last seen back.
        Store.Companies.LinkSource(acme, "infojobs", "p-1", null, true, T0.AddDays(1));
        source = Assert.Single(Store.Companies.ListSources(acme));
        Assert.Equal(("Acme Pagos", true, T0.AddDays(2)), (source.Name, source.Hidden, source.LastSeenAt));
    }

    [Fact]
    public void A_name_only_company_is_enriched_with_a_free_domain_once()
    {
        var byName = AddCompany("Acme");
        var owner = AddCompany("Owner", "taken.es");
        Assert.False(Store.Companies.EnrichDomain(byName, "taken.es"));
        Assert.True(Store.Companies.EnrichDomain(byName, "acme.es"));
        Assert.False(Store.Companies.EnrichDomain(byName, "acme2.es"));
        Assert.False(Store.Companies.EnrichDomain(owner, "x.es"));
        Assert.Equal("acme.es", Store.Companies.Get(byName)!.Domain);
        Assert.Equal(byName, Store.Companies.FindByDomain("acme.es")!.CompanyId);
    }

    [Fact]
    public void Touch_moves_last_seen_forward_only()
    {
        var id = AddCompany();
        Store.Companies.Touch(id, T0.AddHours(5));
        Store.Companies.Touch(id, T0.AddHours(1));
        Assert.Equal(T0.AddHours(5), Store.Companies.Get(id)!.LastSeenAt);
        Assert.Equal(T0, Store.Companies.Get(id)!.FirstSeenAt);
    }

    [Fact]
    public void Touch_of_many_companies_moves_each_forward_only()
    {
        var a = AddCompany("A");
        var b = AddCompany("B");
        var untouched = AddCompany("C");
        Store.Companies.Touch(a, T0.AddHours(9));

        Store.Companies.Touch([a, b], T0.AddHours(5));

        Assert.Equal(T0.AddHours(9), Store.Companies.Get(a)!.LastSeenAt);
        Assert.Equal(T0.AddHours(5), Store.Companies.Get(b)!.LastSeenAt);
        Assert.Equal(T0, Store.Companies.Get(untouched)!.LastSeenAt);
    }

    [Fact]
    public void Resolution_updates_report_real_changes_and_reject_unknown_values()
    {
        var id = AddCompany();
        Assert.True(Store.Companies.UpdateResolution(id, Resolution.Accepted, T0.AddDays(1)));
        Assert.False(Store.Companies.UpdateResolution(id, Resolution.Accepted, T0.AddDays(2)));
        Assert.False(Store.Companies.UpdateResolution(id + 50, Resolution.Rejected, T0));
        Assert.Throws<ArgumentException>(() => Store.Companies.UpdateResolution(id, "MAYBE", T0));
        var company = Store.Companies.Get(id)!;
        Assert.Equal((Resolution.Accepted, T0.AddDays(1), true), (company.Resolution, company.ResolutionUpdatedAt, company.IsFinal));
    }

    private static CompanyMetrics Metrics(int maxScore, string topCategory = "fx_payments", string[]? evidence = null,
        CategoryMaxScore[]? categories = null, DateTimeOffset? lastStrongAt = null, DateTimeOffset? lastSeenAt = null, long? topOfferId = null) =>
        new(maxScore, OfferCount: 5, UniqueOfferCount: 3, StrongOfferCount: 2, AvgStrongScore: 7.5, topOfferId,
            "https://www.infojobs.net/x", topCategory,
            categories ?? new[] { new CategoryMaxScore("saas", 1.5m, 3), new CategoryMaxScore(topCategory, 4m, maxScore) },
            lastStrongAt ?? T0.AddDays(-1), FirstSeenAt: T0.AddDays(-10), lastSeenAt, RecentOfferCount: 2,
            evidence ?? new[] { "USD", "SWIFT" });

    [Fact]
    public void Metrics_are_saved_and_read_back_but_final_companies_stay_frozen()
    {
        var active = AddCompany("Active");
        var top = AddOffer(active, "o1");
        Assert.True(Store.Companies.SaveMetrics(active, Metrics(8, topOfferId: top, lastSeenAt: T0.AddDays(3)), T0.AddDays(4)));
        var c = Store.Companies.Get(active)!;
        Assert.Equal((8, 5, 3, 2, 7.5, top, "fx_payments", 2, "USD, SWIFT"),
            (c.MaxScore, c.OfferCount, c.UniqueOffers, c.StrongOffers, c.AvgStrongScore, c.TopOfferId, c.TopCategory, c.OffersLast30Days, c.EvidenceTerms));
        Assert.Equal(new[] { "fx_payments", "saas" }, c.CategoryScores.Keys);
        Assert.Equal(4m, c.CategoryScores["fx_payments"]);
        Assert.Equal("fx_payments=4, saas=1.5", c.CategoryScores.ToString());
        Assert.Equal((T0.AddDays(-1), T0.AddDays(4), T0.AddDays(-10), T0.AddDays(3)), (c.LastStrongAt, c.AggregatedAt, c.FirstSeenAt, c.LastSeenAt));

        var frozen = AddCompany("Frozen");
        Assert.True(Store.Companies.SaveMetrics(frozen, Metrics(4), T0));
        Store.Companies.UpdateResolution(frozen, Resolution.Rejected, T0);
        Assert.False(Store.Companies.SaveMetrics(frozen, Metrics(0), T0.AddDays(1)));
        Assert.Equal(4, Store.Companies.Get(frozen)!.MaxScore);
        Assert.False(Store.Companies.SaveMetrics(frozen + 100, Metrics(1), T0));
        // Without evidence terms the company has none (null, not an empty text).
        Assert.True(Store.Companies.SaveMetrics(active, Metrics(8, evidence: Array.Empty<string>()), T0));
        Assert.Null(Store.Companies.Get(active)!.EvidenceTerms);
    }

    [Fact]
    public void List_ids_leaves_out_final_companies_unless_asked()
    {
        var a = AddCompany("A");
        var b = AddCompany("B");
        Store.Companies.UpdateResolution(b, Resolution.AlreadyClient, T0);
        Assert.Equal(new[] { a }, Store.Companies.ListIds());
        Assert.Equal(new[] { a, b }, Store.Companies.ListIds(includeFinal: true));
        Assert.Equal(new[] { a, b }, Store.Companies.Get(new[] { b, a, a, 999 }).Select(c => c.CompanyId));
    }

    [Fact]
    public void Stale_companies_are_those_never_aggregated_or_seen_since_their_last_aggregation_and_never_final_ones()
    {
        var never = AddCompany("Never aggregated");
        var current = AddCompany("Aggregated since seen");
        var seenAgain = AddCompany("Seen after its aggregation");
        var final = AddCompany("Final, never aggregated");
        Store.Companies.SaveMetrics(current, Metrics(5), T0.AddMinutes(1));
        Store.Companies.SaveMetrics(seenAgain, Metrics(5), T0.AddMinutes(1));
        Store.Companies.Touch(seenAgain, T0.AddMinutes(2));
        Store.Companies.Touch(current, T0.AddMinutes(1));    // seen in the very instant of the aggregation: current
        Store.Companies.UpdateResolution(final, Resolution.Rejected, T0);

        Assert.Equal([never, seenAgain], Store.Companies.ListStaleIds());

        Store.Companies.SaveMetrics(never, Metrics(5), T0.AddMinutes(3));
        Store.Companies.SaveMetrics(seenAgain, Metrics(5), T0.AddMinutes(3));
        Assert.Empty(Store.Companies.ListStaleIds());
    }

    [Fact]
    public void List_filters_and_ranks()
    {
        var fx = AddCompany("Acme Pagos", seenAt: T0);
        var saas = AddCompany("Beta Software", seenAt: T0.AddDays(5));
        var none = AddCompany("Gamma_%", seenAt: T0.AddDays(10));
        Store.Companies.SaveMetrics(fx, Metrics(9), T0);
        Store.Companies.SaveMetrics(saas, Metrics(5, "saas", new[] { "Stripe", "AWS" },
            new[] { new CategoryMaxScore("saas", 4m, 5), new CategoryMaxScore("fx_payments", 1m, 2) }, lastStrongAt: T0.AddDays(6)), T0);
        var offer = AddOffer(saas, "o-saas");
        Store.Matches.Upsert(Match(offer, 5, "saas", """{"hits":[{"alias":"multidivisa"}]}"""));
        Store.Companies.UpdateResolution(none, Resolution.InProgress, T0);

        IEnumerable<long> Ids(CompanyFilter f) => Store.Companies.List(f).Select(c => c.CompanyId);

        Assert.Equal(new[] { fx, saas, none }, Ids(new CompanyFilter()));
        Assert.Equal(new[] { fx }, Ids(new CompanyFilter { MinScore = 6 }));
        Assert.Equal(new[] { fx, saas }, Ids(new CompanyFilter { Category = "fx_payments" }));
        Assert.Equal(new[] { fx }, Ids(new CompanyFilter { Category = "fx_payments", MinScore = 3 }));
        // With -Category, -MinScore is the score of an offer in which the category earned points (fx: 9), not the
        // category's points (4 at most).
        Assert.Equal(new[] { fx }, Ids(new CompanyFilter { Category = "fx_payments", MinScore = 9 }));
        Assert.Empty(Ids(new CompanyFilter { Category = "fx_payments", MinScore = 10 }));
        Assert.Equal(new[] { saas }, Ids(new CompanyFilter { Category = "saas", MinScore = 4 }));
        Assert.Equal(new[] { fx, saas }, Ids(new CompanyFilter { Category = "saas" }));
        Assert.Empty(Ids(new CompanyFilter { Category = "intl_trade" }));
        Assert.Equal(new[] { saas }, Ids(new CompanyFilter { Keyword = "stripe" }));
        Assert.Equal(new[] { saas }, Ids(new CompanyFilter { Keyword = "MULTIDIVISA" }));
        Assert.Equal(new[] { none }, Ids(new CompanyFilter { Resolutions = new[] { Resolution.InProgress } }));
        Assert.Equal(new[] { fx, none }, Ids(new CompanyFilter { CompanyIds = Enumerable.Range(1, 40_000).Select(i => (long)i * 1_000).Append(fx).Append(none).ToArray() }));
        Assert.Equal(new[] { saas, none }, Ids(new CompanyFilter { Since = T0.AddDays(5) }));
        Assert.Equal(new[] { saas }, Ids(new CompanyFilter { Since = T0, SinceField = CompanySince.LastStrong }));
        Assert.Equal(new[] { fx, saas }, Ids(new CompanyFilter { Name = "*a*" }).Take(2));
        Assert.Equal(new[] { saas }, Ids(new CompanyFilter { Name = "beta ?oftware" }));
        Assert.Equal(new[] { none }, Ids(new CompanyFilter { Name = "*_%" }));
        Assert.Empty(Ids(new CompanyFilter { Name = "Gamma" }));
        Assert.Equal(new[] { fx, saas }, Ids(new CompanyFilter { Top = 2 }));
        Assert.Equal(new[] { saas }, Ids(new CompanyFilter { CompanyIds = new[] { saas, 999L } }));
    }

    [Fact]
    public void Name_matches_as_powershell_like_does_in_any_letter_case_inside_the_query()
    {
        var jaen = AddCompany("Olivar de Jaén S.C.A.");
        var game = AddCompany("Game [Studio] *Beta*");
        var fame = AddCompany("Fame Corp");
        Store.Companies.SaveMetrics(fame, Metrics(7), T0);

        IEnumerable<long> Ids(string name, int? top = null) =>
            Store.Companies.List(new CompanyFilter { Name = name, Top = top }).Select(c => c.CompanyId);

        Assert.Equal(new[] { jaen }, Ids("*JAÉN*"));
        Assert.Equal(new[] { jaen }, Ids("olivar DE jaén s.c.a."));
        Assert.Equal(new[] { fame, game }, Ids("[GF]ame*"));
        Assert.Equal(new[] { fame }, Ids("?AME *", top: 1));
        Assert.Equal(new[] { game }, Ids("*`[studio`]*"));
        Assert.Equal(new[] { game }, Ids("*`*beta`*"));
        Assert.Empty(Ids("Fame Corp`*"));
        Assert.Equal(WildcardMatch.InvalidErrorId, Assert.Throws<JobSignalException>(() => Ids("Game [Studio")).ErrorId);
    }

    [Fact]
    public void Keyword_finds_the_evidence_terms_titles_and_hits_of_a_company_never_field_names()
    {
        var payer = AddCompany("Acme Pagos");
        var other = AddCompany("Beta Software");
        var offer = AddOffer(payer, "o1");
        Store.Matches.Upsert(Match(offer, 8, explanation: """
            {"score":8,"strong":true,"hits":[{"term":"USD","alias":"usd","text":"USD","evidence":"…cobros en USD…"}]}
            """));
        Store.Companies.SaveMetrics(other, Metrics(5, "fx_payments", new[] { "Stripe" }), T0);

        IEnumerable<long> Ids(string keyword) => Store.Companies.List(new CompanyFilter { Keyword = keyword }).Select(c => c.CompanyId);

        Assert.Equal(new[] { payer }, Ids("cobros"));
        Assert.Equal(new[] { payer }, Ids("TESORERO"));
        Assert.Equal(new[] { other }, Ids("stripe"));
        Assert.Empty(Ids("strong"));
        Assert.Empty(Ids("score"));
        Assert.Empty(Ids("evidence"));
    }
}

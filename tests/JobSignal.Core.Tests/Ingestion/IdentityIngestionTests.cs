using JobSignal.Core.Domain;
using JobSignal.Core.Ingestion;

namespace JobSignal.Core.Tests.Ingestion;

/// <summary>Company identity end to end (SPEC 5.5): which company rows and source links a batch of offers leaves.</summary>
public class IdentityIngestionTests : IngestionTestBase
{
    private int _next;

    private Offer Posting(string company, string? website = null, string? companyId = null, bool hidden = false)
    {
        var n = ++_next;
        return Offer("o" + n, company, website, title: "Puesto " + n, description: UniqueText(n), companyId: companyId, hidden: hidden);
    }

    [Fact]
    public void The_website_domain_beats_the_name()
    {
        var (run, _) = Ingest([
            Posting("Acme Pagos", "acme.es"),
            Posting("Grupo Totalmente Distinto SA", "https://www.ACME.es/empleo?x=1"),
            Posting("Acme Pagos", "https://acme-otra.com"),
        ]);

        AssertRun(run, RunStatus.Success, received: 3, inserted: 3);
        Assert.Equal(CompanyOf("o1"), CompanyOf("o2"));
        Assert.NotEqual(CompanyOf("o1"), CompanyOf("o3"));
        Assert.Equal(["acme-otra.com", "acme.es"], Store.Companies.List().Select(c => c.Domain!).Order());
    }

    [Fact]
    public void InfoJobs_domains_are_never_an_identity()
    {
        var (run, _) = Ingest([
            Posting("Acme Pagos", "https://www.infojobs.net/acme-pagos/em-i123"),
            Posting("Acme Pagos", "empresa.infojobs.net"),
        ]);

        AssertRun(run, RunStatus.Success, received: 2, inserted: 2);
        var company = Assert.Single(Store.Companies.List());
        Assert.Null(company.Domain);
        Assert.Equal("acme pagos", company.NormalizedName);
    }

    [Fact]
    public void A_known_offer_that_comes_back_under_another_company_creates_no_empty_company()
    {
        Ingest([Offer("m1", company: "Mu SL")]);
        Clock.Now += TimeSpan.FromDays(1);

        var (run, results) = Ingest([Offer("m1", company: "Zeta Holding SL", website: "zeta.es")]);

        AssertRun(run, RunStatus.Success, received: 1, updated: 1, scored: 0);
        var company = Assert.Single(Store.Companies.List());
        Assert.Equal(("mu", company.CompanyId), (company.NormalizedName, results[0].CompanyId));
    }

    [Fact]
    public void A_webmail_or_social_network_given_as_website_merges_no_companies()
    {
        var (run, _) = Ingest([
            Posting("Panadería Pepe SL", "gmail.com"),
            Posting("Importaciones Oriente SL", "https://www.gmail.com"),
            Posting("Alfa Reformas SL", "https://www.linkedin.com/company/alfa-reformas"),
            Posting("Trading Gamma SL", "https://www.linkedin.com/company/trading-gamma"),
        ]);

        AssertRun(run, RunStatus.Success, received: 4, inserted: 4);
        var companies = Store.Companies.List();
        Assert.Equal(["alfa reformas", "importaciones oriente", "panaderia pepe", "trading gamma"], companies.Select(c => c.NormalizedName).Order());
        Assert.All(companies, c => Assert.Null(c.Domain));
    }

    [Fact]
    public void Legal_suffixes_spacing_and_accents_do_not_split_a_company()
    {
        var (run, _) = Ingest([
            Posting("Acme Pagos S.L."), Posting("ACME PAGOS, SLU"), Posting("Acme Págos Sociedad Limitada"), Posting("acme  pagos sa"),
        ]);

        AssertRun(run, RunStatus.Success, received: 4, inserted: 4);
        var company = Assert.Single(Store.Companies.List());
        Assert.Equal(("Acme Pagos S.L.", "acme pagos", 4), (company.Name, company.NormalizedName, (int)Count("offers", $"company_id = {company.CompanyId}")));
    }

    [Fact]
    public void Hidden_profiles_are_never_merged_by_name()
    {
        var (run, _) = Ingest([
            Posting("Acme Pagos"),
            Posting("Acme Pagos", companyId: "hidden-1", hidden: true),
            Posting("Acme Pagos", companyId: "hidden-1", hidden: true),
            Posting("Acme Pagos", companyId: "hidden-2", hidden: true),
        ]);

        AssertRun(run, RunStatus.Success, received: 4, inserted: 4);
        Assert.Equal(CompanyOf("o2"), CompanyOf("o3"));
        Assert.Equal(3, new[] { CompanyOf("o1"), CompanyOf("o2"), CompanyOf("o4") }.Distinct().Count());
        Assert.Equal(2, Count("companies", "hidden = 1"));
        Assert.Equal(2, Count("company_sources"));
    }

    [Fact]
    public void A_company_first_known_by_name_is_enriched_with_its_domain_not_duplicated()
    {
        Ingest([Posting("Acme Pagos S.L.", companyId: "ij-1")]);
        var (run, _) = Ingest([Posting("ACME PAGOS", "www.acmepagos.es"), Posting("Otro nombre", "acmepagos.es")]);

        AssertRun(run, RunStatus.Success, received: 2, inserted: 2);
        var company = Assert.Single(Store.Companies.List());
        Assert.Equal("acmepagos.es", company.Domain);
        Assert.Equal(("infojobs", "ij-1"), Store.Companies.ListSources(company.CompanyId).Select(s => (s.Provider, s.ProviderCompanyId)).Single());
    }

    [Fact]
    public void A_provider_company_id_is_linked_once_and_then_identifies_its_company()
    {
        var (run, _) = Ingest([
            Posting("Acme Pagos", companyId: "ij-9"),
            Posting("Nombre Comercial Nuevo", companyId: "ij-9"),
        ]);

        AssertRun(run, RunStatus.Success, received: 2, inserted: 2);
        Assert.Equal(CompanyOf("o1"), CompanyOf("o2"));
        Assert.Equal(1, Count("company_sources", "provider_company_id = 'ij-9'"));
    }

    [Fact]
    public void Offers_without_identity_are_skipped_and_the_run_goes_on()
    {
        var anonymous = Posting("x");
        anonymous.Company = null;
        var blank = Posting("  ...  ");
        var hiddenWithoutId = Posting("Empresa confidencial", hidden: true);

        var (run, results) = Ingest([Posting("Acme"), anonymous, blank, hiddenWithoutId, Posting("Beta")]);

        AssertRun(run, RunStatus.Success, received: 5, inserted: 2, noIdentity: 3);
        Assert.Equal(
            [IngestionOutcome.Inserted, IngestionOutcome.SkippedNoIdentity, IngestionOutcome.SkippedNoIdentity,
                IngestionOutcome.SkippedNoIdentity, IngestionOutcome.Inserted],
            results.Select(r => r.Outcome));
        Assert.Contains("hidden profile", results[3].Reason);
        Assert.Equal(2, Count("companies"));
        Assert.Equal(2, run.AffectedCompanyIds.Count);
    }
}

using JobSignal.Core.Domain;
using JobSignal.Core.Ingestion;

namespace JobSignal.Core.Tests.Ingestion;

public class CompanyIdentityTests
{
    [Theory]
    [InlineData("https://www.acme.es/", "acme.es")]
    [InlineData("HTTP://WWW.ACME.ES:8080/empleo?x=1#top", "acme.es")]
    [InlineData("www.acme.es", "acme.es")]
    [InlineData("acme.es", "acme.es")]
    [InlineData("  acme.es/trabaja-con-nosotros  ", "acme.es")]
    [InlineData("//acme.es", "acme.es")]
    [InlineData("https://acme.es.", "acme.es")]
    [InlineData("https://careers.acme.co.uk", "careers.acme.co.uk")]
    [InlineData("https://www2.acme.es", "www2.acme.es")]
    [InlineData("http://café.es", "xn--caf-dma.es")]
    [InlineData("http://CAFÉ.es/menu", "xn--caf-dma.es")]
    [InlineData("xn--caf-dma.es", "xn--caf-dma.es")]
    [InlineData("www.münchen.de", "xn--mnchen-3ya.de")]
    public void NormalizeDomain_keeps_only_the_lowercase_host(string website, string expected)
    {
        Assert.Equal(expected, CompanyIdentity.NormalizeDomain(website));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("n/a")]
    [InlineData("acme")]
    [InlineData("localhost")]
    [InlineData("http://192.168.1.10/jobs")]
    [InlineData("1.2.3.4")]
    [InlineData("http://[::1]/")]
    [InlineData("rrhh@gmail.com")]
    [InlineData("mailto:rrhh@acme.es")]
    [InlineData("ftp://acme.es")]
    [InlineData("www.acme.es www.acme.com")]
    [InlineData("http://acme..es")]
    [InlineData("http://-acme.es")]
    [InlineData("http://acme_web.es")]
    [InlineData("www.")]
    public void NormalizeDomain_returns_null_for_garbage(string? website)
    {
        Assert.Null(CompanyIdentity.NormalizeDomain(website));
    }

    [Theory]
    [InlineData("https://www.infojobs.net")]
    [InlineData("infojobs.net")]
    [InlineData("www.infojobs.net/barcelona/contable/of-i0123456789abcdef")]
    [InlineData("https://www.infojobs.net/galicia/offer-test/of-i0000000000000000000000000000")]
    [InlineData("http://www.infojobs.net/improven-consultores/em-i00000000")]
    [InlineData("https://empresa.infojobs.net/acme")]
    [InlineData("https://media.infojobs.net/logo.png")]
    [InlineData("https://infojobs.com.es")]
    [InlineData("HTTPS://WWW.INFOJOBS.NET:443/x")]
    [InlineData("https://www.infojobs.net.")]
    public void NormalizeDomain_never_returns_an_infojobs_domain(string url)
    {
        Assert.Null(CompanyIdentity.NormalizeDomain(url));
    }

    [Theory]
    [InlineData("gmail.com")]
    [InlineData("https://www.gmail.com")]
    [InlineData("HOTMAIL.ES")]
    [InlineData("https://www.linkedin.com/company/alfa-reformas")]
    [InlineData("https://es.linkedin.com/company/trading-gamma")]
    [InlineData("https://www.facebook.com/barmanolo")]
    [InlineData("instagram.com/peluana")]
    [InlineData("https://sites.google.com/view/acme")]
    [InlineData("https://linktr.ee/acme")]
    public void NormalizeDomain_gives_no_identity_for_a_host_many_companies_share(string website)
    {
        Assert.Null(CompanyIdentity.NormalizeDomain(website));
    }

    [Theory]
    [InlineData("https://acme.wixsite.com/tienda", "acme.wixsite.com")]
    [InlineData("acme.blogspot.com", "acme.blogspot.com")]
    [InlineData("https://gmail-tools.com", "gmail-tools.com")]
    [InlineData("mail.acme.es", "mail.acme.es")]
    public void NormalizeDomain_keeps_a_site_of_its_own_on_a_shared_service(string website, string domain)
    {
        Assert.Equal(domain, CompanyIdentity.NormalizeDomain(website));
    }

    [Fact]
    public void KeysOf_gives_each_company_its_own_keys_however_many_companies_come_and_go()
    {
        // Keys are kept for the companies last seen: thousands of companies, each seen twice, every pairing of a
        // website with another company's name, must each get exactly what normalizing them gives.
        var companies = Enumerable.Range(0, 3_000).Select(i => new OfferCompany
        {
            Name = $"Empresa {i} S.L.", Website = i % 3 == 0 ? null : $"https://www.empresa{i % 1000}.es",
        }).ToList();
        var swapped = companies.Select((c, i) => new OfferCompany { Name = c.Name, Website = companies[(i + 1) % companies.Count].Website });

        foreach (var company in companies.Concat(companies).Concat(swapped))
        {
            Assert.Equal(new CompanyKeys(CompanyIdentity.NormalizeDomain(company.Website), CompanyIdentity.NormalizeName(company.Name)),
                CompanyIdentity.KeysOf(company));
        }
    }

    [Fact]
    public void KeysOf_gives_the_normalized_domain_and_name_that_Resolve_decides_on()
    {
        var company = new OfferCompany { Name = "  Acme Pagos, S.L.U. ", Website = "https://www.Acme.es/empleo" };

        Assert.Equal(new CompanyKeys("acme.es", "acme pagos"), CompanyIdentity.KeysOf(company));
        Assert.Equal(new CompanyKeys(null, null), CompanyIdentity.KeysOf(null));
        Assert.Equal(new CompanyKeys(null, "acme"), CompanyIdentity.KeysOf(new OfferCompany { Name = "ACME SA", Website = "https://empresa.infojobs.net/acme" }));
    }

    [Fact]
    public void NormalizeDomain_keeps_a_company_whose_name_merely_contains_infojobs()
    {
        Assert.Equal("notinfojobs.es", CompanyIdentity.NormalizeDomain("https://notinfojobs.es"));
    }

    [Theory]
    [InlineData("Acme", "acme")]
    [InlineData("  ACME   Growth  ", "acme growth")]
    [InlineData("Acme Growth SL", "acme growth")]
    [InlineData("Acme Growth S.L.", "acme growth")]
    [InlineData("Acme Growth, S.L.", "acme growth")]
    [InlineData("Acme Growth S. L.", "acme growth")]
    [InlineData("Acme Growth S L", "acme growth")]
    [InlineData("Acme Growth S.L", "acme growth")]
    [InlineData("Acme S.L.U.", "acme")]
    [InlineData("Acme SLU", "acme")]
    [InlineData("Acme S.A.", "acme")]
    [InlineData("ACME, SA", "acme")]
    [InlineData("Acme S.A.U.", "acme")]
    [InlineData("Acme SAU", "acme")]
    [InlineData("Acme S.C.", "acme")]
    [InlineData("Acme S.COOP.", "acme")]
    [InlineData("Acme S. Coop.", "acme")]
    [InlineData("Acme Soc. Coop.", "acme")]
    [InlineData("Acme SLL", "acme")]
    [InlineData("Acme S.L.L.", "acme")]
    [InlineData("Acme S.A.L.", "acme")]
    [InlineData("Acme S.L.N.E.", "acme")]
    [InlineData("Acme Sociedad Limitada", "acme")]
    [InlineData("Acme Sociedad Anónima", "acme")]
    [InlineData("Acme sociedad limitada unipersonal", "acme")]
    [InlineData("Acme Sociedad Cooperativa", "acme")]
    [InlineData("Acme SA SL", "acme")]
    [InlineData("Acme, S.L., S.A.", "acme")]
    [InlineData("Acme S.L. (S.L.U.)", "acme")]
    [InlineData("Acme SL.", "acme")]
    [InlineData("Consultores S.L.P.", "consultores")]
    [InlineData("Consultores SLP", "consultores")]
    // Cooperatives: the andaluza, catalana and regional forms (the sample's "Olivar de Jaén S.C.A.").
    [InlineData("Olivar de Jaén S.C.A.", "olivar de jaen")]
    [InlineData("Olivar de Jaén SCA", "olivar de jaen")]
    [InlineData("Olivar de Jaén S.Coop.And.", "olivar de jaen")]
    [InlineData("Olivar de Jaén, S. Coop. And.", "olivar de jaen")]
    [InlineData("Olivar de Jaén S.C.And.", "olivar de jaen")]
    [InlineData("Olivar de Jaén Sociedad Cooperativa Andaluza", "olivar de jaen")]
    [InlineData("Olivar de Jaén SCCL", "olivar de jaen")]
    [InlineData("Olivar de Jaén S.C.C.L.", "olivar de jaen")]
    [InlineData("Olivar de Jaén Societat Cooperativa Catalana Limitada", "olivar de jaen")]
    [InlineData("Olivar de Jaén S.C.L.", "olivar de jaen")]
    [InlineData("Olivar de Jaén Sdad. Coop.", "olivar de jaen")]
    [InlineData("Olivar de Jaén S.Coop.Mad.", "olivar de jaen")]
    [InlineData("Olivar de Jaén S. Coop. Galega", "olivar de jaen")]
    [InlineData("Olivar de Jaén S.Coop. de C-LM", "olivar de jaen")]
    [InlineData("Olivar de Jaén Coop. V.", "olivar de jaen")]
    [InlineData("Olivar de Jaén Cooperativa Valenciana", "olivar de jaen")]
    [InlineData("Olivar de Jaén Koop. E.", "olivar de jaen")]
    // Other forms: comunidad de bienes, agraria de transformación, responsabilidad limitada, comanditaria, AIE.
    [InlineData("Olivar de Jaén C.B.", "olivar de jaen")]
    [InlineData("Olivar de Jaén Comunidad de Bienes", "olivar de jaen")]
    [InlineData("Olivar de Jaén S.A.T.", "olivar de jaen")]
    [InlineData("Olivar de Jaén S. A. T.", "olivar de jaen")]
    [InlineData("Olivar de Jaén Sociedad Agraria de Transformación", "olivar de jaen")]
    [InlineData("Olivar de Jaén S.R.L.", "olivar de jaen")]
    [InlineData("Olivar de Jaén Sociedad de Responsabilidad Limitada", "olivar de jaen")]
    [InlineData("Olivar de Jaén S.Com.", "olivar de jaen")]
    [InlineData("Olivar de Jaén S. en C.", "olivar de jaen")]
    [InlineData("Olivar de Jaén S.R.C.", "olivar de jaen")]
    [InlineData("Olivar de Jaén A.I.E.", "olivar de jaen")]
    [InlineData("Olivar de Jaén Agrupación de Interés Económico", "olivar de jaen")]
    [InlineData("Olivar de Jaén S.L.N.E.", "olivar de jaen")]
    [InlineData("Olivar de Jaén Sociedad Limitada Nueva Empresa", "olivar de jaen")]
    [InlineData("Olivar de Jaén Sociedad Limitada Profesional", "olivar de jaen")]
    [InlineData("Club Deportivo Jaén S.A.D.", "club deportivo jaen")]
    [InlineData("Olivar de Jaén Societat Limitada", "olivar de jaen")]
    [InlineData("Olivar de Jaén S.A.T., S.L.", "olivar de jaen")]
    public void NormalizeName_removes_trailing_legal_suffixes(string name, string expected)
    {
        Assert.Equal(expected, CompanyIdentity.NormalizeName(name));
    }

    [Theory]
    [InlineData("Compañía Española de Pagos", "compania espanola de pagos")]
    [InlineData("Ñandú Café Çà", "nandu cafe ca")]
    [InlineData("L'Oréal España S.A.", "loreal espana")]
    [InlineData("L’Oréal", "loreal")]
    [InlineData("Coca-Cola Europacific Partners", "coca cola europacific partners")]
    [InlineData("C&A Modas", "c & a modas")]
    [InlineData("Procter & Gamble", "procter & gamble")]
    [InlineData("I.B.M. España", "ibm espana")]
    [InlineData("IBM España", "ibm espana")]
    [InlineData("Acme.com", "acme com")]
    [InlineData("3M España, S.L.", "3m espana")]
    [InlineData("Acme\t\nGrowth", "acme growth")]
    [InlineData("SLsolutions", "slsolutions")]
    [InlineData("Hotel Sala", "hotel sala")]
    [InlineData("Sociedad Limitada del Norte", "sociedad limitada del norte")]
    [InlineData("ﬁnanzas SL", "finanzas")]
    [InlineData("Ｆｕｌｌ SL", "full")]
    // What an entity is, not its legal form, stays part of its name; so does UTE (a union of companies, none of them).
    [InlineData("Fundación Olivar de Jaén", "fundacion olivar de jaen")]
    [InlineData("Olivar de Jaén Fundación", "olivar de jaen fundacion")]
    [InlineData("Asociación Olivar de Jaén", "asociacion olivar de jaen")]
    [InlineData("Cooperativa Olivar de Jaén", "cooperativa olivar de jaen")]
    [InlineData("Grupo Olivar de Jaén", "grupo olivar de jaen")]
    [InlineData("Obras Jaén UTE", "obras jaen ute")]
    [InlineData("Olivar de Jaén Sociedad", "olivar de jaen sociedad")]
    [InlineData("Olivares Andaluces", "olivares andaluces")]
    public void NormalizeName_folds_case_diacritics_and_punctuation(string name, string expected)
    {
        Assert.Equal(expected, CompanyIdentity.NormalizeName(name));
    }

    [Theory]
    [InlineData("S.L.", "sl")]
    [InlineData("SA", "sa")]
    [InlineData("S.A. S.L.", "sa")]
    [InlineData("Sociedad Anónima", "sociedad anonima")]
    public void NormalizeName_never_strips_a_name_down_to_nothing(string name, string expected)
    {
        Assert.Equal(expected, CompanyIdentity.NormalizeName(name));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("---")]
    [InlineData(". , ;")]
    public void NormalizeName_returns_null_without_letters_or_digits(string? name)
    {
        Assert.Null(CompanyIdentity.NormalizeName(name));
    }

    private static OfferCompany Company(string? id = null, string? name = null, string? website = null, bool hidden = false) =>
        new() { ProviderCompanyId = id, Name = name, Website = website, Hidden = hidden };

    private static CompanyResolution Resolve(OfferCompany? company, FakeCompanies known) =>
        CompanyIdentity.Resolve(Providers.Infojobs, company, known);

    [Fact]
    public void Known_provider_company_id_resolves_to_its_company()
    {
        var known = new FakeCompanies().Add(7, "acme", "acme.es", sourceId: "p-1");

        var result = Resolve(Company("p-1", "Acme Renamed SL", "https://acme.es"), known);

        Assert.Equal(CompanyResolutionKind.Existing, result.Kind);
        Assert.Equal(7, result.CompanyId);
        Assert.Equal(CompanyMatch.Source, result.MatchedBy);
        Assert.False(result.LinkSource);
    }

    [Fact]
    public void Domain_beats_name()
    {
        var known = new FakeCompanies()
            .Add(1, "acme", null)
            .Add(2, "acme payments", "acmepay.es");

        var result = Resolve(Company("p-9", "Acme", "www.acmepay.es"), known);

        Assert.Equal(CompanyResolutionKind.Existing, result.Kind);
        Assert.Equal(2, result.CompanyId);
        Assert.Equal(CompanyMatch.Domain, result.MatchedBy);
        Assert.True(result.LinkSource);
        Assert.Equal("p-9", result.ProviderCompanyId);
    }

    [Fact]
    public void Company_known_by_name_only_is_enriched_with_the_new_domain_not_duplicated()
    {
        var known = new FakeCompanies().Add(4, "acme growth", null);

        var result = Resolve(Company(null, "ACME GROWTH, S.L.", "https://www.acmegrowth.com/about"), known);

        Assert.Equal(CompanyResolutionKind.Enriched, result.Kind);
        Assert.Equal(4, result.CompanyId);
        Assert.Equal(CompanyMatch.Name, result.MatchedBy);
        Assert.Equal("acmegrowth.com", result.Domain);
    }

    [Fact]
    public void Same_name_under_another_domain_is_a_different_company()
    {
        var known = new FakeCompanies().Add(4, "acme", "acme.es");

        var result = Resolve(Company(null, "Acme S.A.", "acme.mx"), known);

        Assert.Equal(CompanyResolutionKind.New, result.Kind);
        Assert.Null(result.CompanyId);
        Assert.Equal("acme.mx", result.Domain);
        Assert.Equal("acme", result.NormalizedName);
    }

    [Fact]
    public void Name_without_website_joins_the_company_of_that_name_even_if_it_has_a_domain()
    {
        var known = new FakeCompanies().Add(4, "acme", "acme.es");

        var result = Resolve(Company(null, "Acme SL", null), known);

        Assert.Equal(CompanyResolutionKind.Existing, result.Kind);
        Assert.Equal(4, result.CompanyId);
        Assert.Equal(CompanyMatch.Name, result.MatchedBy);
        Assert.Equal("acme.es", result.Domain);
    }

    [Fact]
    public void Unknown_name_and_domain_make_a_new_company_with_both_keys()
    {
        var result = Resolve(Company("p-3", "Nueva Empresa SLU", "nueva.es"), new FakeCompanies());

        Assert.Equal(CompanyResolutionKind.New, result.Kind);
        Assert.Equal("nueva.es", result.Domain);
        Assert.Equal("nueva empresa", result.NormalizedName);
        Assert.Equal("p-3", result.ProviderCompanyId);
        Assert.True(result.LinkSource);
    }

    [Fact]
    public void Infojobs_profile_uri_as_website_is_not_a_domain_so_the_name_decides()
    {
        var known = new FakeCompanies().Add(5, "improven consultores", null);

        var result = Resolve(Company(null, "Improven Consultores", "http://www.infojobs.net/improven-consultores/em-i00000000"), known);

        Assert.Equal(CompanyResolutionKind.Existing, result.Kind);
        Assert.Equal(5, result.CompanyId);
        Assert.Equal(CompanyMatch.Name, result.MatchedBy);
        Assert.Null(result.Domain);
    }

    [Fact]
    public void Hidden_profile_is_never_merged_by_name()
    {
        var known = new FakeCompanies().Add(1, "empresa confidencial", null).Add(2, "acme", null);

        var withId = Resolve(Company("anon-1", "Acme", null, hidden: true), known);
        var withoutId = Resolve(Company(null, "Acme", null, hidden: true), known);

        Assert.Equal(CompanyResolutionKind.New, withId.Kind);
        Assert.True(withId.Hidden);
        Assert.Equal("anon-1", withId.ProviderCompanyId);
        Assert.Equal(CompanyResolutionKind.NoIdentity, withoutId.Kind);
        Assert.Equal(0, known.NameLookups);
    }

    [Fact]
    public void Hidden_profile_with_a_website_domain_is_not_enriching_a_company_of_the_same_name()
    {
        var known = new FakeCompanies().Add(2, "acme", null);

        var result = Resolve(Company(null, "Acme", "acme.es", hidden: true), known);

        Assert.Equal(CompanyResolutionKind.New, result.Kind);
        Assert.Equal("acme.es", result.Domain);
        Assert.Equal(0, known.NameLookups);
    }

    [Fact]
    public void Hidden_profile_is_found_again_by_its_provider_company_id()
    {
        var known = new FakeCompanies().Add(8, "empresa confidencial", null, sourceId: "anon-1", hidden: true);

        var result = Resolve(Company("anon-1", "Empresa confidencial", null, hidden: true), known);

        Assert.Equal(CompanyResolutionKind.Existing, result.Kind);
        Assert.Equal(8, result.CompanyId);
        Assert.Equal(CompanyMatch.Source, result.MatchedBy);
    }

    [Fact]
    public void Real_profile_is_never_merged_by_name_into_a_hidden_company_even_if_the_lookup_returns_one()
    {
        var known = new FakeCompanies(nameLookupIgnoresHidden: true).Add(8, "acme", null, hidden: true);

        var result = Resolve(Company(null, "Acme", null), known);

        Assert.Equal(CompanyResolutionKind.New, result.Kind);
        Assert.Null(result.CompanyId);
    }

    [Theory]
    [InlineData(null, null, null, false)]
    [InlineData(null, "   ", "infojobs.net", false)]
    [InlineData("  ", "--", "not a website", false)]
    [InlineData(null, "Empresa confidencial", null, true)]
    public void No_identity_evidence_means_skip(string? id, string? name, string? website, bool hidden)
    {
        var result = Resolve(Company(id, name, website, hidden), new FakeCompanies());

        Assert.Equal(CompanyResolutionKind.NoIdentity, result.Kind);
        Assert.Null(result.CompanyId);
        Assert.False(result.LinkSource);
    }

    [Fact]
    public void Missing_company_means_skip()
    {
        Assert.Equal(CompanyResolutionKind.NoIdentity, Resolve(null, new FakeCompanies()).Kind);
    }

    [Fact]
    public void Provider_company_id_alone_is_enough_identity()
    {
        var result = Resolve(Company(" p-77 ", null, null), new FakeCompanies());

        Assert.Equal(CompanyResolutionKind.New, result.Kind);
        Assert.Equal("p-77", result.ProviderCompanyId);
        Assert.Null(result.Domain);
        Assert.Null(result.NormalizedName);
    }

    [Fact]
    public void Known_source_without_domain_is_enriched_when_the_domain_is_free()
    {
        var known = new FakeCompanies().Add(3, "acme", null, sourceId: "p-1");

        var result = Resolve(Company("p-1", "Acme", "acme.es"), known);

        Assert.Equal(CompanyResolutionKind.Enriched, result.Kind);
        Assert.Equal(3, result.CompanyId);
        Assert.Equal(CompanyMatch.Source, result.MatchedBy);
        Assert.Equal("acme.es", result.Domain);
        Assert.False(result.LinkSource);
    }

    [Fact]
    public void Known_source_keeps_its_company_when_the_domain_belongs_to_another_company()
    {
        var known = new FakeCompanies()
            .Add(3, "acme", null, sourceId: "p-1")
            .Add(9, "acme holdings", "acme.es");

        var result = Resolve(Company("p-1", "Acme", "acme.es"), known);

        Assert.Equal(CompanyResolutionKind.Existing, result.Kind);
        Assert.Equal(3, result.CompanyId);
        Assert.Null(result.Domain);
    }

    [Fact]
    public void Known_source_with_another_domain_keeps_its_company_and_domain()
    {
        var known = new FakeCompanies().Add(3, "acme", "acme.es", sourceId: "p-1");

        var result = Resolve(Company("p-1", "Acme", "acme-group.com"), known);

        Assert.Equal(CompanyResolutionKind.Existing, result.Kind);
        Assert.Equal(3, result.CompanyId);
        Assert.Equal("acme.es", result.Domain);
    }

    [Fact]
    public void Provider_ids_are_scoped_by_provider()
    {
        var known = new FakeCompanies().Add(3, "acme", null, sourceId: "p-1", provider: "other-board");

        var result = Resolve(Company("p-1", "Zeta", null), known);

        Assert.Equal(CompanyResolutionKind.New, result.Kind);
    }

    /// <summary>An in-memory company table honouring the <see cref="ICompanyLookup"/> contract.</summary>
    private sealed class FakeCompanies(bool nameLookupIgnoresHidden = false) : ICompanyLookup
    {
        private readonly List<(KnownCompany Company, string? Name, string? Provider, string? SourceId)> _rows = [];

        public int NameLookups { get; private set; }

        public FakeCompanies Add(long id, string? normalizedName, string? domain, string? sourceId = null,
            bool hidden = false, string provider = Providers.Infojobs)
        {
            _rows.Add((new KnownCompany(id, domain, hidden), normalizedName, provider, sourceId));
            return this;
        }

        public KnownCompany? FindBySource(string provider, string providerCompanyId) =>
            _rows.FirstOrDefault(r => r.Provider == provider && r.SourceId == providerCompanyId).Company;

        public KnownCompany? FindByDomain(string domain) =>
            _rows.FirstOrDefault(r => r.Company.Domain == domain).Company;

        public KnownCompany? FindByNormalizedName(string normalizedName)
        {
            NameLookups++;
            return _rows.Where(r => r.Name == normalizedName && (nameLookupIgnoresHidden || !r.Company.Hidden))
                .OrderBy(r => r.Company.Id).FirstOrDefault().Company;
        }
    }
}

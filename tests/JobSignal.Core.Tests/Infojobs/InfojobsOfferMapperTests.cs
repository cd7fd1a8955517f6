using System.Text.Json;
using JobSignal.Core.Infojobs;

namespace JobSignal.Core.Tests.Infojobs;

public class InfojobsOfferMapperTests
{
    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static JsonElement OfficialListItem()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestData", "sample_search_response.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("offers")[0].Clone();
    }

    // Shaped like a real GET /api/7/offer/{id} answer; the text is ours.
    private const string Detail = """
        {
          "title": "Técnico/a de tesorería internacional",
          "id": "ad2e4aaebf48f686fe5714d3619c7a",
          "state": 1,
          "creationDate": "2023-04-30T07:22:33.000+0000",
          "updateDate": "2023-05-21T08:30:02.000+0200",
          "city": "Madrid",
          "applications": 61,
          "province": { "id": 33, "value": "Madrid" },
          "experienceMin": { "id": 3, "value": "Al menos 3 años" },
          "category": { "id": 10, "value": "Administración de empresas" },
          "subcategory": { "id": 3005, "value": "Finanzas y contabilidad" },
          "country": { "id": 17, "value": "España" },
          "contractType": { "id": 1, "value": "Indefinido" },
          "journey": { "id": 1, "value": "Completa" },
          "profile": {
            "id": "66565152575356671111101006284563014736",
            "name": "Tesorería Global S.L.",
            "web": "",
            "url": "http://www.tesoreriaglobal.es",
            "corporateWebsiteUrl": "/tesoreria-global/em-i66565152575356671111101006284563014736",
            "websiteUrl": "",
            "hidden": false
          },
          "minRequirements": "Inglés C1.",
          "description": "Pagos internacionales en USD y GBP.",
          "desiredRequirements": "Se valorará SWIFT.",
          "maxPay": { "amount": 33000, "amountId": 285, "periodId": 3, "periodValue": "Bruto/año", "amountValue": "33.000 €" },
          "minPay": { "amount": 27000, "amountId": 275, "periodId": 3, "periodValue": "Bruto/año", "amountValue": "27.000 €" },
          "link": "https://www.infojobs.net/madrid/tecnico-tesoreria/of-iad2e4aaebf48f686fe5714d3619c7a",
          "salaryDescription": "27.000€ - 33.000€ Bruto/año"
        }
        """;

    [Fact]
    public void Maps_the_official_list_sample()
    {
        var offer = InfojobsOfferMapper.Map(OfficialListItem());

        Assert.Equal("infojobs", offer.Provider);
        Assert.Equal("0bb014b42f407ca6e988dc789f5a5a", offer.ProviderOfferId);
        Assert.Equal("Offer Test", offer.Title);
        Assert.Equal("https://www.infojobs.net/galicia/offer-test/of-i0000000000000000000000000000", offer.Url);
        Assert.Equal("Pontevedra", offer.Province);
        Assert.Equal("Galicia", offer.City);
        Assert.Equal("Administración de empresas", offer.Category);
        Assert.Equal("Organización de la empresa", offer.Subcategory);
        Assert.Equal("Indefinido", offer.ContractType);
        Assert.Equal("Completa", offer.WorkDay);
        Assert.Equal("Más de 5 años", offer.Experience);
        Assert.StartsWith("El perfil se corresponde", offer.Requirements);
        Assert.Null(offer.Description);
        Assert.Null(offer.Country);
    }

    [Fact]
    public void Marks_list_items_as_offers_without_their_detail()
    {
        Assert.True(InfojobsOfferMapper.Map(OfficialListItem()).DetailOmitted);
        Assert.False(InfojobsOfferMapper.Map(Parse(Detail)).DetailOmitted);
        Assert.False(InfojobsOfferMapper.Map(Parse("""{ "id": "x", "title": "t", "description": "" }""")).DetailOmitted);
    }

    [Fact]
    public void Reads_timestamps_with_compact_offsets_as_utc()
    {
        var offer = InfojobsOfferMapper.Map(OfficialListItem());

        Assert.Equal(new DateTimeOffset(2012, 9, 21, 10, 26, 23, TimeSpan.Zero), offer.PublishedAt);
        Assert.Equal(TimeSpan.Zero, offer.PublishedAt!.Value.Offset);
        Assert.Equal(offer.PublishedAt, offer.UpdatedAt);
    }

    [Fact]
    public void Turns_empty_dictionary_items_into_null()
    {
        var offer = InfojobsOfferMapper.Map(OfficialListItem());

        Assert.Null(offer.SalaryMin);
        Assert.Null(offer.SalaryMax);
        Assert.Null(offer.SalaryPeriod);
    }

    [Fact]
    public void Reads_applications_sent_as_a_string()
    {
        Assert.Equal(0, InfojobsOfferMapper.Map(OfficialListItem()).Applications);
        Assert.Equal(12, InfojobsOfferMapper.Map(Parse("""{"id":"a","applications":"12"}""")).Applications);
        Assert.Null(InfojobsOfferMapper.Map(Parse("""{"id":"a","applications":""}""")).Applications);
        Assert.Null(InfojobsOfferMapper.Map(Parse("""{"id":"a","applications":"many"}""")).Applications);
    }

    [Fact]
    public void Takes_the_list_author_without_its_infojobs_page_as_website()
    {
        var company = InfojobsOfferMapper.Map(OfficialListItem()).Company!;

        Assert.Equal("967153524526202350563215654828", company.ProviderCompanyId);
        Assert.Equal("Improven Consultores", company.Name);
        Assert.Null(company.Website);
        Assert.False(company.Hidden);
    }

    [Fact]
    public void Maps_a_detail_payload()
    {
        var offer = InfojobsOfferMapper.Map(Parse(Detail));

        Assert.Equal("ad2e4aaebf48f686fe5714d3619c7a", offer.ProviderOfferId);
        Assert.Equal("Técnico/a de tesorería internacional", offer.Title);
        Assert.Equal("Pagos internacionales en USD y GBP.", offer.Description);
        Assert.Equal("Inglés C1.\n\nSe valorará SWIFT.", offer.Requirements);
        Assert.Equal("España", offer.Country);
        Assert.Equal("Completa", offer.WorkDay);
        Assert.Equal("Al menos 3 años", offer.Experience);
        Assert.Equal("27.000 €", offer.SalaryMin);
        Assert.Equal("33.000 €", offer.SalaryMax);
        Assert.Equal("Bruto/año", offer.SalaryPeriod);
        Assert.Equal("27.000€ - 33.000€ Bruto/año", offer.SalaryDescription);
        Assert.Equal(61, offer.Applications);
        Assert.Equal(new DateTimeOffset(2023, 4, 30, 7, 22, 33, TimeSpan.Zero), offer.PublishedAt);
        Assert.Equal(new DateTimeOffset(2023, 5, 21, 6, 30, 2, TimeSpan.Zero), offer.UpdatedAt);
        Assert.Equal(TimeSpan.Zero, offer.UpdatedAt!.Value.Offset);
        Assert.Equal("https://www.infojobs.net/madrid/tecnico-tesoreria/of-iad2e4aaebf48f686fe5714d3619c7a", offer.Url);
    }

    [Fact]
    public void Takes_the_profile_website_and_skips_blank_and_relative_values()
    {
        var company = InfojobsOfferMapper.Map(Parse(Detail)).Company!;

        Assert.Equal("66565152575356671111101006284563014736", company.ProviderCompanyId);
        Assert.Equal("Tesorería Global S.L.", company.Name);
        Assert.Equal("http://www.tesoreriaglobal.es", company.Website);
        Assert.False(company.Hidden);
    }

    [Theory]
    [InlineData("""{"web":"www.acme.es"}""", "www.acme.es")]
    [InlineData("""{"web":"https://www.infojobs.net/acme/em-i1","url":"https://acme.es"}""", "https://acme.es")]
    [InlineData("""{"corporateWebsiteUrl":"/acme/em-i1","web":"/acme"}""", null)]
    [InlineData("""{"web":"INFOJOBS.net/acme","websiteUrl":"https://empleo.infojobs.es/acme"}""", null)]
    [InlineData("""{"web":"https://notinfojobs.es","url":"https://acme.es"}""", "https://notinfojobs.es")]
    [InlineData("""{"web":"https://infojobsacme.com"}""", "https://infojobsacme.com")]
    public void Chooses_a_company_website(string profile, string? expected)
    {
        var offer = InfojobsOfferMapper.Map(Parse("""{"id":"x","profile":{"id":"1","name":"Acme S.L.",""" + profile[1..^1] + "}}"));

        Assert.Equal(expected, offer.Company!.Website);
    }

    [Fact]
    public void Keeps_the_hidden_flag_of_anonymous_profiles()
    {
        var offer = InfojobsOfferMapper.Map(Parse("""{"id":"x","profile":{"id":"77","name":"Empresa confidencial","web":"","hidden":true}}"""));

        Assert.True(offer.Company!.Hidden);
        Assert.Equal("77", offer.Company.ProviderCompanyId);
        Assert.Null(offer.Company.Website);
    }

    [Fact]
    public void Leaves_company_null_without_any_identity()
    {
        var offer = InfojobsOfferMapper.Map(Parse("""{"id":"x","profile":{"id":"","name":" ","web":"","hidden":false}}"""));

        Assert.Null(offer.Company);
    }

    [Theory]
    [InlineData("2012-09-21T10:26:23.000+0000", "2012-09-21T10:26:23.0000000+00:00")]
    [InlineData("2024-01-15T10:00:00.000+0100", "2024-01-15T09:00:00.0000000+00:00")]
    [InlineData("2024-01-15T10:00:00.000+01:00", "2024-01-15T09:00:00.0000000+00:00")]
    [InlineData("2023-04-29T22:00:00.000Z", "2023-04-29T22:00:00.0000000+00:00")]
    [InlineData("2024-01-15T10:00:00", "2024-01-15T10:00:00.0000000+00:00")]
    [InlineData("yesterday", null)]
    [InlineData(" ", null)]
    public void Parses_timestamps_to_utc(string text, string? expected)
    {
        Assert.Equal(expected, InfojobsOfferMapper.ParseTimestamp(text)?.ToString("o"));
    }

    [Fact]
    public void Accepts_numeric_ids_and_missing_fields()
    {
        var offer = InfojobsOfferMapper.Map(Parse("""{"id":12345,"title":null,"province":{"id":0,"value":""}}"""));

        Assert.Equal("12345", offer.ProviderOfferId);
        Assert.Null(offer.Title);
        Assert.Null(offer.Province);
        Assert.Null(offer.Company);
        Assert.Null(offer.Url);
    }

    [Fact]
    public void Rejects_a_payload_that_is_not_an_object()
    {
        var ex = Assert.Throws<FormatException>(() => InfojobsOfferMapper.Map(Parse("[1,2]")));
        Assert.Contains("an array", ex.Message);
    }

    [Fact]
    public void Is_pure_the_same_payload_gives_the_same_offer()
    {
        var payload = Parse(Detail);

        Assert.Equal(JsonSerializer.Serialize(InfojobsOfferMapper.Map(payload)),
            JsonSerializer.Serialize(InfojobsOfferMapper.Map(payload)));
    }
}

using JobSignal.Core.Domain;
using JobSignal.Core.Ingestion;

namespace JobSignal.Core.Tests.Ingestion;

public class OfferValidatorTests
{
    private static Offer Valid() => new()
    {
        ProviderOfferId = "of-123",
        Url = "https://www.infojobs.net/madrid/contable/of-i123",
        Title = "Contable",
    };

    [Fact]
    public void Complete_offer_is_valid()
    {
        Assert.Null(OfferValidator.Validate(Valid()));
    }

    [Theory]
    [InlineData("http://example.com/of/1")]
    [InlineData("  https://example.com/of/1  ")]
    public void Http_and_https_urls_are_accepted(string url)
    {
        var offer = Valid();
        offer.Url = url;
        Assert.Null(OfferValidator.Validate(offer));
    }

    [Theory]
    [InlineData("", "ProviderOfferId")]
    [InlineData("   ", "ProviderOfferId")]
    public void Blank_provider_offer_id_is_named(string id, string field)
    {
        var offer = Valid();
        offer.ProviderOfferId = id;
        var failure = OfferValidator.Validate(offer);
        Assert.NotNull(failure);
        Assert.Equal(field, failure.Field);
        Assert.Contains("ProviderOfferId", failure.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    [InlineData("/madrid/contable/of-i123")]
    [InlineData("www.infojobs.net/of-i123")]
    [InlineData("ftp://example.com/of")]
    [InlineData("mailto:rrhh@acme.es")]
    [InlineData("file:///etc/passwd")]
    [InlineData("https://")]
    public void Url_that_is_not_absolute_http_is_named(string? url)
    {
        var offer = Valid();
        offer.Url = url;
        var failure = OfferValidator.Validate(offer);
        Assert.NotNull(failure);
        Assert.Equal("Url", failure.Field);
        Assert.StartsWith("Url", failure.Message);
    }

    [Fact]
    public void Long_bad_url_is_quoted_shortened()
    {
        var offer = Valid();
        offer.Url = "not-a-url-" + new string('x', 500);
        var failure = OfferValidator.Validate(offer)!;
        Assert.True(failure.Message.Length < 150, failure.Message);
        Assert.Contains("not-a-url-", failure.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \t ")]
    public void Missing_title_is_named(string? title)
    {
        var offer = Valid();
        offer.Title = title;
        var failure = OfferValidator.Validate(offer);
        Assert.NotNull(failure);
        Assert.Equal("Title", failure.Field);
    }

    [Fact]
    public void Null_offer_is_invalid_not_a_crash()
    {
        Assert.Equal("Offer", OfferValidator.Validate(null)!.Field);
    }

    [Fact]
    public void First_problem_is_reported_in_id_url_title_order()
    {
        Assert.Equal("ProviderOfferId", OfferValidator.Validate(new Offer())!.Field);
        Assert.Equal("Url", OfferValidator.Validate(new Offer { ProviderOfferId = "1" })!.Field);
    }
}

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

public class OfferUrlCheckTests
{
    private static bool UriAccepts(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.Host.Length > 0;

    [Theory]
    [InlineData("https://www.infojobs.net/madrid/tesorero/of-i0123456789abcdef")]
    [InlineData("http://example.com")]
    [InlineData("https://a.b.c/path?q=1&r=two#frag")]
    [InlineData("https://192.168.0.1/x")]
    [InlineData("https://x-y.es/of-1;v=2,3")]
    public void Takes_the_usual_offer_url_without_the_framework_parser(string url)
    {
        Assert.True(OfferValidator.IsPlainHttpUrl(url));
        Assert.True(UriAccepts(url));
    }

    [Theory]
    [InlineData("HTTPS://WWW.INFOJOBS.NET/x")]
    [InlineData("https://www.infojobs.net:8443/x")]
    [InlineData("https://café.es/oferta")]
    [InlineData("https://a.es/100%25")]
    [InlineData("https://a.es/with space")]
    [InlineData("https://a.es./x")]
    [InlineData("http:///x")]
    [InlineData("https://-a.com/")]
    [InlineData("https://a..b/")]
    [InlineData("https://user@host.es/")]
    [InlineData("https://a.es/[x]")]
    [InlineData("ftp://a.es/x")]
    [InlineData("/oferta/123")]
    [InlineData("https://a.es\\x")]
    public void Leaves_any_other_url_to_the_framework_parser_with_the_same_answer(string url)
    {
        Assert.False(OfferValidator.IsPlainHttpUrl(url));
        Assert.Equal(UriAccepts(url), OfferValidator.IsAbsoluteHttpUrl(url));
    }

    [Theory]
    [InlineData(4_096)]
    [InlineData(70_000)]
    public void Leaves_a_long_url_to_the_framework_parser(int length)
    {
        var url = "https://a.es/" + new string('x', length - "https://a.es/".Length);
        Assert.Equal(UriAccepts(url), OfferValidator.IsAbsoluteHttpUrl(url));
        Assert.True(OfferValidator.IsPlainHttpUrl(url[..4_096]));
        Assert.False(OfferValidator.IsPlainHttpUrl(url + "y"));
    }

    [Fact]
    public void Never_takes_a_url_the_framework_parser_refuses()
    {
        // Hosts mostly made of host characters, then any URL-ish text: both sides of every rule of the plain path.
        const string hostAlphabet = "abz09-.-.";
        const string alphabet = "abcz09-._~:/?#[]@!$&'()*+,;=% \\AZñ";
        var random = new Random(20251130);
        string Random(string from, int max) => new(Enumerable.Range(0, random.Next(0, max)).Select(_ => from[random.Next(from.Length)]).ToArray());
        var taken = 0;
        for (var i = 0; i < 50_000; i++)
        {
            var url = (random.Next(2) == 0 ? "http://" : "https://") + Random(hostAlphabet, 12)
                + (random.Next(3) == 0 ? "" : "/" + Random(alphabet, 16));
            var accepted = UriAccepts(url);
            if (OfferValidator.IsPlainHttpUrl(url))
            {
                taken++;
                Assert.True(accepted, $"'{url}' was taken, but Uri refuses it");
            }
            Assert.Equal(accepted, OfferValidator.IsAbsoluteHttpUrl(url));
        }
        Assert.True(taken > 1_000, $"only {taken} random URLs took the plain path");
    }
}

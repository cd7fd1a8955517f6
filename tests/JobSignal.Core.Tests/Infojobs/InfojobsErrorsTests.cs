using JobSignal.Core.Infojobs;

namespace JobSignal.Core.Tests.Infojobs;

public sealed class InfojobsErrorsTests
{
    [Theory]
    [InlineData("http://bob:S3CRETTOKEN@mirror/", "http://***@mirror/")]
    [InlineData("https://S3CRETTOKEN@mirror.example/api/", "https://***@mirror.example/api/")]
    [InlineData("https://api.infojobs.net/", "https://api.infojobs.net/")]
    [InlineData("https://api.infojobs.net/api/9/offer?q=a@b", "https://api.infojobs.net/api/9/offer?q=a@b")]
    public void A_web_uri_shows_its_user_info_as_stars(string uri, string shown) =>
        Assert.Equal(shown, InfojobsErrors.Redact(new Uri(uri)));

    [Theory]
    [InlineData("http//bob:S3CRETTOKEN@mirror/", "http//***@mirror/")]
    [InlineData("bob:S3CRETTOKEN@mirror", "***@mirror")]
    [InlineData("ftp://bob:S3CRETTOKEN@mirror/", "ftp://***@mirror/")]
    [InlineData("mirror.local:8080/api", "mirror.local:8080/api")]
    public void Text_that_is_no_web_uri_still_hides_what_looks_like_user_info(string text, string shown)
    {
        Assert.Equal(shown, InfojobsErrors.Redact(text));
        if (Uri.TryCreate(text, UriKind.RelativeOrAbsolute, out var uri)) Assert.Equal(shown, InfojobsErrors.Redact(uri));
    }
}

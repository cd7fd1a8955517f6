using JobSignal.Core.Common;
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

    [Theory]
    [InlineData(" ", "x", "the -Credential user name (the client id) is empty.")]
    [InlineData("a:b", "x", "the -Credential user name (the client id) must not contain ':' (the HTTP Basic separator).")]
    [InlineData("id", " \r ", "the -Credential password (the client secret) is empty.")]
    public void Unusable_credentials_name_the_parameter_as_target_and_in_words_without_a_dotnet_suffix(string id, string secret, string why)
    {
        var ex = Assert.Throws<JobSignalException>(() => InfojobsCredentials.FromParameter(id, secret));

        Assert.Equal((InfojobsErrors.CredentialsInvalid, FailureKind.InvalidArgument, (object?)"-Credential"), (ex.ErrorId, ex.Kind, ex.Target));
        Assert.Equal("The InfoJobs credentials are not usable: " + why, ex.Message);
        Assert.Equal("Pass -Credential with the client id as user name and the client secret as password.", ex.RecommendedAction);
    }

    [Fact]
    public void Missing_credentials_name_both_variables_as_target()
    {
        var ex = InfojobsErrors.CredentialsMissingError();

        Assert.Equal("$env:INFOJOBS_CLIENT_ID, $env:INFOJOBS_CLIENT_SECRET", ex.Target);
        Assert.EndsWith("or pass -Credential.", ex.RecommendedAction);
    }
}

using JobSignal.Core.Common;

namespace JobSignal.Core.Infojobs;

/// <summary>The stable ErrorIds of the InfoJobs source, and the exceptions that carry them.</summary>
public static class InfojobsErrors
{
    public const string CredentialsMissing = "InfojobsCredentialsMissing";
    public const string CredentialsInvalid = "InfojobsCredentialsInvalid";
    public const string BaseUriInvalid = "InfojobsBaseUriInvalid";
    public const string AuthenticationFailed = "InfojobsAuthenticationFailed";
    public const string RateLimited = "InfojobsRateLimited";
    public const string RequestFailed = "InfojobsRequestFailed";
    public const string BadResponse = "InfojobsBadResponse";
    public const string DetailFailed = "InfojobsDetailFailed";
    public const string OfferNotFound = "InfojobsOfferNotFound";
    public const string PayloadInvalid = "InfojobsPayloadInvalid";
    public const string PayloadPathNotFound = "InfojobsPayloadPathNotFound";
    public const string PayloadSaveFailed = "InfojobsPayloadSaveFailed";

    /// <summary>Failures that end the whole fetch: nothing else can succeed with these credentials.</summary>
    public static bool IsFatal(JobSignalException ex) => ex.ErrorId == AuthenticationFailed;

    public static JobSignalException CredentialsMissingError() => new(CredentialsMissing, FailureKind.AuthenticationError,
        $"No InfoJobs credentials: pass -Credential (user name = client id, password = client secret) or set the environment variables {InfojobsCredentials.ClientIdVariable} and {InfojobsCredentials.ClientSecretVariable}.",
        null, $"Register an application at https://developer.infojobs.net and set {InfojobsCredentials.ClientIdVariable} and {InfojobsCredentials.ClientSecretVariable}.");

    /// <summary>
    /// A URI as it may be shown (verbose lines, messages, error targets): user info (a mirror's
    /// <c>http://user:token@host/</c>) is replaced by <c>***</c>, since it is a credential.
    /// </summary>
    public static string Redact(Uri uri)
    {
        if (!uri.IsAbsoluteUri || string.IsNullOrEmpty(uri.UserInfo)) return uri.ToString();
        return new UriBuilder(uri) { UserName = "***", Password = "" }.Uri.ToString();
    }

    /// <summary>The first characters of a body, on one line, for messages about answers we could not use.</summary>
    public static string Snippet(ReadOnlySpan<byte> body, int maxChars = 160)
    {
        if (body.IsEmpty) return "(empty body)";
        var text = System.Text.Encoding.UTF8.GetString(body[..Math.Min(body.Length, maxChars * 4)]);
        var chars = text.Select(c => char.IsControl(c) ? ' ' : c).Take(maxChars + 1).ToArray();
        var snippet = new string(chars, 0, Math.Min(chars.Length, maxChars)).Trim();
        return chars.Length > maxChars ? snippet + "..." : snippet;
    }
}

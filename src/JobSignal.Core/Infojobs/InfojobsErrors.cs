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
    public const string DetailMismatch = "InfojobsDetailMismatch";
    public const string OfferNotFound = "InfojobsOfferNotFound";
    public const string PayloadInvalid = "InfojobsPayloadInvalid";
    public const string PayloadPathNotFound = "InfojobsPayloadPathNotFound";
    public const string PayloadSaveFailed = "InfojobsPayloadSaveFailed";

    /// <summary>Failures that end the whole fetch: nothing else can succeed with these credentials.</summary>
    public static bool IsFatal(JobSignalException ex) => ex.ErrorId == AuthenticationFailed;

    /// <summary>No credentials at all; the target names the two variables (and the message -Credential too).</summary>
    public static JobSignalException CredentialsMissingError() => new(CredentialsMissing, FailureKind.AuthenticationError,
        $"No InfoJobs credentials: pass -Credential (user name = client id, password = client secret) or set the environment variables {InfojobsCredentials.ClientIdVariable} and {InfojobsCredentials.ClientSecretVariable}.",
        $"$env:{InfojobsCredentials.ClientIdVariable}, $env:{InfojobsCredentials.ClientSecretVariable}",
        $"Register an application at https://developer.infojobs.net and set {InfojobsCredentials.ClientIdVariable} and {InfojobsCredentials.ClientSecretVariable}, or pass -Credential.");

    /// <summary>
    /// A URI as it may be shown (verbose lines, messages, error targets): user info (a mirror's
    /// <c>http://user:token@host/</c>) is replaced by <c>***</c>, since it is a credential.
    /// </summary>
    public static string Redact(Uri uri)
    {
        if (uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            return string.IsNullOrEmpty(uri.UserInfo) ? uri.ToString() : new UriBuilder(uri) { UserName = "***", Password = "" }.Uri.ToString();
        // Not a web URI (a mistyped scheme, none at all): "bob:token@mirror" parses as scheme "bob" with no user info.
        return Redact(uri.OriginalString);
    }

    /// <summary>
    /// Text meant as a URI, as it may be shown, also when it is none (<c>http//bob:token@mirror/</c>,
    /// <c>bob:token@mirror</c>): everything before its last <c>@</c>, after the <c>//</c> if there is one, is
    /// replaced by <c>***</c>. Such text is a base URI a user typed, where an <c>@</c> only ever ends user info.
    /// </summary>
    public static string Redact(string text)
    {
        var at = text.LastIndexOf('@');
        if (at < 0) return text;
        var slashes = text.IndexOf("//", StringComparison.Ordinal);
        var start = slashes >= 0 && slashes < at ? slashes + 2 : 0;
        return string.Concat(text.AsSpan(0, start), "***", text.AsSpan(at));
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

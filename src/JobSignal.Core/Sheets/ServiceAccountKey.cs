using Google.Apis.Auth.OAuth2;
using JobSignal.Core.Common;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace JobSignal.Core.Sheets;

/// <summary>
/// Loads a Google service-account key file (the JSON a Cloud console "Create key" downloads) into a credential
/// scoped to Sheets. The file is checked first, so that every problem has its own clear message; no message ever
/// quotes the file's content (Google's and Newtonsoft's parser messages can, so they are never passed on).
/// </summary>
public static class ServiceAccountKey
{
    public const string SheetsScope = "https://www.googleapis.com/auth/spreadsheets";
    private const string Action = "Download a new JSON key for the service account (IAM > Service accounts > Keys) "
                                  + "and point -CredentialPath or GOOGLE_APPLICATION_CREDENTIALS at it.";

    /// <summary>
    /// The credential, the service account's e-mail (to tell the user whom to share the Sheet with) and where it signs
    /// in (the key file's token_uri, to name it when it cannot be reached).
    /// </summary>
    public static (GoogleCredential Credential, string ClientEmail, Uri TokenUri) Load(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw Invalid(path, "No service-account key file was given.");
        if (Directory.Exists(path))
            throw new JobSignalException("SheetsCredentialNotFound", FailureKind.ObjectNotFound,
                $"'{path}' is a folder, not a service-account key file.", path,
                "Point -CredentialPath or GOOGLE_APPLICATION_CREDENTIALS at the JSON key file itself, not at its folder.");
        if (!File.Exists(path))
            throw new JobSignalException("SheetsCredentialNotFound", FailureKind.ObjectNotFound,
                $"The service-account key file '{path}' does not exist.", path, Action);

        string json;
        try { json = File.ReadAllText(path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Invalid(path, $"The service-account key file '{path}' could not be read ({ex.GetType().Name}).");
        }
        return FromJson(json, path);
    }

    internal static (GoogleCredential Credential, string ClientEmail, Uri TokenUri) FromJson(string json, string source)
    {
        JObject key;
        try
        {
            using var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None };
            key = JObject.Load(reader);
        }
        catch (JsonReaderException ex)
        {
            // Newtonsoft says line 0 when it fails before reading a line: that is the first one.
            throw Invalid(source, $"The service-account key file '{source}' is not valid JSON "
                                  + $"(line {Math.Max(ex.LineNumber, 1)}, position {Math.Max(ex.LinePosition, 1)}).");
        }

        var type = (key.Value<string>("type") ?? "").Trim();
        if (type != JsonCredentialParameters.ServiceAccountCredentialType)
            throw Invalid(source, $"The key file '{source}' is not a service-account key "
                                  + (type.Length == 0 ? "(it has no \"type\")." : $"(its type is '{Clip(type)}', expected 'service_account')."));
        var missing = new[] { "client_email", "private_key" }
            .Where(field => string.IsNullOrWhiteSpace(key.Value<string>(field))).ToList();
        if (missing.Count > 0)
            throw Invalid(source, $"The service-account key file '{source}' lacks {string.Join(" and ", missing)}.");
        var tokenUri = key.Value<string>("token_uri");
        if (tokenUri is not null && !(Uri.TryCreate(tokenUri, UriKind.Absolute, out var uri)
                                      && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)))
            throw Invalid(source, $"The service-account key file '{source}' has a token_uri that is not an http(s) URL.");

        ServiceAccountCredential account;
        try { account = CredentialFactory.FromJson<ServiceAccountCredential>(json); }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw Invalid(source, $"The private key in '{source}' could not be read (it must be the PEM PKCS#8 "
                                  + "key block of the downloaded file, unchanged).");
        }
        return (account.ToGoogleCredential().CreateScoped(SheetsScope), key.Value<string>("client_email")!.Trim(),
            new Uri(account.TokenServerUrl));
    }

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static JobSignalException Invalid(string? path, string message) =>
        new("SheetsCredentialInvalid", FailureKind.InvalidData, message, path, Action);
}

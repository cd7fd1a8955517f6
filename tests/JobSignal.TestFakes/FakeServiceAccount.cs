using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace JobSignal.TestFakes;

/// <summary>
/// A throw-away service account for the fake: a fresh RSA key registered with the server and a JSON key file in
/// Google's format whose token_uri points at the fake, so the real Google.Apis.Auth sign-in runs end to end.
/// </summary>
public sealed class FakeServiceAccount
{
    private FakeServiceAccount(string keyFilePath, string clientEmail, string privateKeyPem, string keyJson)
    {
        KeyFilePath = keyFilePath;
        ClientEmail = clientEmail;
        PrivateKeyPem = privateKeyPem;
        KeyJson = keyJson;
    }

    public string KeyFilePath { get; }
    public string ClientEmail { get; }
    /// <summary>The private key as written in the file, for asserting that no message ever contains it.</summary>
    public string PrivateKeyPem { get; }
    public string KeyJson { get; }

    /// <summary>The base64 body of the private key, without the PEM armour lines (what a leak would contain).</summary>
    public IEnumerable<string> PrivateKeyLines =>
        PrivateKeyPem.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !line.StartsWith("-----", StringComparison.Ordinal));

    public static FakeServiceAccount Create(FakeGoogleServer server, string directory,
        string clientEmail = "jobsignal-test@fake-project.iam.gserviceaccount.com")
    {
        using var rsa = RSA.Create(2048);
        server.RegisterServiceAccount(clientEmail, rsa.ExportParameters(includePrivateParameters: false));
        var pem = rsa.ExportPkcs8PrivateKeyPem() + "\n";
        var json = new JsonObject
        {
            ["type"] = "service_account",
            ["project_id"] = "fake-project",
            ["private_key_id"] = Guid.NewGuid().ToString("n"),
            ["private_key"] = pem,
            ["client_email"] = clientEmail,
            ["client_id"] = "100000000000000000000",
            ["auth_uri"] = new Uri(server.BaseUri, "auth").ToString(),
            ["token_uri"] = server.TokenUri.ToString(),
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "service-account.json");
        File.WriteAllText(path, json);
        return new FakeServiceAccount(path, clientEmail, pem, json);
    }
}

using System.Text;

namespace JobSignal.Core.Infojobs;

/// <summary>
/// The InfoJobs application credentials (HTTP Basic <c>client_id:client_secret</c>). The secret is only ever turned
/// into the Authorization header; <see cref="ToString"/> and every message show the client id alone.
/// </summary>
public sealed class InfojobsCredentials
{
    public const string ClientIdVariable = "INFOJOBS_CLIENT_ID";
    public const string ClientSecretVariable = "INFOJOBS_CLIENT_SECRET";

    private readonly string _clientSecret;

    /// <summary>
    /// Surrounding whitespace is dropped from both: InfoJobs ids and secrets have none, and a value read from an
    /// environment file written on Windows ends with a carriage return that would otherwise fail as a wrong secret.
    /// </summary>
    public InfojobsCredentials(string clientId, string clientSecret)
    {
        clientId = clientId?.Trim() ?? "";
        clientSecret = clientSecret?.Trim() ?? "";
        if (clientId.Length == 0) throw new ArgumentException("The client id is empty.", nameof(clientId));
        if (clientId.Contains(':')) throw new ArgumentException("The client id must not contain ':' (HTTP Basic separator).", nameof(clientId));
        if (clientSecret.Length == 0) throw new ArgumentException("The client secret is empty.", nameof(clientSecret));
        ClientId = clientId;
        _clientSecret = clientSecret;
    }

    public string ClientId { get; }

    /// <summary>
    /// The credentials from $env:INFOJOBS_CLIENT_ID / $env:INFOJOBS_CLIENT_SECRET; null when both are unset or empty.
    /// One without the other (a scheduler's environment file with an empty or blank <c>INFOJOBS_CLIENT_SECRET=</c> line) is an
    /// <see cref="ArgumentException"/> naming the missing one, not "no credentials".
    /// </summary>
    public static InfojobsCredentials? FromEnvironment()
    {
        var id = Environment.GetEnvironmentVariable(ClientIdVariable);
        var secret = Environment.GetEnvironmentVariable(ClientSecretVariable);
        var hasId = !string.IsNullOrWhiteSpace(id);
        var hasSecret = !string.IsNullOrWhiteSpace(secret);
        if (hasId != hasSecret)
            throw new ArgumentException(hasId
                ? $"{ClientIdVariable} is set but {ClientSecretVariable} is empty or not set."
                : $"{ClientSecretVariable} is set but {ClientIdVariable} is empty or not set.");
        return hasId ? new InfojobsCredentials(id!, secret!) : null;
    }

    /// <summary>The Basic parameter: base64 of UTF-8 <c>client_id:client_secret</c>.</summary>
    internal string BasicParameter => Convert.ToBase64String(Encoding.UTF8.GetBytes(ClientId + ":" + _clientSecret));

    public override string ToString() => ClientId + " (secret hidden)";
}

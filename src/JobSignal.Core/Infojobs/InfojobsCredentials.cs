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
        if (Problem(clientId, clientSecret) is { } problem)
            throw new ArgumentException($"The client {(problem.InSecret ? "secret" : "id")} {problem.Reason}.");
        ClientId = clientId;
        _clientSecret = clientSecret;
    }

    public string ClientId { get; }

    /// <summary>
    /// The credentials of <c>-Credential</c> (user name = client id, password = client secret). Values that cannot be
    /// credentials are InfojobsCredentialsInvalid with <c>-Credential</c> as target, the secret never shown.
    /// </summary>
    public static InfojobsCredentials FromParameter(string? userName, string? password) =>
        Checked(userName, password, "the -Credential user name (the client id)", "the -Credential password (the client secret)",
            ParameterName, ParameterName,
            "Pass -Credential with the client id as user name and the client secret as password.");

    /// <summary>
    /// The credentials from $env:INFOJOBS_CLIENT_ID / $env:INFOJOBS_CLIENT_SECRET; null when both are unset or empty.
    /// One without the other (a scheduler's environment file with an empty or blank <c>INFOJOBS_CLIENT_SECRET=</c> line),
    /// or a value that cannot be a credential, is InfojobsCredentialsInvalid naming the variable at fault as target.
    /// </summary>
    public static InfojobsCredentials? FromEnvironment()
    {
        var id = Environment.GetEnvironmentVariable(ClientIdVariable);
        var secret = Environment.GetEnvironmentVariable(ClientSecretVariable);
        var hasId = !string.IsNullOrWhiteSpace(id);
        var hasSecret = !string.IsNullOrWhiteSpace(secret);
        const string action = $"Set both {ClientIdVariable} and {ClientSecretVariable} (or pass -Credential).";
        if (hasId != hasSecret)
            throw Invalid(hasId
                ? $"{ClientIdVariable} is set but {ClientSecretVariable} is empty or not set."
                : $"{ClientSecretVariable} is set but {ClientIdVariable} is empty or not set.",
                "$env:" + (hasId ? ClientSecretVariable : ClientIdVariable), action);
        return hasId
            ? Checked(id, secret, "$env:" + ClientIdVariable, "$env:" + ClientSecretVariable, "$env:" + ClientIdVariable,
                "$env:" + ClientSecretVariable, action)
            : null;
    }

    private const string ParameterName = "-Credential";

    /// <summary>
    /// The credentials, or InfojobsCredentialsInvalid naming the setting at fault (<paramref name="idSetting"/> or
    /// <paramref name="secretSetting"/>, as the message's subject) and its target; the secret's value never.
    /// </summary>
    private static InfojobsCredentials Checked(string? clientId, string? clientSecret, string idSetting, string secretSetting,
        string idTarget, string secretTarget, string recommendedAction)
    {
        clientId = clientId?.Trim() ?? "";
        clientSecret = clientSecret?.Trim() ?? "";
        if (Problem(clientId, clientSecret) is not { } problem) return new InfojobsCredentials(clientId, clientSecret);
        return problem.InSecret
            ? throw Invalid($"{secretSetting} {problem.Reason}.", secretTarget, recommendedAction)
            : throw Invalid($"{idSetting} {problem.Reason}.", idTarget, recommendedAction);
    }

    /// <summary>Why these (trimmed) values cannot be credentials, and whether it is the secret's fault; null when they can.</summary>
    private static (bool InSecret, string Reason)? Problem(string clientId, string clientSecret) =>
        clientId.Length == 0 ? (false, "is empty")
        : clientId.Contains(':') ? (false, "must not contain ':' (the HTTP Basic separator)")
        : clientSecret.Length == 0 ? (true, "is empty")
        : null;

    private static Common.JobSignalException Invalid(string why, string target, string recommendedAction) =>
        new(InfojobsErrors.CredentialsInvalid, Common.FailureKind.InvalidArgument,
            "The InfoJobs credentials are not usable: " + why, target, recommendedAction);

    /// <summary>The Basic parameter: base64 of UTF-8 <c>client_id:client_secret</c>.</summary>
    internal string BasicParameter => Convert.ToBase64String(Encoding.UTF8.GetBytes(ClientId + ":" + _clientSecret));

    public override string ToString() => ClientId + " (secret hidden)";
}

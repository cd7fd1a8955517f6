using System.Management.Automation;
using JobSignal.Core.Common;
using JobSignal.Core.Infojobs;

namespace JobSignal.Cmdlets.Infrastructure;

/// <summary>
/// The one place cmdlets resolve InfoJobs credentials: <c>-Credential</c> (user name = client id, password = client
/// secret), else $env:INFOJOBS_CLIENT_ID / $env:INFOJOBS_CLIENT_SECRET. Values that cannot be credentials (an empty
/// secret, a ':' in the client id) are an InfojobsCredentialsInvalid <see cref="JobSignalException"/>.
/// </summary>
internal static class InfojobsCredentialSource
{
    /// <summary>The credentials, or null when neither the parameter nor both variables are set.</summary>
    public static InfojobsCredentials? Resolve(PSCredential? credential)
    {
        try
        {
            // A -Credential given with a blank user name is a mistake to report, not a reason to use other credentials.
            if (credential is not null && !ReferenceEquals(credential, PSCredential.Empty))
                return new InfojobsCredentials(credential.UserName, credential.GetNetworkCredential().Password);
            return InfojobsCredentials.FromEnvironment();
        }
        catch (ArgumentException ex)
        {
            throw new JobSignalException(InfojobsErrors.CredentialsInvalid, FailureKind.InvalidArgument,
                "The InfoJobs credentials are not usable: " + ex.Message, null,
                $"Pass -Credential with the client id as user name and the client secret as password, or set {InfojobsCredentials.ClientIdVariable} and {InfojobsCredentials.ClientSecretVariable}.");
        }
    }

    /// <summary>The credentials; none at all is InfojobsCredentialsMissing, naming both variables.</summary>
    public static InfojobsCredentials Require(PSCredential? credential) =>
        Resolve(credential) ?? throw InfojobsErrors.CredentialsMissingError();
}

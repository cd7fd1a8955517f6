using System.Management.Automation;
using JobSignal.Core.Infojobs;

namespace JobSignal.Cmdlets.Infrastructure;

/// <summary>
/// The one place cmdlets resolve InfoJobs credentials: <c>-Credential</c> (user name = client id, password = client
/// secret), else $env:INFOJOBS_CLIENT_ID / $env:INFOJOBS_CLIENT_SECRET. Values that cannot be credentials (an empty
/// secret, a ':' in the client id) are an InfojobsCredentialsInvalid <see cref="Core.Common.JobSignalException"/>
/// whose target is the setting at fault.
/// </summary>
internal static class InfojobsCredentialSource
{
    /// <summary>The credentials, or null when neither the parameter nor both variables are set.</summary>
    public static InfojobsCredentials? Resolve(PSCredential? credential) =>
        // A -Credential given with a blank user name is a mistake to report, not a reason to use other credentials.
        credential is not null && !ReferenceEquals(credential, PSCredential.Empty)
            ? InfojobsCredentials.FromParameter(credential.UserName, credential.GetNetworkCredential().Password)
            : InfojobsCredentials.FromEnvironment();

    /// <summary>The credentials; none at all is InfojobsCredentialsMissing, naming both variables.</summary>
    public static InfojobsCredentials Require(PSCredential? credential) =>
        Resolve(credential) ?? throw InfojobsErrors.CredentialsMissingError();
}

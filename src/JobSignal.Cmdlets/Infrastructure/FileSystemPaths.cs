using System.Management.Automation;
using JobSignal.Core.Common;
using Microsoft.PowerShell.Commands;

namespace JobSignal.Cmdlets.Infrastructure;

/// <summary>
/// PowerShell paths given for files (relative to the current location, on any FileSystem drive, provider-qualified) as
/// full file-system paths. A path of another provider (<c>Env:</c>, <c>Function:</c>, ...) or on a drive that does not
/// exist is refused: PowerShell would hand back the bare item name, and the file would be read, created or overwritten
/// under that name in the process's working folder.
/// </summary>
internal static class FileSystemPaths
{
    public const string NotFileSystemErrorId = "PathNotFileSystem";

    /// <param name="source">Where the path came from, for the message: "-DatabasePath", "$env:JOBSIGNAL_DB".</param>
    /// <exception cref="JobSignalException">PathNotFileSystem.</exception>
    public static string Resolve(PSCmdlet cmdlet, string path, string source)
    {
        if (string.IsNullOrWhiteSpace(path)) throw NotFileSystem(path, source, "it is blank.", null);
        string resolved;
        ProviderInfo provider;
        try
        {
            resolved = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
        }
        catch (Exception ex) when (ex is System.Management.Automation.DriveNotFoundException or ProviderNotFoundException or NotSupportedException
                                       or PSArgumentException or ItemNotFoundException)
        {
            throw NotFileSystem(path, source, ex.Message, ex);
        }
        if (provider.ImplementingType != typeof(FileSystemProvider))
            throw NotFileSystem(path, source, $"it names an item of the {provider.Name} provider.", null);
        return resolved;
    }

    private static JobSignalException NotFileSystem(string path, string source, string why, Exception? inner) =>
        new(NotFileSystemErrorId, FailureKind.InvalidArgument, $"{source} '{path}' is not a file-system path: {why}", path,
            "Give a file path: absolute, relative to the current location, or on a FileSystem drive.", inner);
}

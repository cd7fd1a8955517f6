using JobSignal.Core.Common;

namespace JobSignal.Core.Store;

/// <summary>
/// What a command named in a message (a recommended action, a warning) needs so that, typed as written, it acts on the
/// store the message is about: <c> -DatabasePath '&lt;store&gt;'</c>, or nothing when it is the store a command finds
/// without it (<c>$env:JOBSIGNAL_DB</c>, else the default store).
/// </summary>
public static class DatabasePathArgument
{
    public static string For(string storePath, string storeWithoutArgument)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(storePath);
        ArgumentException.ThrowIfNullOrWhiteSpace(storeWithoutArgument);
        return IsSameStore(storePath, storeWithoutArgument) ? "" : " -DatabasePath " + CommandText.SingleQuoted(storePath);
    }

    /// <summary>Whether two paths name one store file: compared in full, by case only where the file system cares.</summary>
    public static bool IsSameStore(string a, string b) =>
        // File names are case-sensitive on Linux only (Windows and macOS file systems ignore case by default).
        string.Equals(Path.GetFullPath(a), Path.GetFullPath(b),
            OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
}

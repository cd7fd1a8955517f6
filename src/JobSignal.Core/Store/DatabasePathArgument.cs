namespace JobSignal.Core.Store;

/// <summary>
/// What a command named in a message (a recommended action, a warning) needs so that, typed as written, it acts on the
/// store the message is about: <c> -DatabasePath '&lt;store&gt;'</c>, or nothing when it is the store a command finds
/// without it (<c>$env:JOBSIGNAL_DB</c>, else the default store).
/// </summary>
public static class DatabasePathArgument
{
    // PowerShell reads the typographic single quotes as quotes too: each is doubled, as ' is, inside '...'.
    private const string SingleQuotes = "'\u2018\u2019\u201A\u201B";

    public static string For(string storePath, string storeWithoutArgument)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(storePath);
        ArgumentException.ThrowIfNullOrWhiteSpace(storeWithoutArgument);
        // File names are case-sensitive on Linux only (Windows and macOS file systems ignore case by default).
        var comparison = OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        if (string.Equals(Path.GetFullPath(storePath), Path.GetFullPath(storeWithoutArgument), comparison)) return "";
        var quoted = new System.Text.StringBuilder(storePath.Length + 2);
        foreach (var c in storePath)
        {
            if (SingleQuotes.Contains(c)) quoted.Append(c);
            quoted.Append(c);
        }
        return $" -DatabasePath '{quoted}'";
    }
}

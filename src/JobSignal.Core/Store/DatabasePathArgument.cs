namespace JobSignal.Core.Store;

/// <summary>
/// What a command named in a message (a recommended action, a warning) needs so that, typed as written, it acts on the
/// store the message is about: <c> -DatabasePath '&lt;store&gt;'</c>, or nothing for the default store, which every
/// command finds without it.
/// </summary>
public static class DatabasePathArgument
{
    // PowerShell reads the typographic single quotes as quotes too: each is doubled, as ' is, inside '...'.
    private const string SingleQuotes = "'\u2018\u2019\u201A\u201B";

    public static string For(string storePath, string defaultStorePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(storePath);
        ArgumentException.ThrowIfNullOrWhiteSpace(defaultStorePath);
        // File names are case-sensitive on Linux only (Windows and macOS file systems ignore case by default).
        var comparison = OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        if (string.Equals(Path.GetFullPath(storePath), Path.GetFullPath(defaultStorePath), comparison)) return "";
        var quoted = new System.Text.StringBuilder(storePath.Length + 2);
        foreach (var c in storePath)
        {
            if (SingleQuotes.Contains(c)) quoted.Append(c);
            quoted.Append(c);
        }
        return $" -DatabasePath '{quoted}'";
    }
}

namespace JobSignal.Core.Common;

/// <summary>Text for the PowerShell commands the module writes out (recommended actions, completions).</summary>
public static class CommandText
{
    // PowerShell reads the typographic single quotes as quotes too: each is doubled, as ' is, inside '...'.
    private const string SingleQuotes = "'\u2018\u2019\u201A\u201B";

    /// <summary><paramref name="value"/> as a single-quoted PowerShell string, taken literally however it is typed.</summary>
    public static string SingleQuoted(string value)
    {
        var quoted = new System.Text.StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            if (SingleQuotes.Contains(c)) quoted.Append(c);
            quoted.Append(c);
        }
        return quoted.Append('\'').ToString();
    }
}

using System.Text.RegularExpressions;
using JobSignal.Core.Common;

namespace JobSignal.Core.Sheets;

/// <summary>
/// The spreadsheet id as users give it: the bare id, or the Sheet's whole URL copied from the browser's address bar
/// (https://docs.google.com/spreadsheets/d/&lt;id&gt;/edit#gid=0), whose id is taken from between /d/ and the next /.
/// </summary>
public static partial class SpreadsheetReference
{
    public const string InvalidErrorId = "SheetsSpreadsheetIdInvalid";

    /// <summary>The id, trimmed.</summary>
    /// <exception cref="JobSignalException">SheetsSpreadsheetIdInvalid: a URL or path that is not a Google Sheet's.</exception>
    public static string Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var trimmed = text.Trim();
        if (SheetUrl().Match(trimmed) is { Success: true } url) return url.Groups["id"].Value;
        // An id never holds a slash: anything else with one would reach the API as a wrong id and answer a bare 404.
        if (trimmed.Contains('/'))
            throw new JobSignalException(InvalidErrorId, FailureKind.InvalidArgument,
                $"'{trimmed}' is not a spreadsheet id nor a Google Sheet's URL (https://docs.google.com/spreadsheets/d/<id>/edit).",
                trimmed, "Give the id in the Sheet's URL, between /d/ and /edit, or the whole URL.");
        return trimmed;
    }

    [GeneratedRegex(@"^(?:https?://)?docs\.google\.com/spreadsheets/(?:u/\d+/)?d/(?<id>[A-Za-z0-9_-]+)(?:[/?#].*)?$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SheetUrl();
}

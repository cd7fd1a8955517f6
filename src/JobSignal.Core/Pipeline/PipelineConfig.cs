using System.Collections;
using System.Globalization;
using JobSignal.Core.Common;
using JobSignal.Core.Infojobs;
using JobSignal.Core.Sheets;

namespace JobSignal.Core.Pipeline;

/// <summary>One named InfoJobs search of the scheduled pipeline.</summary>
public sealed record PipelineQuery(
    string Key,
    string? Query,
    IReadOnlyList<string> Provinces,
    IReadOnlyList<string> Categories,
    string? Since,
    string? Order,
    int MaxPages,
    int MaxOffers);

public sealed record PipelineSheetSettings(
    string? SpreadsheetId,
    string? CredentialPath,
    string SheetName,
    string HeaderLanguage,
    string? BaseUri);

/// <summary>
/// The scheduled job's configuration (a .psd1 file): queries, store, catalog, Sheet and feedback settings.
/// Parsed from the file's hashtable so that every problem is reported at once with its key path.
/// </summary>
public sealed record PipelineConfig(
    string? DatabasePath,
    string? CatalogPath,
    string? InfojobsBaseUri,
    int DetailConcurrency,
    IReadOnlyList<PipelineQuery> Queries,
    PipelineSheetSettings Sheet,
    bool SyncSheet,
    bool ImportFeedback,
    TimeSpan LockTtl)
{
    public const int DefaultMaxPages = 10;
    public const int DefaultMaxOffers = 500;

    private static readonly string[] TopLevelKeys =
        ["DatabasePath", "CatalogPath", "Infojobs", "Queries", "Sheet", "Feedback", "Lock"];
    private static readonly string[] InfojobsKeys = ["BaseUri", "DetailConcurrency"];
    private static readonly string[] QueryKeys =
        ["Key", "Query", "Provinces", "Categories", "Since", "Order", "MaxPages", "MaxOffers"];
    private static readonly string[] SheetKeys =
        ["Enabled", "SpreadsheetId", "CredentialPath", "SheetName", "HeaderLanguage", "BaseUri"];
    private static readonly string[] FeedbackKeys = ["Enabled"];
    private static readonly string[] LockKeys = ["TtlMinutes"];

    /// <summary>Where each section's keys go, to point a section key written at the top level to its section.</summary>
    private static readonly (string Section, string[] Keys)[] Sections =
        [("Infojobs", InfojobsKeys), ("Queries[i]", QueryKeys), ("Sheet", SheetKeys), ("Feedback", FeedbackKeys), ("Lock", LockKeys)];

    /// <summary>Reads the hashtable of a configuration file; throws <c>PipelineConfigInvalid</c> listing every problem.</summary>
    public static PipelineConfig FromDictionary(IDictionary data, string source)
    {
        var errors = new List<string>();
        UnknownKeys(data, "", TopLevelKeys, errors);
        var infojobs = Section(data, "Infojobs", InfojobsKeys, errors);
        var sheet = Section(data, "Sheet", SheetKeys, errors);
        var feedback = Section(data, "Feedback", FeedbackKeys, errors);
        var lockSection = Section(data, "Lock", LockKeys, errors);

        var queries = new List<PipelineQuery>();
        var rawQueries = Get(data, "Queries");
        if (rawQueries is null) errors.Add("Queries: required (a list of @{ Key = ...; Query = ... })");
        else
        {
            var list = AsList(rawQueries);
            if (list.Count == 0) errors.Add("Queries: at least one query is required");
            for (var i = 0; i < list.Count; i++)
            {
                var path = $"Queries[{i}]";
                if (list[i] is not IDictionary q) { errors.Add($"{path}: expected a hashtable"); continue; }
                UnknownKeys(q, path, QueryKeys, errors);
                var key = Text(q, "Key", path, errors);
                if (string.IsNullOrWhiteSpace(key)) errors.Add($"{path}.Key: required");
                else if (queries.Any(x => string.Equals(x.Key, key, StringComparison.OrdinalIgnoreCase)))
                    errors.Add($"{path}.Key: duplicate key '{key}'");
                queries.Add(new PipelineQuery(
                    key ?? "",
                    // Blank is no "every offer": a query whose text expanded to nothing would fetch everything.
                    NotBlank(q, "Query", path, errors, "every offer"),
                    Keys(q, "Provinces", path, errors),
                    Keys(q, "Categories", path, errors),
                    Since(q, path, errors),
                    Order(q, path, errors),
                    Number(q, "MaxPages", path, errors, DefaultMaxPages, 1, 1000),
                    Number(q, "MaxOffers", path, errors, DefaultMaxOffers, 1, 100_000)));
            }
        }

        var sheetSettings = new PipelineSheetSettings(
            SpreadsheetId(sheet, errors),
            NotBlank(sheet, "CredentialPath", "Sheet", errors),
            NotBlank(sheet, "SheetName", "Sheet", errors, "the Companies tab") ?? SheetLayout.DefaultSheetName,
            // Case as -HeaderLanguage takes it: EN is en.
            Text(sheet, "HeaderLanguage", "Sheet", errors)?.ToLowerInvariant() ?? "es",
            HttpUri(sheet, "Sheet", errors));
        if (sheetSettings.HeaderLanguage is not ("es" or "en"))
            errors.Add($"Sheet.HeaderLanguage: '{sheetSettings.HeaderLanguage}' is not es or en");

        var config = new PipelineConfig(
            NotBlank(data, "DatabasePath", "", errors),
            NotBlank(data, "CatalogPath", "", errors),
            HttpUri(infojobs, "Infojobs", errors),
            Number(infojobs, "DetailConcurrency", "Infojobs", errors, 4, 1, 16),
            queries,
            sheetSettings,
            Flag(sheet, "Enabled", "Sheet", errors, true),
            Flag(feedback, "Enabled", "Feedback", errors, true),
            TimeSpan.FromMinutes(Number(lockSection, "TtlMinutes", "Lock", errors, 120, 1, 24 * 60)));

        if (errors.Count > 0)
        {
            throw new JobSignalException("PipelineConfigInvalid", FailureKind.InvalidData,
                $"The pipeline configuration {source} is invalid:{Environment.NewLine}  " +
                string.Join(Environment.NewLine + "  ", errors),
                source, "Fix the settings listed above; New-JobSignalConfig writes a commented starter file.");
        }
        return config;
    }

    /// <summary>
    /// This configuration with its file paths made absolute the way its file reads: relative to the file's folder,
    /// and <c>~</c> or <c>~/...</c> under the user's home folder, as in PowerShell paths.
    /// </summary>
    public PipelineConfig WithPathsRelativeTo(string folder) => this with
    {
        DatabasePath = ResolvePath(DatabasePath, folder),
        CatalogPath = ResolvePath(CatalogPath, folder),
        Sheet = Sheet with { CredentialPath = ResolvePath(Sheet.CredentialPath, folder) },
    };

    /// <summary>A path of the configuration file as an absolute path; see <see cref="WithPathsRelativeTo"/>.</summary>
    public static string? ResolvePath(string? path, string folder)
    {
        if (path is null) return null;
        // Path.Combine would make "~" a folder of that name beside the file.
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            return Path.GetFullPath(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[Math.Min(2, path.Length)..]));
        return Path.GetFullPath(Path.Combine(folder, path));
    }

    private static object? Get(IDictionary? d, string key)
    {
        if (d is null) return null;
        foreach (DictionaryEntry e in d)
            if (string.Equals(e.Key?.ToString(), key, StringComparison.OrdinalIgnoreCase)) return e.Value;
        return null;
    }

    private static IDictionary? Section(IDictionary d, string key, string[] known, List<string> errors)
    {
        var value = Get(d, key);
        if (value is IDictionary section) UnknownKeys(section, key, known, errors);
        if (value is null or IDictionary) return (IDictionary?)value;
        errors.Add($"{key}: expected a hashtable");
        return null;
    }

    /// <summary>
    /// A misspelt key would otherwise be ignored and its default used silently (a query without its text fetches
    /// everything), so every key must be known; a close known key is suggested.
    /// </summary>
    private static void UnknownKeys(IDictionary d, string path, string[] known, List<string> errors)
    {
        foreach (var key in d.Keys.Cast<object>().Select(k => k.ToString() ?? ""))
        {
            if (known.Contains(key, StringComparer.OrdinalIgnoreCase)) continue;
            var close = known.Where(k => IsClose(key, k)).ToList();
            if (close.Count == 0 && path.Length == 0)
                close = Sections.SelectMany(s => s.Keys.Where(k => k.Equals(key, StringComparison.OrdinalIgnoreCase)).Select(k => s.Section + "." + k)).ToList();
            errors.Add($"{Join(path, key)}: unknown setting " + (close.Count > 0
                ? $"(did you mean {string.Join(" or ", close)}?)"
                : $"(expected one of {string.Join(", ", known)})"));
        }
    }

    /// <summary>A typo (an edit or two, case aside) or a known key cut short or run on (Ttl, CredentialFile).</summary>
    private static bool IsClose(string typed, string known)
    {
        var a = typed.ToLowerInvariant();
        var b = known.ToLowerInvariant();
        if (a.Length >= 4 && (b.StartsWith(a, StringComparison.Ordinal) || a.StartsWith(b, StringComparison.Ordinal))) return true;
        return EditDistance(a, b) <= Math.Clamp(b.Length / 3, 1, 2);
    }

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }

    private static IList<object?> AsList(object value) =>
        value is string or IDictionary ? [value]
        : value is IEnumerable e ? e.Cast<object?>().ToList() : [value];

    private static string? Text(IDictionary? d, string key, string path, List<string> errors)
    {
        var value = Get(d, key);
        if (value is null) return null;
        if (value is string s) return string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        if (value is IConvertible c and not bool) return c.ToString(CultureInfo.InvariantCulture);
        errors.Add($"{Join(path, key)}: expected text");
        return null;
    }

    /// <summary>
    /// A setting that, left out (or $null), takes its default, but whose empty text is an error, not the default: a
    /// run writing the per-user default store, or fetching every offer, because a variable expanded to nothing is a
    /// quiet surprise.
    /// </summary>
    private static string? NotBlank(IDictionary? d, string key, string path, List<string> errors, string theDefault = "the default")
    {
        if (Get(d, key) is string blank && string.IsNullOrWhiteSpace(blank))
        {
            errors.Add($"{Join(path, key)}: empty; leave the key out (or set it to $null) for {theDefault}");
            return null;
        }
        return Text(d, key, path, errors);
    }

    /// <summary>The spreadsheet's id, also from its URL; a URL that is no Google Sheet's fails the load, not every sync.</summary>
    private static string? SpreadsheetId(IDictionary? sheet, List<string> errors)
    {
        var text = NotBlank(sheet, "SpreadsheetId", "Sheet", errors, "$env:JOBSIGNAL_SPREADSHEET_ID");
        if (text is null) return null;
        try { return Sheets.SpreadsheetReference.Parse(text); }
        catch (JobSignalException ex) when (ex.ErrorId == Sheets.SpreadsheetReference.InvalidErrorId)
        {
            errors.Add($"Sheet.SpreadsheetId: {ex.Message}");
            return null;
        }
    }

    /// <summary>One of the orders InfoJobs accepts, spelt as it spells it.</summary>
    private static string? Order(IDictionary q, string path, List<string> errors)
    {
        var order = NotBlank(q, "Order", path, errors, "InfoJobs' own order");
        if (order is null) return null;
        if (InfojobsQuery.KnownOrder(order) is { } known) return known;
        errors.Add($"{path}.Order: {InfojobsQuery.OrderProblem(order)}");
        return null;
    }

    /// <summary>Checked now so that a typo fails the load (exit 2, nothing ran) instead of the query every night.</summary>
    private static string? Since(IDictionary q, string path, List<string> errors)
    {
        var since = Text(q, "Since", path, errors);
        if (since is null) return null;
        try { InfojobsSince.Parse(since, DateTimeOffset.Now); }
        catch (Exception ex) when (ex is FormatException or ArgumentOutOfRangeException)
        {
            errors.Add($"{path}.Since: {ex.Message}");
        }
        return since;
    }

    private static string? HttpUri(IDictionary? d, string path, List<string> errors)
    {
        var text = Text(d, "BaseUri", path, errors);
        if (text is null) return null;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            return text;
        // A mirror's URI may carry a token as user info: never in a message, even when the URI is mistyped.
        errors.Add($"{path}.BaseUri: '{Infojobs.InfojobsErrors.Redact(text)}' is not an absolute http or https URI");
        return null;
    }

    /// <summary>Province or category keys of InfoJobs.</summary>
    private static IReadOnlyList<string> Keys(IDictionary d, string key, string path, List<string> errors)
    {
        var value = Get(d, key);
        if (value is null) return [];
        var result = new List<string>();
        var items = AsList(value);
        for (var i = 0; i < items.Count; i++)
        {
            var text = items[i] switch
            {
                string s => s.Trim(),
                IConvertible c and not bool => c.ToString(CultureInfo.InvariantCulture),
                _ => "",
            };
            if (Infojobs.InfojobsQuery.KeyProblem(text) is { } problem) errors.Add($"{Join(path, key)}[{i}]: {problem}");
            else result.Add(text);
        }
        return result;
    }

    private static int Number(IDictionary? d, string key, string path, List<string> errors, int fallback, int min, int max)
    {
        var value = Get(d, key);
        if (value is null) return fallback;
        if (value is not (int or long or short or byte) && !(value is string s && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)))
        {
            errors.Add($"{Join(path, key)}: expected a whole number");
            return fallback;
        }
        var n = Convert.ToInt64(value, CultureInfo.InvariantCulture);
        if (n < min || n > max)
        {
            errors.Add($"{Join(path, key)}: {n} is outside {min}-{max}");
            return fallback;
        }
        return (int)n;
    }

    private static bool Flag(IDictionary? d, string key, string path, List<string> errors, bool fallback)
    {
        var value = Get(d, key);
        if (value is null) return fallback;
        if (value is bool b) return b;
        errors.Add($"{Join(path, key)}: expected $true or $false");
        return fallback;
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;
}

using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text.Json;
using JobSignal.Core.Catalog;
using JobSignal.Core.Common;
using JobSignal.Core.Signal;

namespace JobSignal.Cmdlets.Infrastructure;

/// <summary>Shared shape of the completers: filter candidate values by what was typed, quote when needed.</summary>
public abstract class ValueCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        // Compared as matching reads text (any case, no accents): "dol" offers "Dólares", "fx &" the FX category's name.
        var typed = Tokenizer.Normalize((wordToComplete ?? "").Trim('\'', '"'));
        IEnumerable<(string Value, string Tooltip)> candidates;
        try { candidates = Candidates(fakeBoundParameters).ToList(); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or CatalogException)
        {
            yield break; // completion never throws at the user: no suggestions instead
        }
        foreach (var (value, tooltip) in candidates)
        {
            if (!Tokenizer.Normalize(value).StartsWith(typed, StringComparison.Ordinal)) continue;
            var text = value.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$' or '`' or ',' or ';' or '(' or ')' or '{' or '}')
                ? CommandText.SingleQuoted(value) : value;
            yield return new CompletionResult(text, value, CompletionResultType.ParameterValue, tooltip);
        }
    }

    protected abstract IEnumerable<(string Value, string Tooltip)> Candidates(IDictionary fakeBoundParameters);

    /// <summary>The module's base folder: the completer runs outside any cmdlet, so it is found from this assembly.</summary>
    protected static string ModuleBase =>
        Path.GetDirectoryName(Path.GetDirectoryName(typeof(ValueCompleter).Assembly.Location)!)!;

    /// <summary>
    /// The catalog the command would use: its -CatalogPath, else $env:JOBSIGNAL_CATALOG, else the default. -CatalogPath
    /// is resolved as the command resolves it (relative to PowerShell's current location, ~, drives), not against the
    /// process's folder.
    /// </summary>
    protected static SignalCatalog Catalog(IDictionary fakeBoundParameters)
    {
        var location = CatalogLocator.Choose(fakeBoundParameters["CatalogPath"] as string,
            Environment.GetEnvironmentVariable(CatalogLocator.EnvironmentVariable), ModuleBase);
        var path = location.Origin == CatalogOrigin.Parameter ? AsTheCommandReadsIt(location.Path) ?? location.Path : location.Path;
        return CatalogLoader.Load(path);
    }

    /// <summary>A PowerShell path as a file-system path; null when it cannot be resolved. Runs on the runspace's own thread.</summary>
    private static string? AsTheCommandReadsIt(string path)
    {
        try
        {
            using var shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
            return shell.AddScript("param($Path) $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)")
                .AddArgument(path).Invoke<string>().FirstOrDefault();
        }
        catch (Exception ex) when (ex is RuntimeException or InvalidOperationException)
        {
            return null; // another provider's path, or no runspace to ask: the command will say what is wrong
        }
    }
}

/// <summary>-Category: the catalog's category ids, with their names as tooltips, then their names (-Category takes either).</summary>
public sealed class CategoryCompleter : ValueCompleter
{
    protected override IEnumerable<(string, string)> Candidates(IDictionary fakeBoundParameters)
    {
        var categories = Catalog(fakeBoundParameters).Categories;
        return categories.Select(c => (c.Id, $"{c.Name} ({c.Bucket}, tier {c.Tier})"))
            .Concat(categories.Select(c => (c.Name, $"{c.Id} ({c.Bucket}, tier {c.Tier})")));
    }
}

/// <summary>-Keyword: the catalog's keywords (canonical names) and phrases.</summary>
public sealed class KeywordCompleter : ValueCompleter
{
    protected override IEnumerable<(string, string)> Candidates(IDictionary fakeBoundParameters)
    {
        var catalog = Catalog(fakeBoundParameters);
        return catalog.Keywords.Select(k => (k.Canonical, string.Join(", ", k.Aliases)))
            .Concat(catalog.Phrases.Select(p => (p.Phrase, $"phrase, tier {p.Tier}")))
            .DistinctBy(c => c.Item1, StringComparer.OrdinalIgnoreCase)
            .OrderBy(c => c.Item1, StringComparer.OrdinalIgnoreCase);
    }
}

/// <summary>-Province: InfoJobs province keys shipped in module/data/infojobs-provinces.json.</summary>
public sealed class ProvinceCompleter : ValueCompleter
{
    protected override IEnumerable<(string, string)> Candidates(IDictionary fakeBoundParameters)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(ModuleBase, "module", "data", "infojobs-provinces.json")));
        return document.RootElement.GetProperty("provinces").EnumerateArray().Select(p => (p.GetString()!, "InfoJobs province")).ToList();
    }
}

/// <summary>-Order: the sort orders InfoJobs accepts.</summary>
public sealed class InfojobsOrderCompleter : ValueCompleter
{
    protected override IEnumerable<(string, string)> Candidates(IDictionary fakeBoundParameters) =>
        Core.Infojobs.InfojobsQuery.Orders.Select(order => (order, "InfoJobs sort order"));
}

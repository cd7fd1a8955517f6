using JobSignal.Core.Common;
using JobSignal.Core.Signal;

namespace JobSignal.Core.Catalog;

public enum CatalogIssueSeverity
{
    /// <summary>The catalog cannot be used.</summary>
    Error,
    /// <summary>The catalog works, but part of it can never score or is redundant (a likely mistake).</summary>
    Warning,
}

/// <summary>One problem in a catalog, located by its JSON path (<c>keywords[3].aliases[1]</c>; <c>$</c> is the root).</summary>
public sealed record CatalogIssue(string Path, string Message, CatalogIssueSeverity Severity = CatalogIssueSeverity.Error)
{
    public override string ToString() =>
        Severity == CatalogIssueSeverity.Warning ? $"{Path}: warning: {Message}" : $"{Path}: {Message}";
}

/// <summary>Everything wrong with a catalog, found in one pass (Test-SignalCatalog's output).</summary>
public sealed class CatalogValidationReport
{
    public string? Path { get; init; }
    public string? Version { get; init; }
    /// <summary>No errors (warnings do not stop a catalog from being used).</summary>
    public bool IsValid => ErrorCount == 0;
    public int ErrorCount => Issues.Count(i => i.Severity == CatalogIssueSeverity.Error);
    public int WarningCount => Issues.Count(i => i.Severity == CatalogIssueSeverity.Warning);
    /// <summary>Errors and warnings, in file order.</summary>
    public ItemList<CatalogIssue> Issues { get; init; } = [];
    public int CategoryCount { get; init; }
    public int KeywordCount { get; init; }
    public int AliasCount { get; init; }
    public int PhraseCount { get; init; }
}

/// <summary>
/// A catalog that cannot be used: ErrorId CatalogNotFound, CatalogUnreadable or CatalogInvalid (or the cmdlets'
/// PathNotFileSystem for a catalog path of another provider, so that every catalog failure is caught alike).
/// </summary>
public sealed class CatalogException : JobSignalException
{
    public const string NotFound = "CatalogNotFound";
    public const string Unreadable = "CatalogUnreadable";
    public const string Invalid = "CatalogInvalid";

    public CatalogException(string errorId, FailureKind kind, string message, string? path,
        IReadOnlyList<CatalogIssue>? issues = null, Exception? inner = null, string? recommendedAction = null)
        : base(errorId, kind, message, path, recommendedAction ?? RecommendedActionFor(errorId), inner)
    {
        Issues = issues ?? [];
    }

    /// <summary>The same failure with another recommended action (one naming the parameter the path came from).</summary>
    public CatalogException WithRecommendedAction(string recommendedAction) =>
        new(ErrorId, Kind, Message, Target as string, Issues, InnerException, recommendedAction);

    public IReadOnlyList<CatalogIssue> Issues { get; }

    internal static CatalogException ForInvalid(string? path, IReadOnlyList<CatalogIssue> report)
    {
        var issues = report.Where(i => i.Severity == CatalogIssueSeverity.Error).ToList();
        const int shown = 20;
        var where = path is null ? "The catalog" : $"The catalog '{path}'";
        var lines = issues.Take(shown).Select(i => "  " + i);
        var more = issues.Count > shown ? $"{Environment.NewLine}  ... and {issues.Count - shown} more" : "";
        var message = $"{where} is invalid ({issues.Count} error{(issues.Count == 1 ? "" : "s")}):{Environment.NewLine}"
            + string.Join(Environment.NewLine, lines) + more;
        return new CatalogException(Invalid, FailureKind.InvalidData, message, path, issues);
    }

    private static string RecommendedActionFor(string errorId) => errorId switch
    {
        NotFound => "Check -CatalogPath or $env:JOBSIGNAL_CATALOG, or remove them to use the module's default catalog.",
        Unreadable => "Check that the catalog file can be read by the current user.",
        _ => "Run Test-SignalCatalog on the file to list every error with its JSON path, fix them and try again.",
    };
}

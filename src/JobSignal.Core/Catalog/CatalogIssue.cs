using JobSignal.Core.Common;

namespace JobSignal.Core.Catalog;

/// <summary>One problem in a catalog, located by its JSON path (<c>keywords[3].aliases[1]</c>; <c>$</c> is the root).</summary>
public sealed record CatalogIssue(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>Everything wrong with a catalog, found in one pass (Test-SignalCatalog's output).</summary>
public sealed class CatalogValidationReport
{
    public string? Path { get; init; }
    public string? Version { get; init; }
    public bool IsValid => Issues.Count == 0;
    public int ErrorCount => Issues.Count;
    public IReadOnlyList<CatalogIssue> Issues { get; init; } = [];
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

    internal static CatalogException ForInvalid(string? path, IReadOnlyList<CatalogIssue> issues)
    {
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

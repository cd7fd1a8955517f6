using System.Management.Automation;
using JobSignal.Core.Common;

namespace JobSignal.Cmdlets.Infrastructure;

/// <summary>
/// The filters Get-SignalCompany and Get-SignalOffer share, and how they query: once when no ids come down the
/// pipeline, once per piped object when they do, each item written once.
/// </summary>
public abstract class SignalQueryCmdlet : StoreCmdlet
{
    private readonly HashSet<long> _written = [];
    private bool _queried;

    [Parameter]
    [ValidateRange(0, 10)]
    public int MinScore { get; set; }

    /// <summary>A catalog category id or name, checked against the catalog in force.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CategoryCompleter))]
    public string? Category { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(KeywordCompleter))]
    public string? Keyword { get; set; }

    /// <summary>A date without time zone is local time, as PowerShell users mean it.</summary>
    [Parameter]
    [SinceTransformation]
    public DateTime? Since { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Top { get; set; }

    /// <summary>The catalog -Category is checked against (default: $env:JOBSIGNAL_CATALOG, else the module's).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CatalogPath { get; set; }

    /// <summary>The category id -Category names; null without -Category.</summary>
    protected string? CategoryId { get; private set; }

    protected int? MinScoreFilter => MyInvocation.BoundParameters.ContainsKey(nameof(MinScore)) ? MinScore : null;

    protected DateTimeOffset? SinceFilter => SinceInstant(Since);

    protected override void BeginProcessing()
    {
        try { CategoryId = Category is null ? null : CategoryArgument.Resolve(this, Category, CatalogPath); }
        catch (JobSignalException ex) { ThrowFailure(ex); }
    }

    /// <summary>
    /// Runs the query for this pipeline object, unless nothing is piped by id and it already ran, and writes each item
    /// not written yet as it is read (a large result is never held, and a pipeline that stops early stops the reading).
    /// Returns <paramref name="remember"/> of each item found this time when the query was by ids, else nothing.
    /// </summary>
    protected IReadOnlyList<TKey> Query<T, TKey>(bool byIds, Func<IEnumerable<T>> query, Func<T, long> idOf,
        Func<T, object> output, Func<T, TKey> remember)
    {
        if (!byIds && _queried) return [];
        _queried = true;
        var found = new List<TKey>();
        foreach (var item in query())
        {
            if (byIds) found.Add(remember(item));
            if (_written.Add(idOf(item))) WriteTyped(output(item));
        }
        return found;
    }
}

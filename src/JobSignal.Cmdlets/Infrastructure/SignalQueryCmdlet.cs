using System.Management.Automation;
using JobSignal.Core.Common;

namespace JobSignal.Cmdlets.Infrastructure;

/// <summary>
/// The filters Get-SignalCompany and Get-SignalOffer share, and how they query: once, at the end, over the ids of
/// every piped object (<see cref="AskedIds"/>), so that -Top and the ranking hold for the whole output.
/// </summary>
public abstract class SignalQueryCmdlet : StoreCmdlet
{
    [Parameter]
    [ValidateRange(0, 10)]
    [MinScoreTransformation]
    public int MinScore { get; set; }

    /// <summary>A catalog category id or name, checked against the catalog in force.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CategoryCompleter))]
    public string? Category { get; set; }

    [Parameter]
    [ValidateNotBlank]
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

    /// <summary>The store a piped object came from (its StorePath): binds from the pipeline only (<see cref="StoreCmdlet.PipedStorePath"/>).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
    public string? StorePath { get => PipedStorePath; set => PipedStorePath = value; }

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
    /// Writes each item of the query as it is read (a large result is never held, and a pipeline that stops early
    /// stops the reading) and returns <paramref name="remember"/> of each, for reporting the ids that found nothing.
    /// </summary>
    protected List<TKey> WriteEach<T, TKey>(IEnumerable<T> items, Func<T, object> output, Func<T, TKey> remember)
    {
        var found = new List<TKey>();
        foreach (var item in items)
        {
            found.Add(remember(item));
            WriteTyped(output(item));
        }
        return found;
    }
}

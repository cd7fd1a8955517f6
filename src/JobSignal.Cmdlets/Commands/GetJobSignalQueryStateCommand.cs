using System.Management.Automation;
using JobSignal.Cmdlets.Infrastructure;
using JobSignal.Core.Domain;

namespace JobSignal.Cmdlets.Commands;

/// <summary>How each scheduled query last went: last run, last success, consecutive failures, last error.</summary>
[Cmdlet(VerbsCommon.Get, "JobSignalQueryState")]
[OutputType(typeof(QueryState))]
public sealed class GetJobSignalQueryStateCommand : StoreCmdlet
{
    /// <summary>Query keys to show (wildcards allowed); all when not given.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    public string[]? QueryKey { get; set; }

    protected override void ProcessRecord()
    {
        var patterns = (QueryKey ?? ["*"]).Select(k => new WildcardPattern(k, WildcardOptions.IgnoreCase)).ToList();
        foreach (var state in Store.QueryStates.List().Where(s => patterns.Any(p => p.IsMatch(s.QueryKey))))
            WriteTyped(state);
    }
}

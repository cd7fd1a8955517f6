using System.Management.Automation;
using JobSignal.Cmdlets.Infrastructure;
using JobSignal.Core.Common;
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

    public const string QueryStateNotFoundErrorId = "QueryStateNotFound";

    // The keys of every piped object, looked up once at the end: each state once, however many objects name it.
    private readonly List<string> _keys = [];

    protected override void ProcessRecord() => _keys.AddRange(QueryKey ?? ["*"]);

    protected override void EndProcessing() => ReadStore(WriteStates);

    private void WriteStates()
    {
        if (_keys.Count == 0) return;
        var keys = _keys.Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        var patterns = keys.Select(k => new WildcardPattern(k, WildcardOptions.IgnoreCase)).ToList();
        var matched = new bool[keys.Length];
        foreach (var state in Store.QueryStates.List())
        {
            var any = false;
            for (var i = 0; i < patterns.Count; i++)
                if (patterns[i].IsMatch(state.QueryKey)) matched[i] = any = true;
            if (any) WriteTyped(state);
        }
        // A key without wildcards names one query: not finding it is an error, as for unknown ids elsewhere; a
        // wildcard that matches nothing is a filter, and stays silent.
        for (var i = 0; i < keys.Length; i++)
        {
            if (matched[i] || WildcardPattern.ContainsWildcardCharacters(keys[i])) continue;
            WriteFailure(new JobSignalException(QueryStateNotFoundErrorId, FailureKind.ObjectNotFound,
                $"There is no state of a query '{keys[i]}' in the store '{Store.DisplayPath}'.", keys[i],
                "Get-JobSignalQueryState lists the queries the scheduled pipeline has run; check the key and -DatabasePath."));
        }
    }
}

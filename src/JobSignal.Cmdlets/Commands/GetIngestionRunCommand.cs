using System.Management.Automation;
using JobSignal.Cmdlets.Infrastructure;
using JobSignal.Core.Common;
using JobSignal.Core.Domain;

namespace JobSignal.Cmdlets.Commands;

/// <summary>Lists ingestion and re-scoring runs from the store, newest first, or gets runs by id.</summary>
[Cmdlet(VerbsCommon.Get, "IngestionRun", DefaultParameterSetName = ListSet)]
[OutputType(typeof(IngestionRun))]
public sealed class GetIngestionRunCommand : StoreCmdlet
{
    private const string ListSet = "List";
    private const string ByIdSet = "ById";

    /// <summary>
    /// The runs to get; binds from the RunId property of piped objects, and from the LastRunId of query states
    /// (Get-JobSignalQueryState | Get-IngestionRun). A state whose query never ran has none, and is passed over.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("LastRunId")]
    [AllowNull]
    [ValidateIds]
    public long[]? RunId { get; set; }

    /// <summary>The store a piped object came from (its StorePath): binds from the pipeline only (<see cref="StoreCmdlet.PipedStorePath"/>).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true, ParameterSetName = ByIdSet)]
    public string? StorePath { get => PipedStorePath; set => PipedStorePath = value; }

    /// <summary>Only the most recent N runs (after the status filter).</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateRange(1, int.MaxValue)]
    public int Last { get; set; }

    /// <summary>Only runs with one of these statuses.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateSet(RunStatus.Running, RunStatus.Success, RunStatus.Failed, RunStatus.Cancelled, RunStatus.Abandoned)]
    public string[]? Status { get; set; }

    // The runs already written or reported: each once, however many times it is named or piped.
    private readonly HashSet<long> _done = [];

    protected override void ProcessRecord() => ReadStore(WriteRuns);

    private void WriteRuns()
    {
        if (ParameterSetName == ByIdSet)
        {
            // A piped state of a query that never ran names no run; -RunId $null typed (or an unset variable) is a mistake.
            if (RunId is null && !MyInvocation.ExpectingInput)
                ThrowFailure(new JobSignalException("RunIdMissing", FailureKind.InvalidArgument, "-RunId is null: it names no run.",
                    nameof(RunId), "Give run ids (Get-IngestionRun -Last 20 lists them), or leave -RunId out to list runs."));
            if (NamesNothing(nameof(RunId))) return;
            foreach (var id in RunId ?? [])
            {
                if (!_done.Add(id)) continue;
                var run = Store.Runs.Get(id);
                if (run is null)
                    WriteRunNotFound(id, "List the runs with Get-IngestionRun -Last 20 to find the right id.");
                else WriteTyped(run);
            }
            return;
        }
        var statuses = Status?.Select(s => s.ToLowerInvariant()).Distinct().ToArray();
        foreach (var run in Store.Runs.List(MyInvocation.BoundParameters.ContainsKey(nameof(Last)) ? Last : null, statuses))
            WriteTyped(run);
    }
}

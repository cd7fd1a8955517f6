using JobSignal.Core.Catalog;
using JobSignal.Core.Domain;
using JobSignal.Core.Store;

namespace JobSignal.Core.Ingestion;

/// <summary>
/// The run record of a chunked run (SPEC 7.4), shared by ingestion and re-scoring: created at start after marking
/// runs of dead processes abandoned, saved with each chunk's counters and affected companies inside that chunk's
/// transaction (so the row always tells what is committed), and always finished.
/// </summary>
internal sealed class RunRecorder
{
    private readonly SignalStore _store;
    private readonly RunCounters _committed = new();
    private IReadOnlyList<long> _committedCompanies = [];

    private RunRecorder(SignalStore store, IngestionRun run, IReadOnlyList<IngestionRun> abandoned)
    {
        _store = store;
        Run = run;
        AbandonedRuns = abandoned;
    }

    public IngestionRun Run { get; }
    public IReadOnlyList<IngestionRun> AbandonedRuns { get; }

    /// <summary>
    /// What to tell the user of <see cref="AbandonedRuns"/>: one line per run. A dry run marked them only in its private
    /// copy, so it says what a real run would do.
    /// </summary>
    public IEnumerable<string> AbandonedRunWarnings => AbandonedRuns.Select(abandoned =>
        $"Run {abandoned.RunId} was left running by a process that ended ({abandoned.Owner}); " +
        (_store.IsDryRunCopy ? "a real run would mark it abandoned (-WhatIf: the store is left as it is)." : "it is now marked abandoned."));

    public int Chunks { get; private set; }
    public bool IsFinished => RunStatus.IsFinished(Run.Status);

    /// <summary>The fetch whose statistics the run records (the latest one its offers carried).</summary>
    public FetchStatistics? Fetch { get; set; }

    /// <summary>
    /// Marks abandoned runs, records a new <c>running</c> run, then loads the catalog. When loading throws, the run
    /// is finished as failed with its message and the exception is rethrown.
    /// </summary>
    public static (RunRecorder Recorder, CompiledCatalog Catalog) Start(SignalStore store, string kind, string? provider,
        string? queryKey, Func<CompiledCatalog> loadCatalog)
    {
        var abandoned = store.Runs.MarkAbandoned();
        var run = store.Runs.Start(kind, provider, queryKey);
        CompiledCatalog catalog;
        try
        {
            catalog = loadCatalog();
        }
        catch (Exception ex)
        {
            store.Runs.Finish(run, RunStatus.Failed, ex.Message);
            throw;
        }
        run.CatalogVersion = catalog.Version;
        store.Runs.Save(run);
        return (new RunRecorder(store, run, abandoned), catalog);
    }

    /// <summary>Inside the chunk's transaction: saves the committed counters plus the chunk's, and its affected companies.</summary>
    public void SaveChunk(RunCounters chunk, IEnumerable<long> affectedCompanies)
    {
        _committed.ApplyTo(Run, chunk);
        RecordFetch();
        _store.Runs.AddAffectedCompanies(Run, affectedCompanies);
        _store.Runs.Save(Run);
    }

    /// <summary>The chunk's transaction committed: its counts are now part of the run.</summary>
    public void Committed(RunCounters chunk)
    {
        _committed.Add(chunk);
        _committedCompanies = Run.AffectedCompanyIds;
        Chunks++;
    }

    /// <summary>The chunk's transaction rolled back: the run object forgets what <see cref="SaveChunk"/> put in it.</summary>
    public void RolledBack()
    {
        _committed.ApplyTo(Run);
        Run.AffectedCompanyIds = _committedCompanies;
    }

    public void Finish(string status, string? error)
    {
        RolledBack();
        RecordFetch();
        _store.Runs.Finish(Run, status, error);
    }

    public void Cancel() =>
        Finish(RunStatus.Cancelled, $"Cancelled after {Chunks} committed chunk(s) ({Run.Received} offers); " +
                                    "the chunk in progress was rolled back.");

    private void RecordFetch()
    {
        if (Fetch is not { } fetch) return;
        Run.RecordFetch(fetch);
        Run.QueryKey ??= fetch.QueryKey;
    }
}

using System.Management.Automation;
using JobSignal.Cmdlets.Infrastructure;
using JobSignal.Core.Catalog;
using JobSignal.Core.Common;
using JobSignal.Core.Domain;
using JobSignal.Core.Ingestion;

namespace JobSignal.Cmdlets.Commands;

/// <summary>
/// One ingestion run (SPEC 7): streams offers from the pipeline into the store chunk by chunk (companies, offers,
/// reposts, matches, scores) and writes the run record. -WhatIf runs the same code against a private copy of the
/// store and reports what would have happened, writing nothing.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "OfferIngestion", SupportsShouldProcess = true)]
[OutputType(typeof(IngestionRun), typeof(OfferIngestionResult))]
public sealed class InvokeOfferIngestionCommand : BatchStoreCmdlet
{
    public const string IngestionFailedErrorId = "IngestionFailed";
    public const string OfferInputIsTextErrorId = "OfferInputIsText";

    private OfferIngestor? _ingestor;
    private bool _declined;
    // Made once, not for every offer: what a failure of the run is called, and how it is recorded.
    private string _runFailed = "";
    private Func<Exception, string?>? _recordFailure;
    // What ended the pipeline inside this command, if anything did: a later command's error or Select-Object -First
    // (both surface from WriteObject), or this command's own error under -ErrorAction Stop.
    private Exception? _interruption;
    // Skipped offers named as warnings (the first few) or verbose lines; strings are reported once, as an error.
    private readonly SkippedOfferNotices _skips = new();
    private int _inputs;
    private int _textInputs;

    /// <summary>Offers: JobSignal.Offer objects, or objects/hashtables of the same shape.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public PSObject InputObject { get; set; } = null!;

    [Parameter]
    [ValidateRange(1, 100_000)]
    public int ChunkSize { get; set; } = 200;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CatalogPath { get; set; }

    [Parameter]
    [ValidateNotBlank]
    public string? QueryKey { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override (int Id, string Activity) Progress => (41, "Ingesting offers");

    protected override bool FillsNewStores => true;

    protected override bool WritesInDryRun => true;

    protected override void BeginProcessing()
    {
        var path = ResolveDatabasePath();
        if (!ShouldProcess($"Ingesting offers into the store '{path}'.", $"Ingest offers into the store '{path}'?",
                "Invoke-OfferIngestion", out var reason))
        {
            _declined = reason != ShouldProcessReason.WhatIf;
            if (_declined) return;
        }

        // Under -WhatIf, Store is a private copy: the run really happens there, and is reported. A catalog that cannot
        // be used, or a store that refuses the run's row, ends the command before any offer is read.
        try
        {
            _ingestor = OfferIngestor.Start(Store, () => CatalogSource.LoadCompiled(this, CatalogPath), new IngestionOptions
            {
                ChunkSize = ChunkSize, MaxRetries = MaxRetries, RetryDelay = RetryDelay, QueryKey = QueryKey,
                ChunkCommitted = OnChunkCommitted,
            });
        }
        catch (JobSignalException ex)
        {
            ThrowFailure(ex);
        }
        catch (System.Data.Common.DbException ex)
        {
            // The store itself (locked by another process, damaged) is said as such; anything else is the run's.
            ThrowFailure(StoreFailure(ex) is { } store
                ? new JobSignalException(store.ErrorId, store.Kind, $"The ingestion could not start: {store.Message} Nothing was ingested.",
                    store.Target, store.RecommendedAction, ex)
                : new JobSignalException(IngestionFailedErrorId, FailureKind.WriteError,
                    $"The ingestion could not start in the store '{path}': {ex.Message}", path,
                    "Nothing was ingested. Check the store file (disk space, permissions, triggers) and run the command again.", ex));
        }
        _runFailed = $"The ingestion run {_ingestor!.Run.RunId} failed";
        _recordFailure = RecordFailure;
        foreach (var abandoned in _ingestor.AbandonedRunWarnings) WriteWarning(abandoned);
        WriteVerbose($"Run {_ingestor.Run.RunId} started with catalog {_ingestor.Catalog.Version}, chunks of {ChunkSize}.");
    }

    protected override void ProcessRecord()
    {
        if (_declined) return;
        try
        {
            foreach (var item in OfferInput.Items(InputObject, MyInvocation.ExpectingInput))
            {
                var input = OfferInput.Read(item);
                _inputs++;
                if (item.BaseObject is string text && ++_textInputs == 1) WriteTextInputError(text, _inputs);
                Report(Guarded(static s => s.Ingestor.Add(s.Input.Offer, s.Token, s.Input.Problem),
                    (Ingestor: _ingestor!, Input: input, Token: CancellationToken)));
            }
        }
        catch (Exception ex)
        {
            _interruption ??= ex;
            throw;
        }
    }

    protected override void EndProcessing()
    {
        if (_declined) return;
        // A run that received nothing but strings did nothing the user meant: it is recorded as failed, saying why.
        var failure = _textInputs > 0 && _textInputs == _inputs
            ? $"Every input ({_inputs}) was a string, not an offer: nothing was ingested. {OfferInput.TextInputProblem}"
            : null;
        Report(Guarded(static s => s.Ingestor.Complete(s.Token, s.Failure),
            (Ingestor: _ingestor!, Token: CancellationToken, Failure: failure)));
        CompleteProgress();
        if (_textInputs > 1)
            WriteWarning($"{_textInputs} of the {_inputs} inputs were strings, not offers, and were skipped (skipped_invalid); " +
                         $"see the {OfferInputIsTextErrorId} error.");
        if (_skips.Summary is { } unnamed)
            WriteWarning($"{unnamed} Invoke-OfferIngestion -PassThru | Where-Object Outcome -like 'Skipped*' lists every skipped offer with its reason.");
        if (_ingestor!.UnreadableSignaturesWarning is { } unreadable) WriteWarning(unreadable);
        var run = _ingestor.Run;
        if (IsDryRun)
        {
            ShouldProcess($"Ingesting {run.Received} offer(s) into '{ResolveDatabasePath()}' would insert {run.Inserted}, " +
                          $"update {run.Updated}, count {run.Reposts} repost(s), skip {run.SkippedNoIdentity + run.SkippedInvalid + run.SkippedResolved}, " +
                          $"fail {run.FailedDb + run.MatchFailed} and score {run.Scored}; {run.AffectedCompanyIds.Count} company(ies) would need aggregation.",
                "", "");
            // The run lives only in the copy: it has no id in the store.
            run.RunId = 0;
        }
        WriteTyped(run);
    }

    /// <summary>Runs one step of the ingestor; a failure of the store itself ends the run as failed, and the cmdlet.</summary>
    private IReadOnlyList<OfferIngestionResult> Guarded<TState>(Func<TState, IReadOnlyList<OfferIngestionResult>> step, TState state) =>
        Guarded(step, state, IngestionFailedErrorId, _runFailed, _recordFailure);

    /// <summary>Records the run as failed; says whether the store took that, since a failing store may refuse it too.</summary>
    private string RecordFailure(Exception ex)
    {
        try
        {
            _ingestor!.Fail(ex);
            return "It is recorded as failed; committed chunks are kept.";
        }
        catch (Exception) when (ex is not OperationCanceledException)
        {
            return "The store refused to record it as failed, so it stays 'running' until a later run, once this " +
                   "PowerShell process has ended, marks it abandoned; committed chunks are kept.";
        }
    }

    private void Report(IReadOnlyList<OfferIngestionResult> results)
    {
        for (var i = 0; i < results.Count; i++) Report(results[i]);
    }

    private void Report(OfferIngestionResult result)
    {
        // Every result moves the input position the notices name, failures included. The first few invalid or
        // unidentifiable offers are named without -PassThru; a string input has had its error.
        var skipped = _skips.Next(result, reportedElsewhere: result.Reason == OfferInput.TextInputProblem);
        if (result.Outcome == IngestionOutcome.FailedDb) WriteFailure(IngestionErrors.OfferNotStored(result));
        else if (result.Outcome == IngestionOutcome.MatchFailed) WriteFailure(IngestionErrors.MatchNotStored(result));
        else if (skipped is not null)
        {
            if (skipped.Value.Warn) WriteWarning(skipped.Value.Message);
            else WriteVerbose(skipped.Value.Message);
        }
        if (PassThru) WriteTyped(result);
    }

    /// <summary>
    /// A string is no offer (a line of a file read with Get-Content): said once per run, as an error naming the input,
    /// because "ProviderOfferId is missing" for each line would send the user looking in the wrong place.
    /// </summary>
    private void WriteTextInputError(string text, int position)
    {
        var start = text.Length > 60 ? text[..57] + "..." : text;
        WriteFailure(new JobSignalException(OfferInputIsTextErrorId, FailureKind.InvalidType,
            $"Input {position} is a string, not an offer: '{start}'. Invoke-OfferIngestion reads offer objects; every string " +
            "input is skipped (skipped_invalid).", text,
            "Convert JSON text first (Get-Content offers.jsonl | ConvertFrom-Json | Invoke-OfferIngestion), or replay saved " +
            "InfoJobs payloads with Get-InfojobsOffer -Path offers.jsonl | Invoke-OfferIngestion."));
    }

    /// <summary>
    /// Whether the run ends as cancelled rather than failed. Found by experiment (PowerShell 7.4): Ctrl+C
    /// (PowerShell.Stop) marks the pipeline Stopping before it unwinds, but may dispose this command before calling
    /// its StopProcessing, so Stopping is what tells; a service stop cancels the token; Select-Object -First stops the
    /// commands before it with a PipelineStoppedException through WriteObject. Another command's terminating error
    /// does none of these: PowerShell only disposes this command, and when that command is before this one, no
    /// exception even passes through here.
    /// </summary>
    private bool StoppedOnRequest => PipelineStopping || CancellationToken.IsCancellationRequested || _interruption is PipelineStoppedException;

    private bool PipelineStopping
    {
        get
        {
            try { return Stopping; }
            catch (NotImplementedException) { return false; } // not running in a pipeline (a host calling Dispose)
        }
    }

    /// <summary>
    /// The pipeline ended before this run did because a command in it failed: the run failed (SPEC 7.4). When that
    /// command came before this one (Get-InfojobsOffer refused midway), the offers it delivered before are whole and
    /// are committed, as the scheduled pipeline commits what a failing fetch delivered; after a failure that came
    /// through this command (a later command's, or its own under -ErrorAction Stop), uncommitted offers are dropped.
    /// </summary>
    private void RecordPipelineFailure()
    {
        try
        {
            if (_interruption is null)
                _ingestor!.Complete(CancellationToken.None, "The pipeline stopped before the ingestion ended because another " +
                    "command in it failed (see that command's error); the offers it delivered before were stored.");
            else
                _ingestor!.Fail(new InvalidOperationException(
                    $"The pipeline stopped before the ingestion ended: {_interruption.Message} Committed chunks are kept."));
        }
        catch (Exception ex) when (ex is JobSignalException or InvalidOperationException or System.Data.Common.DbException)
        {
            // The store itself is failing: the run is failed with that, or the next run marks it abandoned.
            try { _ingestor!.Fail(ex); }
            catch (Exception again) when (again is JobSignalException or InvalidOperationException or System.Data.Common.DbException) { }
        }
    }

    private void OnChunkCommitted(IngestionChunk chunk)
    {
        var run = chunk.Run;
        var status = $"{run.Received} offers: {run.Inserted} new, {run.Updated} updated, {run.Reposts} reposts, " +
                     $"{run.SkippedNoIdentity + run.SkippedInvalid + run.SkippedResolved} skipped, {run.FailedDb + run.MatchFailed} failed";
        WriteVerbose($"Chunk {chunk.Number} ({chunk.Offers} offers) committed in {chunk.Elapsed.TotalMilliseconds:0} ms; run {run.RunId}: {status}.");
        ReportProgress(status);
    }

    protected override void ReleaseResources()
    {
        if (_ingestor is { IsFinished: false } && !StoppedOnRequest) RecordPipelineFailure();
        // A run nobody finished otherwise (Ctrl+C, Select-Object -First after -PassThru) is recorded as cancelled.
        _ingestor?.Dispose();
        _ingestor = null;
        base.ReleaseResources();
    }
}

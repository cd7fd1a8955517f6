using JobSignal.Core.Aggregation;
using JobSignal.Core.Catalog;
using JobSignal.Core.Common;
using JobSignal.Core.Domain;
using JobSignal.Core.Infojobs;
using JobSignal.Core.Ingestion;
using JobSignal.Core.Sheets;
using JobSignal.Core.Store;

namespace JobSignal.Core.Pipeline;

/// <summary>Where the pipeline's external services are and how to reach them, resolved by the caller.</summary>
public sealed record PipelineConnections
{
    /// <summary>Null: the InfoJobs queries fail with InfojobsCredentialsMissing (the other stages still run).</summary>
    public InfojobsCredentials? InfojobsCredentials { get; init; }
    public Uri? InfojobsBaseUri { get; init; }
    /// <summary>Null: the sync and the feedback import are skipped with a warning (see <see cref="PipelinePlan"/>).</summary>
    public string? SpreadsheetId { get; init; }
    public string? SheetsCredentialPath { get; init; }
    public Uri? SheetsBaseUri { get; init; }
}

/// <summary>
/// The real stages of the scheduled pipeline over the core services: InfoJobs fetch into an ingestion run, the
/// aggregation of every affected company, the Sheet sync of all companies and the feedback import.
/// </summary>
public sealed class JobSignalPipelineStages : IPipelineStages
{
    private readonly SignalStore _store;
    private readonly PipelineConfig _config;
    private readonly PipelineConnections _connections;
    private readonly Lazy<CompiledCatalog> _catalog;
    private readonly Action<string> _log;
    private readonly Action<string> _warn;
    private readonly string _databasePathArgument;
    // The runs of this pipeline's queries and their companies, until the aggregate stage records what became of them.
    private readonly List<(long RunId, IReadOnlyCollection<long> Companies)> _runs = [];

    /// <param name="loadCatalog">Loads, validates and compiles the catalog; called once, by the first stage that needs it.</param>
    /// <param name="log">Hears each step (verbose output).</param>
    /// <param name="warn">Hears what the operator should look at although the stage went on (warnings).</param>
    /// <param name="databasePathArgument">What commands named in messages need to act on this store
    /// (<see cref="DatabasePathArgument"/>): empty for the default store.</param>
    public JobSignalPipelineStages(SignalStore store, PipelineConfig config, PipelineConnections connections,
        Func<CompiledCatalog> loadCatalog, Action<string>? log = null, Action<string>? warn = null, string databasePathArgument = "")
    {
        _databasePathArgument = databasePathArgument;
        _store = store;
        _config = config;
        _connections = connections;
        _catalog = new Lazy<CompiledCatalog>(loadCatalog);
        _log = log ?? (_ => { });
        _warn = warn ?? (_ => { });
    }

    public QueryResult RunQuery(PipelineQuery query, string? since, CancellationToken cancellationToken)
    {
        var credentials = _connections.InfojobsCredentials ?? throw InfojobsErrors.CredentialsMissingError();
        var search = new InfojobsQuery
        {
            Text = query.Query,
            Provinces = query.Provinces,
            Categories = query.Categories,
            Since = since is null ? null : InfojobsSince.Parse(since, DateTimeOffset.UtcNow),
            Order = query.Order,
            MaxPages = query.MaxPages,
            MaxOffers = query.MaxOffers,
        };
        var statistics = new FetchStatistics { QueryKey = query.Key };
        var options = new InfojobsClientOptions
        {
            BaseUri = _connections.InfojobsBaseUri ?? InfojobsClientOptions.DefaultBaseUri,
            DetailConcurrency = _config.DetailConcurrency,
        };
        var problems = new List<JobSignalException>();
        using var client = new InfojobsClient(credentials, options);
        // Offers already stored unchanged (by an earlier run, or an earlier query of this one) need no detail. The
        // filter runs on the client's threads, so it reads through a connection of its own.
        using var detailReader = SignalStore.Open(_store.Path, _store.Options);
        using var ingestor = OfferIngestor.Start(_store, () => _catalog.Value,
            // The query's statistics, not only those its offers carry: a fetch that brought none still has its run's.
            new IngestionOptions { QueryKey = query.Key, Provider = Providers.Infojobs, Fetch = statistics });
        foreach (var abandoned in ingestor.AbandonedRunWarnings) _warn(abandoned);
        var offers = Offers(client, search, statistics, StoredOfferDetailFilter.For(detailReader, statistics), problems, cancellationToken);
        var notStored = new List<OfferIngestionResult>();
        var unmatched = 0;
        // Skips are ordinary (a feed's bad records): named in the verbose log, the first few only, never a failure.
        var skips = new SkippedOfferNotices();
        IngestionRun run;
        StepFailure? broken = null;
        var cancelled = false;
        try
        {
            // Anything the query did not get (paging stopped on a failure, a detail that kept failing, a 429 after
            // retries) fails it: what was fetched is ingested all the same and its run says what went wrong.
            run = ingestor.Ingest(offers, result =>
            {
                // Every result moves the input position the notices name, failures included.
                var skipped = skips.Next(result);
                if (result.Outcome == IngestionOutcome.FailedDb) notStored.Add(result);
                else if (result.Outcome == IngestionOutcome.MatchFailed) unmatched++;
                else if (skipped is { Warn: true } named) _log($"query {query.Key}: {named.Message}");
            }, cancellationToken, () => FetchFailure(problems)?.Error);
        }
        catch (OperationCanceledException)
        {
            // Stopped (Ctrl+C, a service stop): the run is recorded as cancelled with what it committed, which the
            // summary and the query's state tell; the runner then stops the pipeline.
            run = ingestor.Run;
            cancelled = true;
        }
        catch (Exception ex)
        {
            // The fetch or the store failed midway (a 403, a store locked by another process): the run is recorded
            // as failed, and what it committed stays, so its id and companies are kept (a store failure ends the run).
            run = ingestor.Run;
            broken = StepFailure.Of(ex, _store);
        }
        _runs.Add((run.RunId, run.AffectedCompanyIds));
        if (cancelled)
            return new QueryResult(query.Key, StageStatus.Cancelled, search.Since?.ApiValue, run.RunId, run.Received,
                run.AffectedCompanyIds, run.ErrorMessage);
        _log($"query {query.Key}: run {run.RunId}, {run.Received} offers, {run.Inserted} new, {run.Updated} updated, {run.Reposts} reposts; " +
             $"{statistics.DetailsFetched} details fetched, {statistics.DetailsSkipped} unchanged since stored");
        if (skips.Summary is { } unnamed) _log($"query {query.Key}: {unnamed}");
        if (ingestor.UnreadableSignaturesWarning is { } unreadable) _warn($"Query {query.Key}: {unreadable}");
        if (CapReached(query, statistics) is { } cap)
            _warn($"Query {query.Key} stopped at its {cap}: offers past it in this window were not fetched. Raise the cap if every run reaches it.");
        // Stored and counted, so the window may move on; only the match is missing, and the remedy is at hand.
        if (unmatched > 0)
            _warn($"Query {query.Key}: {unmatched} offer(s) of run {run.RunId} were stored without a match " +
                  $"({IngestionErrors.MatchPersistFailed}). {IngestionErrors.UnscoredRemedy(_databasePathArgument)}");

        // Each of these fails the query, so that its state keeps the window where it was: the next run asks InfoJobs
        // for the same offers again (ingesting them again is harmless) instead of never listing the lost ones again.
        var failure = StepFailure.Combine([.. new[] { FetchFailure(problems), PersistFailure(notStored, run.RunId), broken }.OfType<StepFailure>()]);
        return new QueryResult(query.Key, failure is null ? StageStatus.Succeeded : StageStatus.Failed, search.Since?.ApiValue,
            run.RunId, run.Received, run.AffectedCompanyIds, failure?.Error, failure?.RecommendedAction, failure?.Kind ?? FailureKind.NotSpecified)
            { StoreFailure = failure?.StoreFailure };
    }

    private static StepFailure? FetchFailure(List<JobSignalException> problems) => problems.Count switch
    {
        0 => null,
        1 => StepFailure.Of(problems[0]),
        _ => new StepFailure($"{problems.Count} problems; the first: {StepFailure.Of(problems[0]).Error}", problems[0].RecommendedAction, problems[0].Kind),
    };

    private StepFailure? PersistFailure(List<OfferIngestionResult> notStored, long runId) => notStored.Count == 0 ? null
        : new StepFailure($"{IngestionErrors.OfferPersistFailed}: {notStored.Count} offer(s) could not be stored in run {runId}; " +
                          $"the first: {IngestionErrors.OfferNotStored(notStored[0]).Message}",
            "Fix the cause (disk space, permissions, a trigger); the next run fetches the same window again, which also " +
            $"stores these offers. Get-IngestionRun -RunId {runId}{_databasePathArgument} shows the counts (FailedDb).", FailureKind.WriteError);

    private static string? CapReached(PipelineQuery query, FetchStatistics statistics) => statistics.TruncationReason switch
    {
        "max_offers" => $"MaxOffers cap ({query.MaxOffers} offers)",
        "max_pages" => $"MaxPages cap ({query.MaxPages} pages)",
        _ => null,
    };

    private IEnumerable<Offer> Offers(InfojobsClient client, InfojobsQuery search, FetchStatistics statistics,
        Func<Offer, bool> needsDetail, List<JobSignalException> problems, CancellationToken cancellationToken)
    {
        foreach (var fetched in client.FetchAsync(search, statistics, needsDetail, cancellationToken).ToBlockingEnumerable(cancellationToken))
        {
            switch (fetched)
            {
                case InfojobsOfferFetched offer:
                    yield return offer.Offer;
                    break;
                case InfojobsFetchProblem { IsWarning: true } warning:
                    _warn(warning.Error.Message);
                    break;
                case InfojobsFetchProblem problem:
                    _log($"{problem.Error.ErrorId}: {problem.Error.Message}");
                    problems.Add(problem.Error);
                    break;
                case InfojobsRetrying retrying:
                    _log(retrying.Notice.ToString());
                    break;
            }
        }
    }

    public StageResult Aggregate(IReadOnlyCollection<long> companyIds, CancellationToken cancellationToken)
    {
        // Companies an earlier run changed but never got to aggregate (stopped midway, a company whose aggregation
        // failed, a query that failed before this fix): caught up now, or they would keep stale metrics forever.
        var stale = _store.Companies.ListStaleIds();
        var caughtUp = stale.Except(companyIds).Count();
        var result = AggregateCompanies(companyIds.Concat(stale), cancellationToken);
        return caughtUp == 0 ? result : result with { Summary = $"{result.Summary} ({caughtUp} left stale by earlier runs)" };
    }

    private StageResult AggregateCompanies(IEnumerable<long> companyIds, CancellationToken cancellationToken)
    {
        var tally = new AggregationTally();
        var failures = new List<string>();
        var runner = new AggregationRunner(_store);
        // Each query's run records what became of its companies, as Update-CompanyAggregation does for a run it is given.
        foreach (var result in runner.AggregateForRuns(companyIds, _runs, cancellationToken: cancellationToken))
        {
            tally.Add(result);
            if (result.Status == CompanyAggregationStatus.Failed)
                failures.Add($"company {result.CompanyId}: {result.Error?.Message}");
        }
        _runs.Clear();
        return new StageResult(PipelineRunner.AggregateStage,
            failures.Count == 0 ? StageStatus.Succeeded : StageStatus.Failed, tally.ToString(),
            failures.Count == 0 ? null : string.Join("; ", failures),
            failures.Count == 0 ? null : "Those companies keep their previous metrics; the next run aggregates them again " +
                $"(or Update-CompanyAggregation -Stale{_databasePathArgument}, once the cause is fixed).",
            // As Update-CompanyAggregation reports CompanyAggregationFailed.
            ErrorKind: failures.Count == 0 ? FailureKind.NotSpecified : FailureKind.WriteError);
    }

    public StageResult SyncSheet(CancellationToken cancellationToken)
    {
        using var client = SheetsClient();
        var labels = SheetCompanyMapper.CategoryLabels(_catalog.Value.Catalog);
        var companies = _store.Companies.List().Select(c => SheetCompanyMapper.From(c, labels)).ToList();
        var result = new SheetSync(client, _connections.SpreadsheetId!, SheetOptions, _log)
            .SyncAsync(companies, cancellationToken).GetAwaiter().GetResult();
        foreach (var warning in result.Warnings) _warn("Sync: " + warning);
        var summary = $"{result.Appended} appended, {result.Updated} updated, {result.Unchanged} unchanged, {result.Requests} requests";
        return result.Errors.Count == 0 ? new StageResult(PipelineRunner.SyncStage, StageStatus.Succeeded, summary)
            : new StageResult(PipelineRunner.SyncStage, StageStatus.Failed, summary, string.Join("; ", result.Errors),
                "The next run writes the rows that were not written: a sync writes only what is missing or different.",
                ErrorKind: FailureKind.WriteError); // rows not written, as Sync-CompanySheet reports them
    }

    public StageResult ImportFeedback(CancellationToken cancellationToken)
    {
        using var client = SheetsClient();
        var import = new FeedbackImport(_store, new SheetFeedbackReader(client, _connections.SpreadsheetId!, SheetOptions));
        var result = import.Apply(import.PlanAsync(cancellationToken).GetAwaiter().GetResult(), cancellationToken);
        // Companies set back to an active resolution get fresh metrics right away.
        if (result.Resumed > 0) AggregateCompanies(result.CompanyIds, cancellationToken);
        foreach (var warning in result.Warnings) _warn("Feedback: " + warning);
        return new StageResult(PipelineRunner.FeedbackStage, StageStatus.Succeeded,
            $"{result.ResolutionsChanged} resolutions changed ({result.Frozen} frozen, {result.Resumed} resumed), {result.FeedbackAdded} feedback events, {result.Warnings.Count} warnings");
    }

    private SheetSyncOptions SheetOptions => new()
    {
        SheetName = _config.Sheet.SheetName,
        Layout = SheetLayout.ForLanguage(_config.Sheet.HeaderLanguage),
    };

    private SheetsClient SheetsClient()
    {
        var client = Sheets.SheetsClient.FromServiceAccountKeyFile(_connections.SheetsCredentialPath!,
            new SheetsClientOptions { BaseUri = _connections.SheetsBaseUri ?? SheetsClientOptions.DefaultBaseUri });
        client.Retrying += notice => _log(notice.ToString());
        return client;
    }
}

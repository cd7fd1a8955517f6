using System.Collections;
using JobSignal.Core.Catalog;
using JobSignal.Core.Common;
using JobSignal.Core.Infojobs;
using JobSignal.Core.Ingestion;
using JobSignal.Core.Pipeline;
using JobSignal.Core.Store;
using JobSignal.Core.Tests.Store;
using JobSignal.TestFakes;
using Microsoft.Data.Sqlite;

namespace JobSignal.Core.Tests.Pipeline;

/// <summary>The real stages (InfoJobs fetch, ingestion, aggregation) under the runner, against the fake InfoJobs and
/// a real store, with faults injected by SQLite triggers and the fake's fault knobs.</summary>
public sealed class PipelineStagesTests : IDisposable
{
    private static readonly Lazy<CompiledCatalog> s_catalog = new(() =>
        CompiledCatalog.Load(Path.Combine(AppContext.BaseDirectory, "module", "catalog", "default-catalog.json")));

    private readonly TempFolder _folder = new();
    private readonly FakeInfojobsServer _infojobs = new();
    private readonly SignalStore _store;

    public PipelineStagesTests()
    {
        _store = SignalStore.Open(_folder.File("pipeline.db"));
        _infojobs.AddGeneratedOffers(60);
    }

    public void Dispose()
    {
        _store.Dispose();
        _infojobs.Dispose();
        _folder.Dispose();
    }

    private static PipelineConfig Config(params Hashtable[] queries) =>
        PipelineConfig.FromDictionary(new Hashtable { ["Queries"] = queries.Cast<object>().ToArray() }, "test.psd1");

    private static Hashtable Query(string key, string? text = null, int maxPages = 10, int maxOffers = 500) => new()
    {
        ["Key"] = key, ["Query"] = text, ["MaxPages"] = maxPages, ["MaxOffers"] = maxOffers,
    };

    private PipelineSummary Run(PipelineConfig config, string secret = FakeInfojobsServer.DefaultClientSecret,
        SignalStore? store = null, Func<IPipelineStages, IPipelineStages>? wrap = null, CancellationToken cancellationToken = default)
    {
        store ??= _store;
        IPipelineStages stages = new JobSignalPipelineStages(store, config, new PipelineConnections
        {
            InfojobsCredentials = new InfojobsCredentials(FakeInfojobsServer.DefaultClientId, secret),
            InfojobsBaseUri = _infojobs.BaseUri,
        }, () => s_catalog.Value);
        // No Google Sheet: the Sheet stages are skipped.
        return new PipelineRunner(store, wrap?.Invoke(stages) ?? stages, PipelinePlan.For(config, null, null)).Run(cancellationToken);
    }

    private void Sql(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_store.Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Runs the first query as given, then calls <see cref="Before"/> ahead of each later one.</summary>
    private sealed class Interrupting(IPipelineStages inner) : IPipelineStages
    {
        private int _queries;
        public Action? Before { get; init; }

        public QueryResult RunQuery(PipelineQuery query, string? since, CancellationToken cancellationToken)
        {
            if (_queries++ > 0) Before?.Invoke();
            return inner.RunQuery(query, since, cancellationToken);
        }

        public StageResult Aggregate(IReadOnlyCollection<long> companyIds, CancellationToken cancellationToken) =>
            inner.Aggregate(companyIds, cancellationToken);

        public StageResult SyncSheet(CancellationToken cancellationToken) => inner.SyncSheet(cancellationToken);
        public StageResult ImportFeedback(CancellationToken cancellationToken) => inner.ImportFeedback(cancellationToken);
    }

    [Fact]
    public void An_offer_that_cannot_be_stored_fails_the_query_and_keeps_its_window_for_the_next_run()
    {
        var victim = _infojobs.OfferIds()[0];
        Sql($"CREATE TRIGGER boom BEFORE INSERT ON offers WHEN NEW.provider_offer_id = '{victim}' BEGIN SELECT RAISE(ABORT, 'disk says no'); END;");

        var summary = Run(Config(Query("all")));

        Assert.Equal(("failed", PipelineExitCode.StageFailed), (summary.Status, summary.ExitCode));
        var query = Assert.Single(summary.Queries);
        Assert.Equal(StageStatus.Failed, query.Status);
        Assert.StartsWith($"OfferPersistFailed: 1 offer(s) could not be stored in run {query.RunId}; the first: Offer infojobs:{victim} could not be stored:", query.Error);
        Assert.Contains("disk says no", query.Error);
        Assert.Contains($"Get-IngestionRun -RunId {query.RunId}", query.RecommendedAction);
        Assert.Equal(FailureKind.WriteError, query.ErrorKind);
        var run = _store.Runs.Get(query.RunId!.Value)!;
        Assert.Equal((1, 60), (run.FailedDb, run.Received));
        // Not a success: the next run asks for the same window (here: everything, as it never succeeded).
        var state = _store.QueryStates.Get("all")!;
        Assert.Equal((null, 1, query.RunId), (state.LastSuccessAt, state.ConsecutiveFailures, state.LastRunId));

        Sql("DROP TRIGGER boom");
        var again = Assert.Single(Run(Config(Query("all"))).Queries);
        Assert.Equal((StageStatus.Succeeded, (string?)null), (again.Status, again.Since));
        Assert.Equal(1, _store.Runs.Get(again.RunId!.Value)!.Inserted);
        Assert.NotNull(_store.QueryStates.Get("all")!.LastSuccessAt);
    }

    [Fact]
    public void Skipped_offers_are_named_in_the_verbose_log_and_do_not_fail_the_query()
    {
        // A detail without a title, and one without any company identity: a feed's ordinary bad records.
        var updated = DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:ss.fff+0000");
        _infojobs.AddOffer($$"""{"id":"bad-title","title":" ","link":"https://www.infojobs.net/x/of-ibad","description":"x","profile":{"id":"p1","name":"Acme S.L."},"updateDate":"{{updated}}","creationDate":"{{updated}}"}""");
        _infojobs.AddOffer($$"""{"id":"no-company","title":"Tesorero","link":"https://www.infojobs.net/x/of-ino","description":"x","updateDate":"{{updated}}","creationDate":"{{updated}}"}""");
        var log = new List<string>();
        var warnings = new List<string>();
        var config = Config(Query("all"));
        var stages = new JobSignalPipelineStages(_store, config, new PipelineConnections
        {
            InfojobsCredentials = new InfojobsCredentials(FakeInfojobsServer.DefaultClientId, FakeInfojobsServer.DefaultClientSecret),
            InfojobsBaseUri = _infojobs.BaseUri,
        }, () => s_catalog.Value, log.Add, warnings.Add);

        var summary = new PipelineRunner(_store, stages, PipelinePlan.For(config, null, null)).Run(CancellationToken.None);

        Assert.Equal(("success", PipelineExitCode.Success), (summary.Status, summary.ExitCode));
        var run = _store.Runs.Get(Assert.Single(summary.Queries).RunId!.Value)!;
        // The generated corpus has bad records of its own; all of them are named (fewer than the limit).
        Assert.True(run.SkippedInvalid + run.SkippedNoIdentity is >= 2 and <= SkippedOfferNotices.DefaultLimit);
        Assert.Equal(run.SkippedInvalid + run.SkippedNoIdentity, log.Count(line => line.Contains(" was skipped: ", StringComparison.Ordinal)));
        Assert.Contains(log, line => line.StartsWith("query all: Offer bad-title ", StringComparison.Ordinal)
                                     && line.EndsWith("was skipped: Title is missing or blank.", StringComparison.Ordinal));
        Assert.Contains(log, line => line.StartsWith("query all: Offer no-company 'Tesorero' ", StringComparison.Ordinal)
                                     && line.Contains("was skipped: No company identity", StringComparison.Ordinal));
        Assert.DoesNotContain(warnings, warning => warning.Contains("skipped", StringComparison.Ordinal));
    }

    [Fact]
    public void Access_revoked_midway_keeps_the_run_its_committed_offers_and_their_aggregation()
    {
        _infojobs.AddGeneratedOffers(900);
        // The thirteenth list page answers 403: 600 offers are listed before, and the first chunks are committed.
        _infojobs.FaultEndpoint = FakeInfojobsEndpoint.List;
        _infojobs.FaultsAfter = 12;
        _infojobs.ForbiddenCount = 1;

        var summary = Run(Config(Query("all", maxPages: 30, maxOffers: 2000)));

        var query = Assert.Single(summary.Queries);
        Assert.Equal(StageStatus.Failed, query.Status);
        Assert.StartsWith("InfojobsAuthenticationFailed: InfoJobs refused access", query.Error);
        Assert.StartsWith("Check that your InfoJobs application is allowed to use this API", query.RecommendedAction);
        Assert.Equal(FailureKind.PermissionDenied, query.ErrorKind);
        var run = _store.Runs.Get(Assert.IsType<long>(query.RunId))!;
        Assert.Equal("failed", run.Status);
        // Every offer listed before the refusal is delivered and committed, the last chunk too, though not full.
        Assert.True(run.OffersListed > 400, $"{run.OffersListed} offers listed");
        Assert.Equal(run.OffersListed, run.Received);
        Assert.NotEmpty(query.AffectedCompanyIds);
        Assert.Equal(run.AffectedCompanyIds, query.AffectedCompanyIds);
        Assert.Equal(query.RunId, _store.QueryStates.Get("all")!.LastRunId);
        // Its companies were aggregated, and the run says so.
        Assert.Equal(query.AffectedCompanyIds.Count, run.CompaniesAggregated);
        Assert.All(_store.Companies.Get(query.AffectedCompanyIds), c => Assert.NotNull(c.AggregatedAt));
    }

    [Fact]
    public void Each_InfoJobs_retry_is_a_line_of_the_pipeline_log()
    {
        _infojobs.FaultEndpoint = FakeInfojobsEndpoint.List;
        _infojobs.ServerErrorCount = 1;
        _infojobs.RetryAfterSeconds = 1;
        var log = new List<string>();
        var config = Config(Query("all", maxOffers: 3));
        var stages = new JobSignalPipelineStages(_store, config, new PipelineConnections
        {
            InfojobsCredentials = new InfojobsCredentials(FakeInfojobsServer.DefaultClientId, FakeInfojobsServer.DefaultClientSecret),
            InfojobsBaseUri = _infojobs.BaseUri,
        }, () => s_catalog.Value, log.Add);

        var summary = new PipelineRunner(_store, stages, PipelinePlan.For(config, null, null)).Run(CancellationToken.None);

        Assert.Equal(StageStatus.Succeeded, Assert.Single(summary.Queries).Status);
        Assert.Contains("GET /api/9/offer?maxResults=50 failed (500 InternalServerError): retry 1 of 4 in 1 s, as InfoJobs' Retry-After asked.", log);
    }

    [Fact]
    public void Credentials_InfoJobs_rejects_fail_the_query_with_its_run_and_InfoJobs_own_advice()
    {
        var summary = Run(Config(Query("all")), secret: "wrong-secret");

        var query = Assert.Single(summary.Queries);
        Assert.StartsWith("InfojobsAuthenticationFailed: InfoJobs rejected the credentials", query.Error);
        Assert.StartsWith("Check the client id and secret", query.RecommendedAction);
        // The cause's kind, not NotSpecified: scripts tell refused credentials from an outage or a store problem.
        Assert.Equal(FailureKind.AuthenticationError, query.ErrorKind);
        Assert.Equal("failed", _store.Runs.Get(Assert.IsType<long>(query.RunId))!.Status);
        Assert.Equal(query.RunId, _store.QueryStates.Get("all")!.LastRunId);
    }

    [Fact]
    public void A_store_another_process_keeps_locked_fails_the_query_with_StoreBusy_not_a_raw_SQLite_error()
    {
        using var impatient = SignalStore.Open(_store.Path, new StoreOptions
        {
            BusyTimeout = TimeSpan.FromMilliseconds(50),
            WriteRetry = new JobSignal.Core.Common.RetryPolicy(1, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10)),
        });
        SqliteConnection? writer = null;
        try
        {
            var summary = Run(Config(Query("first", maxOffers: 5), Query("second", maxOffers: 5)), store: impatient,
                wrap: stages => new Interrupting(stages)
                {
                    Before = () =>
                    {
                        writer = new SqliteConnection($"Data Source={_store.Path};Pooling=False");
                        writer.Open();
                        using var hold = writer.CreateCommand();
                        hold.CommandText = "BEGIN IMMEDIATE; INSERT INTO query_state (query_key) VALUES ('held by another process');";
                        hold.ExecuteNonQuery();
                    },
                });

            var second = summary.Queries.Single(q => q.QueryKey == "second");
            Assert.StartsWith($"StoreBusy: The store '{_store.Path}' was locked by another process", second.Error);
            Assert.NotNull(second.RecommendedAction);
            Assert.Equal(FailureKind.ResourceUnavailable, second.ErrorKind);
            // The store's failure ends the run: nothing after it waits on the lock again.
            Assert.Equal(StoreErrorIds.Busy, summary.StoreFailure?.ErrorId);
            Assert.Empty(summary.Stages);
        }
        finally { writer?.Dispose(); }
    }

    [Fact]
    public void Companies_a_stopped_run_never_aggregated_are_caught_up_by_the_next_run()
    {
        using var stop = new CancellationTokenSource();
        var stopped = Run(Config(Query("first", maxOffers: 30), Query("second")),
            wrap: stages => new Interrupting(stages) { Before = stop.Cancel }, cancellationToken: stop.Token);
        Assert.Equal("cancelled", stopped.Status);
        Assert.Equal(2, stopped.Queries.Count);
        var first = stopped.Queries[0];
        Assert.NotEmpty(first.AffectedCompanyIds);
        // The query it stopped is listed with its (cancelled) run, and its state says so.
        var second = stopped.Queries[1];
        Assert.Equal(("second", StageStatus.Cancelled), (second.QueryKey, second.Status));
        Assert.Equal("cancelled", _store.Runs.Get(Assert.IsType<long>(second.RunId))!.Status);
        Assert.Equal(second.RunId, _store.QueryStates.Get("second")!.LastRunId);
        Assert.Null(_store.QueryStates.Get("second")!.LastSuccessAt);
        Assert.All(_store.Companies.Get(first.AffectedCompanyIds), c => Assert.Null(c.AggregatedAt));

        // The next night's query brings nothing new; the companies left behind are aggregated all the same.
        var next = Run(Config(Query("nothing-new", text: "no-offer-has-this-word")));

        var aggregate = next.Stages.Single(s => s.Stage == PipelineRunner.AggregateStage);
        Assert.Equal(StageStatus.Succeeded, aggregate.Status);
        Assert.Equal($"{first.AffectedCompanyIds.Count} aggregated, 0 frozen, 0 failed, 0 not found ({first.AffectedCompanyIds.Count} left stale by earlier runs)", aggregate.Summary);
        Assert.All(_store.Companies.Get(first.AffectedCompanyIds), c => Assert.NotNull(c.AggregatedAt));
        Assert.Empty(_store.Companies.ListStaleIds());
    }

    [Fact]
    public void A_company_whose_aggregation_failed_is_aggregated_by_the_next_run_once_the_cause_is_gone()
    {
        const long victim = 3;
        Sql($"CREATE TRIGGER boom BEFORE UPDATE OF aggregated_at ON companies WHEN NEW.id = {victim} BEGIN SELECT RAISE(ABORT, 'aggregation refused'); END;");

        var failing = Run(Config(Query("all", maxOffers: 30)));

        var failed = failing.Stages.Single(s => s.Stage == PipelineRunner.AggregateStage);
        Assert.Equal(StageStatus.Failed, failed.Status);
        Assert.StartsWith($"company {victim}: ", failed.Error);
        Assert.Contains("aggregation refused", failed.Error);
        Assert.Contains("Update-CompanyAggregation -Stale", failed.RecommendedAction);
        Assert.Equal([victim], _store.Companies.ListStaleIds());

        Sql("DROP TRIGGER boom");
        var fixedRun = Run(Config(Query("nothing-new", text: "no-offer-has-this-word")));

        var aggregate = fixedRun.Stages.Single(s => s.Stage == PipelineRunner.AggregateStage);
        Assert.Equal((StageStatus.Succeeded, "1 aggregated, 0 frozen, 0 failed, 0 not found (1 left stale by earlier runs)"),
            (aggregate.Status, aggregate.Summary));
        var company = _store.Companies.Get(victim)!;
        Assert.NotNull(company.AggregatedAt);
        Assert.True(company.OfferCount > 0);
    }
}

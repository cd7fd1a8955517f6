using System.Collections;
using JobSignal.Core.Common;
using JobSignal.Core.Pipeline;
using JobSignal.Core.Store;
using JobSignal.Core.Tests.Store;

namespace JobSignal.Core.Tests.Pipeline;

public sealed class PipelineRunnerTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 2, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();
    private readonly ManualClock _clock = new(T0);
    private readonly SignalStore _store;

    public PipelineRunnerTests() => _store = SignalStore.Open(_folder.File("pipeline.db"), new StoreOptions { Clock = _clock });

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    /// <summary>Records what the runner asked for; queries named in <see cref="FailingQueries"/> throw.</summary>
    private sealed class RecordingStages(SignalStore store) : IPipelineStages
    {
        public HashSet<string> FailingQueries { get; } = new();
        public Exception? SyncFailure { get; init; }
        public List<string> Calls { get; } = new();
        public Dictionary<string, string?> SinceByQuery { get; } = new();
        public IReadOnlyCollection<long>? AggregatedIds { get; private set; }
        public Action? DuringAggregation { get; init; }
        public Action? DuringQuery { get; init; }
        /// <summary>Answers (or throws) for the queries it knows, instead of a successful run.</summary>
        public Func<PipelineQuery, QueryResult?>? Answer { get; init; }
        public Exception? AggregateFailure { get; init; }

        public QueryResult RunQuery(PipelineQuery query, string? since, CancellationToken cancellationToken)
        {
            Calls.Add("query:" + query.Key);
            SinceByQuery[query.Key] = since;
            DuringQuery?.Invoke();
            if (Answer?.Invoke(query) is { } answer) return answer;
            if (FailingQueries.Contains(query.Key)) throw new HttpRequestException("500 Internal Server Error after 3 retries");
            var run = store.Runs.Start(queryKey: query.Key);
            store.Runs.Finish(run, "success");
            return new QueryResult(query.Key, StageStatus.Succeeded, since, run.RunId, 2, [query.Key.Length, 100], null);
        }

        public StageResult Aggregate(IReadOnlyCollection<long> companyIds, CancellationToken cancellationToken)
        {
            Calls.Add("aggregate");
            AggregatedIds = companyIds.ToList();
            DuringAggregation?.Invoke();
            cancellationToken.ThrowIfCancellationRequested();
            if (AggregateFailure is { } failure) throw failure;
            return new StageResult(PipelineRunner.AggregateStage, StageStatus.Succeeded, $"{companyIds.Count} companies");
        }

        public StageResult SyncSheet(CancellationToken cancellationToken)
        {
            Calls.Add("sync");
            if (SyncFailure is { } failure) throw failure;
            return new StageResult(PipelineRunner.SyncStage, StageStatus.Succeeded, "3 appended");
        }

        public StageResult ImportFeedback(CancellationToken cancellationToken)
        {
            Calls.Add("feedback");
            return new StageResult(PipelineRunner.FeedbackStage, StageStatus.Succeeded, "1 change");
        }
    }

    private static PipelineConfig Config(params string[] keys) => PipelineConfig.FromDictionary(new Hashtable
    {
        ["Queries"] = keys.Select(k => (object)new Hashtable { ["Key"] = k, ["Query"] = k }).ToArray(),
    }, "test");

    /// <summary>The configuration's plan with a Google Sheet configured (spreadsheet and key file).</summary>
    private static PipelinePlan Planned(PipelineConfig config) => PipelinePlan.For(config, "sheet-id", "key.json");

    private PipelineRunner Runner(IPipelineStages stages, PipelineConfig config, string owner = "thishost:1:1") =>
        new(_store, stages, Planned(config), owner, _clock);

    /// <summary>A store that waits for a lock about 50 ms and retries once: a test that meets a held lock fails fast.</summary>
    private SignalStore ImpatientStore(string path) => SignalStore.Open(path, new StoreOptions
    {
        Clock = _clock, BusyTimeout = TimeSpan.FromMilliseconds(50),
        WriteRetry = new RetryPolicy(1, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10)),
    });

    /// <summary>Another process in the middle of a write transaction: it holds the store's write lock until disposed.</summary>
    private static Microsoft.Data.Sqlite.SqliteConnection HoldWriteLock(string path)
    {
        var writer = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
        writer.Open();
        using var write = writer.CreateCommand();
        write.CommandText = "BEGIN IMMEDIATE; INSERT INTO query_state (query_key) VALUES ('held by another process');";
        write.ExecuteNonQuery();
        return writer; // disposing the connection rolls the transaction back
    }

    [Fact]
    public void A_store_another_process_keeps_locked_ends_the_run_with_StoreBusy_naming_the_store()
    {
        var path = _folder.File("locked.db");
        using var store = ImpatientStore(path);
        using var writer = HoldWriteLock(path);
        var stages = new RecordingStages(store);

        var error = Assert.Throws<JobSignalException>(() => new PipelineRunner(store, stages, Planned(Config("q")), "thishost:1:1", _clock).Run(CancellationToken.None));

        Assert.Equal((StoreErrorIds.Busy, FailureKind.ResourceUnavailable, (object?)path), (error.ErrorId, error.Kind, error.Target));
        Assert.StartsWith($"The store '{path}' was locked by another process past the waits and retries (SQLite Error 5", error.Message);
        Assert.NotNull(error.RecommendedAction);
        Assert.Empty(stages.Calls);
    }

    [Fact]
    public void A_store_locked_by_another_process_midway_ends_the_run_as_failed_keeping_what_ran()
    {
        var path = _folder.File("locked-midway.db");
        using var store = ImpatientStore(path);
        Microsoft.Data.Sqlite.SqliteConnection? writer = null;
        var stages = new RecordingStages(store) { DuringQuery = () => writer ??= HoldWriteLock(path) };
        try
        {
            var summary = new PipelineRunner(store, stages, Planned(Config("first", "second")), "thishost:1:1", _clock).Run(CancellationToken.None);

            Assert.Equal(("failed", PipelineExitCode.StageFailed), (summary.Status, summary.ExitCode));
            Assert.Equal(StoreErrorIds.Busy, summary.StoreFailure!.ErrorId);
            Assert.Equal(path, summary.StoreFailure.Target);
            // The first query ran (and failed on the lock); nothing ran after the store failed.
            Assert.Equal(["query:first"], stages.Calls);
            Assert.Equal("first", Assert.Single(summary.Queries).QueryKey);
            Assert.Empty(summary.Stages);
        }
        finally { writer?.Dispose(); }
        // The lock could not be released under the other writer: it expires, and a later run takes it over.
        _clock.Now += TimeSpan.FromMinutes(121);
        var next = new PipelineRunner(store, new RecordingStages(store), Planned(Config("first")), "thishost:2:2", _clock).Run(CancellationToken.None);
        Assert.Equal(("success", "thishost:1:1"), (next.Status, next.TookOverLockFrom));
    }

    [Fact]
    public void A_failing_query_is_recorded_and_every_other_stage_still_runs()
    {
        var stages = new RecordingStages(_store);
        stages.FailingQueries.Add("broken");
        var summary = Runner(stages, Config("broken", "fine")).Run(CancellationToken.None);

        Assert.Equal("failed", summary.Status);
        Assert.Equal(PipelineExitCode.StageFailed, summary.ExitCode);
        Assert.Equal(new[] { "query:broken", "query:fine", "aggregate", "sync", "feedback" }, stages.Calls);
        Assert.Equal(new long[] { 4, 100 }, stages.AggregatedIds);

        var failed = summary.Queries.Single(q => q.QueryKey == "broken");
        Assert.Equal(StageStatus.Failed, failed.Status);
        Assert.Contains("500 Internal Server Error", failed.Error);

        var brokenState = _store.QueryStates.Get("broken")!;
        Assert.Equal(1, brokenState.ConsecutiveFailures);
        Assert.Null(brokenState.LastSuccessAt);
        Assert.Contains("500", brokenState.LastError);
        var fineState = _store.QueryStates.Get("fine")!;
        Assert.Equal(0, fineState.ConsecutiveFailures);
        Assert.Equal(T0, fineState.LastSuccessAt);
        Assert.Null(_store.RunLocks.Get(RunLockRepository.PipelineLock));
    }

    [Fact]
    public void A_failing_sync_does_not_stop_the_feedback_import()
    {
        var stages = new RecordingStages(_store) { SyncFailure = new InvalidOperationException("Sheets said 403") };
        var summary = Runner(stages, Config("q")).Run(CancellationToken.None);

        Assert.Equal(PipelineExitCode.StageFailed, summary.ExitCode);
        var sync = summary.Stages.Single(s => s.Stage == PipelineRunner.SyncStage);
        Assert.Equal((StageStatus.Failed, "InvalidOperationException: Sheets said 403", (string?)null), (sync.Status, sync.Error, sync.RecommendedAction));
        Assert.Equal(StageStatus.Succeeded, summary.Stages.Single(s => s.Stage == PipelineRunner.FeedbackStage).Status);
        Assert.Contains("feedback", stages.Calls);
    }

    [Fact]
    public void A_failed_stage_keeps_what_its_error_says_to_do()
    {
        var stages = new RecordingStages(_store)
        {
            SyncFailure = new JobSignalException("SheetsHeaderMismatch", FailureKind.InvalidData, "The header row does not match.",
                "sheet-id", "Fix the header row (or use another -SheetName / -HeaderLanguage)."),
        };

        var sync = Runner(stages, Config("q")).Run(CancellationToken.None).Stages.Single(s => s.Stage == PipelineRunner.SyncStage);

        Assert.Equal("SheetsHeaderMismatch: The header row does not match.", sync.Error);
        Assert.Equal("Fix the header row (or use another -SheetName / -HeaderLanguage).", sync.RecommendedAction);
    }

    [Fact]
    public void Everything_succeeding_exits_zero()
    {
        var summary = Runner(new RecordingStages(_store), Config("a", "b")).Run(CancellationToken.None);
        Assert.Equal("success", summary.Status);
        Assert.Equal(PipelineExitCode.Success, summary.ExitCode);
        Assert.Equal(0, summary.FailedCount);
    }

    [Fact]
    public void A_held_lock_makes_the_second_run_do_nothing()
    {
        Assert.True(_store.RunLocks.TryAcquire(RunLockRepository.PipelineLock, TimeSpan.FromHours(1), "otherhost:42:1").Acquired);
        var stages = new RecordingStages(_store);
        var summary = Runner(stages, Config("q")).Run(CancellationToken.None);

        Assert.Equal("locked", summary.Status);
        Assert.Equal(PipelineExitCode.Locked, summary.ExitCode);
        Assert.Contains("otherhost:42:1", summary.LockHolder);
        Assert.Empty(stages.Calls);
        Assert.Null(_store.QueryStates.Get("q"));
        Assert.Equal("otherhost:42:1", _store.RunLocks.Get(RunLockRepository.PipelineLock)!.Owner);
    }

    [Fact]
    public void A_second_run_in_the_same_process_waits_for_the_lock_of_the_first()
    {
        // Thread jobs or hosted runspaces: one process, two pipelines, each with an owner of its own.
        var second = new RecordingStages(_store);
        PipelineSummary? inner = null;
        var outer = new RecordingStages(_store)
        {
            DuringQuery = () => inner = new PipelineRunner(_store, second, Planned(Config("q")), clock: _clock).Run(CancellationToken.None),
        };

        var summary = new PipelineRunner(_store, outer, Planned(Config("q")), clock: _clock).Run(CancellationToken.None);

        Assert.Equal(PipelineExitCode.Locked, inner!.ExitCode);
        Assert.Empty(second.Calls);
        Assert.Equal(PipelineExitCode.Success, summary.ExitCode);
        Assert.Null(_store.RunLocks.Get(RunLockRepository.PipelineLock));
    }

    [Fact]
    public void A_lock_taken_over_during_the_run_stops_it_before_its_next_step_with_what_it_did()
    {
        var config = Config("first", "second");
        var stages = new RecordingStages(_store)
        {
            // The run outlives its lock's TTL and another host takes the lock over while the first query runs.
            DuringQuery = () =>
            {
                if (_store.RunLocks.Get(RunLockRepository.PipelineLock)!.Owner == "otherhost:7:7") return;
                _clock.Now += config.LockTtl + TimeSpan.FromMinutes(1);
                Assert.True(_store.RunLocks.TryAcquire(RunLockRepository.PipelineLock, config.LockTtl, "otherhost:7:7").Acquired);
            },
        };

        var summary = Runner(stages, config).Run(CancellationToken.None);

        Assert.Equal("failed", summary.Status);
        Assert.Equal(PipelineExitCode.StageFailed, summary.ExitCode);
        Assert.Contains("taken over", summary.LockLost);
        Assert.Equal(new[] { "query:first" }, stages.Calls);
        Assert.Equal("first", Assert.Single(summary.Queries).QueryKey);
        Assert.Empty(summary.Stages);
        Assert.Equal("otherhost:7:7", _store.RunLocks.Get(RunLockRepository.PipelineLock)!.Owner);
    }

    [Fact]
    public void A_run_that_lost_its_lock_still_tells_the_step_it_finished_so_its_lines_are_written()
    {
        var config = Config("first", "second");
        var stages = new RecordingStages(_store)
        {
            DuringQuery = () =>
            {
                _clock.Now += config.LockTtl + TimeSpan.FromMinutes(1);
                _store.RunLocks.TryAcquire(RunLockRepository.PipelineLock, config.LockTtl, "otherhost:7:7");
            },
        };
        var runner = Runner(stages, config);
        var told = new List<string>();
        runner.StepCompleted += told.Add;

        var summary = runner.Run(CancellationToken.None);

        Assert.NotNull(summary.LockLost);
        Assert.Equal(["query first: Succeeded"], told);
    }

    [Theory]
    [InlineData(false, true, "Sheet.Enabled = $false", "Sheet.Enabled = $false")]
    [InlineData(true, false, null, "Feedback.Enabled = $false")]
    public void A_sheet_switched_off_is_neither_synced_nor_read(bool sheet, bool feedback, string? syncSkip, string feedbackSkip)
    {
        var stages = new RecordingStages(_store);
        var config = PipelineConfig.FromDictionary(new Hashtable
        {
            ["Queries"] = new object[] { new Hashtable { ["Key"] = "q", ["Query"] = "q" } },
            ["Sheet"] = new Hashtable { ["Enabled"] = sheet },
            ["Feedback"] = new Hashtable { ["Enabled"] = feedback },
        }, "test");

        var summary = Runner(stages, config).Run(CancellationToken.None);

        Assert.Equal(["query:q", "aggregate", .. sheet ? ["sync"] : Array.Empty<string>()], stages.Calls);
        var sync = summary.Stages.Single(s => s.Stage == PipelineRunner.SyncStage);
        Assert.Equal(syncSkip is null ? StageStatus.Succeeded : StageStatus.Skipped, sync.Status);
        if (syncSkip is not null) Assert.Contains(syncSkip, sync.Summary);
        var import = summary.Stages.Single(s => s.Stage == PipelineRunner.FeedbackStage);
        Assert.Equal(StageStatus.Skipped, import.Status);
        Assert.Contains(feedbackSkip, import.Summary);
        // Switched off on purpose: nothing to warn about every night.
        Assert.All(summary.Stages.Where(s => s.Status == StageStatus.Skipped), s => Assert.True(s.Deliberate));
    }

    [Fact]
    public void The_plan_decides_the_Sheet_stages_and_the_runner_follows_it()
    {
        var config = Config("q");
        var stages = new RecordingStages(_store);

        var notConfigured = new PipelineRunner(_store, stages, PipelinePlan.For(config, null, "  "), clock: _clock).Run(CancellationToken.None);

        Assert.DoesNotContain("sync", stages.Calls);
        Assert.All(notConfigured.Stages.Skip(1), s => Assert.Equal((StageStatus.Skipped, PipelinePlan.SheetNotConfigured, false), (s.Status, s.Summary, s.Deliberate)));
        Assert.Equal(PipelineExitCode.Success, notConfigured.ExitCode);

        var half = new PipelineRunner(_store, stages, PipelinePlan.For(config, "sheet-id", null), clock: _clock).Run(CancellationToken.None);

        Assert.DoesNotContain("sync", stages.Calls);
        Assert.Equal(PipelineExitCode.StageFailed, half.ExitCode);
        Assert.All(half.Stages.Skip(1), s =>
        {
            Assert.Equal(StageStatus.Failed, s.Status);
            Assert.StartsWith("SheetConfigIncomplete: The Google Sheet is half configured: no service-account key file", s.Error);
            Assert.StartsWith("Set the missing one", s.RecommendedAction);
        });
    }

    [Theory]
    [InlineData(false, true, "sheet-id", "key.json", "Sheet sync skipped (disabled in the configuration (Sheet.Enabled = $false)), feedback import skipped (disabled in the configuration (Sheet.Enabled = $false))")]
    [InlineData(true, true, null, null, "Sheet sync skipped (no Google Sheet configured (Sheet.SpreadsheetId / $env:JOBSIGNAL_SPREADSHEET_ID and Sheet.CredentialPath / $env:GOOGLE_APPLICATION_CREDENTIALS)), feedback import skipped (no Google Sheet configured")]
    [InlineData(true, false, "sheet-id", "key.json", "Sheet sync on, feedback import skipped (disabled in the configuration (Feedback.Enabled = $false))")]
    [InlineData(true, true, "sheet-id", "key.json", "Sheet sync on, feedback import on")]
    [InlineData(true, true, "sheet-id", null, "Sheet sync fails (SheetConfigIncomplete: The Google Sheet is half configured: no service-account key file")]
    public void The_plan_says_what_a_run_does_with_the_Sheet(bool sheet, bool feedback, string? spreadsheetId, string? keyFile, string expected)
    {
        var config = PipelineConfig.FromDictionary(new Hashtable
        {
            ["Queries"] = new object[] { new Hashtable { ["Key"] = "a", ["Query"] = "usd" }, new Hashtable { ["Key"] = "b" } },
            ["Sheet"] = new Hashtable { ["Enabled"] = sheet },
            ["Feedback"] = new Hashtable { ["Enabled"] = feedback },
        }, "test");

        var described = PipelinePlan.For(config, spreadsheetId, keyFile).Describe();

        Assert.StartsWith("2 queries (a, b), aggregation (of the companies they change and of any left stale by earlier runs), " + expected, described);
    }

    [Fact]
    public void A_stale_lock_is_taken_over()
    {
        _store.RunLocks.TryAcquire(RunLockRepository.PipelineLock, TimeSpan.FromMinutes(30), "otherhost:42:1");
        _clock.Now += TimeSpan.FromMinutes(31);
        var stages = new RecordingStages(_store);
        var runner = Runner(stages, Config("q"));
        runner.LockTakenOver += previous => stages.Calls.Add("took over from " + previous);

        var summary = runner.Run(CancellationToken.None);

        Assert.Equal("success", summary.Status);
        Assert.Equal("otherhost:42:1", summary.TookOverLockFrom);
        Assert.Equal(["took over from otherhost:42:1", "query:q"], stages.Calls.Take(2));  // said as it happens, before the queries
        Assert.Null(_store.RunLocks.Get(RunLockRepository.PipelineLock));
    }

    [Fact]
    public void Since_defaults_from_the_last_success_and_an_explicit_since_wins()
    {
        var config = PipelineConfig.FromDictionary(new Hashtable
        {
            ["Queries"] = new object[]
            {
                new Hashtable { ["Key"] = "incremental", ["Query"] = "usd" },
                new Hashtable { ["Key"] = "fixed", ["Query"] = "gbp", ["Since"] = "ANY" },
            },
        }, "test");
        var first = new RecordingStages(_store);
        Runner(first, config).Run(CancellationToken.None);
        Assert.Null(first.SinceByQuery["incremental"]);   // never succeeded: everything

        _clock.Now += TimeSpan.FromDays(3);
        var second = new RecordingStages(_store);
        Runner(second, config).Run(CancellationToken.None);
        Assert.Equal("_7_DAYS", second.SinceByQuery["incremental"]);
        Assert.Equal("ANY", second.SinceByQuery["fixed"]);

        _clock.Now += TimeSpan.FromHours(20);
        var third = new RecordingStages(_store);
        Runner(third, config).Run(CancellationToken.None);
        Assert.Equal("_24_HOURS", third.SinceByQuery["incremental"]);
    }

    [Fact]
    public void The_next_window_starts_where_the_last_successful_query_started()
    {
        // A query that takes two hours: what InfoJobs published while it ran must be in the next window.
        var slow = new RecordingStages(_store) { DuringQuery = () => _clock.Now += TimeSpan.FromHours(2) };
        Runner(slow, Config("slow")).Run(CancellationToken.None);

        var state = _store.QueryStates.Get("slow")!;
        Assert.Equal(T0, state.LastSuccessAt);
        Assert.Equal(T0, state.LastRunAt);

        // 23 hours after the first run ended is 25 hours after it started: the 24-hour bucket would miss an hour.
        _clock.Now += TimeSpan.FromHours(23);
        var next = new RecordingStages(_store);
        Runner(next, Config("slow")).Run(CancellationToken.None);
        Assert.Equal("_7_DAYS", next.SinceByQuery["slow"]);
    }

    [Theory]
    [InlineData(0, 23.0, "_24_HOURS")]
    [InlineData(0, 23.5, "_7_DAYS")]      // a daily schedule: 24 hours less a little is still at the edge
    [InlineData(0, 24.0, "_7_DAYS")]
    [InlineData(3, 20.9, "_24_HOURS")]
    [InlineData(3, 21.1, "_7_DAYS")]   // a run of three hours: its last pages come three hours after its start
    [InlineData(0, 6 * 24 + 22.9, "_7_DAYS")]
    [InlineData(0, 6 * 24 + 23.1, "_15_DAYS")]
    public void The_incremental_window_starts_a_margin_before_the_last_success(double lastRunHours, double hoursSince, string expected)
    {
        var now = T0 + TimeSpan.FromHours(hoursSince);
        Assert.Equal(expected, IncrementalWindow.Since(T0, TimeSpan.FromHours(lastRunHours), now).ApiValue);
    }

    [Fact]
    public void The_incremental_window_of_a_daily_run_covers_the_edge_of_the_day()
    {
        var config = Config("daily");
        Runner(new RecordingStages(_store), config).Run(CancellationToken.None);

        // The same time the next night: InfoJobs would evaluate _24_HOURS against its clock, page by page, later.
        _clock.Now += TimeSpan.FromHours(24) - TimeSpan.FromSeconds(20);
        var next = new RecordingStages(_store);
        Runner(next, config).Run(CancellationToken.None);

        Assert.Equal("_7_DAYS", next.SinceByQuery["daily"]);
    }

    [Fact]
    public void A_last_success_ahead_of_the_clock_still_gives_a_window()
    {
        Assert.Equal("_24_HOURS", IncrementalWindow.Since(T0 + TimeSpan.FromHours(3), null, T0).ApiValue);
    }

    [Fact]
    public void Cancellation_releases_the_lock_and_reports_cancelled()
    {
        using var cts = new CancellationTokenSource();
        var stages = new RecordingStages(_store) { DuringAggregation = cts.Cancel };
        var summary = Runner(stages, Config("q")).Run(cts.Token);

        Assert.Equal("cancelled", summary.Status);
        Assert.Equal(PipelineExitCode.Cancelled, summary.ExitCode);
        Assert.DoesNotContain("sync", stages.Calls);
        Assert.Null(_store.RunLocks.Get(RunLockRepository.PipelineLock));
        // The stage it stopped is listed as cancelled, the ones it never reached as not run.
        Assert.Equal([(PipelineRunner.AggregateStage, StageStatus.Cancelled), (PipelineRunner.SyncStage, StageStatus.Skipped),
            (PipelineRunner.FeedbackStage, StageStatus.Skipped)], summary.Stages.Select(s => (s.Stage, s.Status)));
        Assert.All(summary.Stages.Skip(1), s => Assert.Equal("not run: the pipeline was stopped before it", s.Summary));
    }

    [Fact]
    public void A_query_stopped_midway_is_listed_with_its_run_and_recorded_without_moving_its_window()
    {
        var config = Config("done", "stopped", "later");
        Runner(new RecordingStages(_store), config).Run(CancellationToken.None);
        var before = _store.QueryStates.Get("later")!;
        _clock.Now = T0 + TimeSpan.FromDays(1);
        using var cts = new CancellationTokenSource();
        long? stoppedRun = null;
        var stages = new RecordingStages(_store)
        {
            // The real stage returns what its cancelled run committed (SIGTERM, Ctrl+C while it ingests).
            Answer = query =>
            {
                if (query.Key != "stopped") return null;
                cts.Cancel();
                var run = _store.Runs.Start(queryKey: query.Key);
                _store.Runs.Finish(run, "cancelled", "Cancelled after 1 committed chunk(s) (200 offers); the chunk in progress was rolled back.");
                stoppedRun = run.RunId;
                return new QueryResult(query.Key, StageStatus.Cancelled, "_24_HOURS", run.RunId, 200, [7, 8], run.ErrorMessage);
            },
        };

        var summary = Runner(stages, config).Run(cts.Token);

        Assert.Equal(("cancelled", PipelineExitCode.Cancelled), (summary.Status, summary.ExitCode));
        Assert.Equal([("done", StageStatus.Succeeded), ("stopped", StageStatus.Cancelled), ("later", StageStatus.Skipped)],
            summary.Queries.Select(q => (q.QueryKey, q.Status)));
        var stopped = summary.Queries[1];
        Assert.Equal((stoppedRun, 200), (stopped.RunId, stopped.OffersReceived));
        Assert.All(summary.Stages, s => Assert.Equal(StageStatus.Skipped, s.Status));
        Assert.Equal(["query:done", "query:stopped"], stages.Calls);
        // Its state says where it stopped, and its window stays where the last success left it.
        var state = _store.QueryStates.Get("stopped")!;
        Assert.Equal((T0 + TimeSpan.FromDays(1), (DateTimeOffset?)T0, 0, stoppedRun),
            (state.LastRunAt!.Value, state.LastSuccessAt, state.ConsecutiveFailures, state.LastRunId));
        Assert.StartsWith("Cancelled after 1 committed chunk(s) (200 offers)", state.LastError);
        Assert.Equal(before.LastRunAt, _store.QueryStates.Get("later")!.LastRunAt);
        Assert.Null(_store.RunLocks.Get(RunLockRepository.PipelineLock));
    }

    [Fact]
    public void A_query_stage_that_throws_on_cancellation_is_listed_and_recorded_as_cancelled_without_a_run()
    {
        using var cts = new CancellationTokenSource();
        var stages = new RecordingStages(_store)
        {
            Answer = query =>
            {
                cts.Cancel();
                throw new OperationCanceledException(cts.Token);
            },
        };

        var summary = Runner(stages, Config("q")).Run(cts.Token);

        var query = Assert.Single(summary.Queries);
        Assert.Equal((StageStatus.Cancelled, (long?)null), (query.Status, query.RunId));
        var state = _store.QueryStates.Get("q")!;
        Assert.Equal(("Cancelled before its ingestion run started.", (DateTimeOffset?)null, 0), (state.LastError, state.LastSuccessAt, state.ConsecutiveFailures));
    }

    [Fact]
    public void A_store_SQLite_finds_damaged_is_refused_before_the_lock_is_taken_and_left_as_it_was()
    {
        var path = _folder.File("damaged.db");
        SignalStore.Open(path).Dispose();
        DamageTable(path, "companies");
        var before = File.ReadAllBytes(path);
        var stages = new RecordingStages(_store);

        using (var store = SignalStore.Open(path, new StoreOptions { Clock = _clock }))
        {
            var error = Assert.Throws<JobSignalException>(() => new PipelineRunner(store, stages, Planned(Config("q")), "thishost:1:1", _clock).Run(CancellationToken.None));

            Assert.Equal((StoreErrorIds.Damaged, FailureKind.ReadError, (object?)path), (error.ErrorId, error.Kind, error.Target));
            Assert.StartsWith($"The store '{path}' is damaged: SQLite could not read part of it (", error.Message);
            Assert.EndsWith("Nothing was changed.", error.Message);
            Assert.Contains(".recover", error.RecommendedAction);
        }
        Assert.Empty(stages.Calls);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    /// <summary>Overwrites the page that holds a table's root, as a failing disk might.</summary>
    private static void DamageTable(string path, string table)
    {
        long pageSize, rootPage;
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA page_size";
            pageSize = (long)command.ExecuteScalar()!;
            command.CommandText = $"SELECT rootpage FROM sqlite_schema WHERE name = '{table}'";
            rootPage = (long)command.ExecuteScalar()!;
        }
        using var file = File.OpenWrite(path);
        file.Position = (rootPage - 1) * pageSize;
        file.Write(Enumerable.Repeat((byte)0xA5, (int)pageSize).ToArray());
    }

    [Fact]
    public void A_query_failing_on_the_store_itself_ends_the_run_there_with_StoreFailure_and_writes_no_state()
    {
        var stages = new RecordingStages(_store)
        {
            Answer = query => throw new Microsoft.Data.Sqlite.SqliteException("SQLite Error 11: 'database disk image is malformed'.", 11),
        };

        var summary = Runner(stages, Config("first", "second")).Run(CancellationToken.None);

        Assert.Equal(("failed", PipelineExitCode.StageFailed), (summary.Status, summary.ExitCode));
        Assert.Equal((StoreErrorIds.Damaged, (object?)_store.Path), (summary.StoreFailure!.ErrorId, summary.StoreFailure.Target));
        Assert.Equal(["query:first"], stages.Calls);
        var query = Assert.Single(summary.Queries);
        Assert.Equal(StageStatus.Failed, query.Status);
        Assert.StartsWith($"StoreDamaged: The store '{_store.Path}' is damaged", query.Error);
        Assert.True(summary.IsStoreFailure(query));
        Assert.Empty(summary.Stages);
        Assert.Null(_store.QueryStates.Get("first"));
    }

    [Fact]
    public void A_stage_failing_on_the_store_itself_ends_the_run_there_and_the_Sheet_is_not_touched()
    {
        var stages = new RecordingStages(_store)
        {
            AggregateFailure = new Microsoft.Data.Sqlite.SqliteException("SQLite Error 11: 'database disk image is malformed'.", 11),
        };

        var summary = Runner(stages, Config("q")).Run(CancellationToken.None);

        Assert.Equal(StoreErrorIds.Damaged, summary.StoreFailure!.ErrorId);
        Assert.Equal(["query:q", "aggregate"], stages.Calls);
        var aggregate = Assert.Single(summary.Stages);
        Assert.Equal((PipelineRunner.AggregateStage, StageStatus.Failed), (aggregate.Stage, aggregate.Status));
        Assert.True(summary.IsStoreFailure(aggregate));
        Assert.Null(_store.RunLocks.Get(RunLockRepository.PipelineLock));
    }
}

using Dapper;
using JobSignal.Core.Domain;
using JobSignal.Core.Store;
using Microsoft.Data.Sqlite;

namespace JobSignal.Core.Tests.Store;

public class QueryStateRepositoryTests : StoreTestBase
{
    [Fact]
    public void Failures_accumulate_and_a_success_resets_them()
    {
        var run = Store.Runs.Start();
        Assert.Null(Store.QueryStates.Get("fx"));
        var s = Store.QueryStates.RecordFailure("fx", run.RunId, "HTTP 500", T0);
        Assert.Equal((1, "HTTP 500", (DateTimeOffset?)T0, (DateTimeOffset?)null, (long?)run.RunId),
            (s.ConsecutiveFailures, s.LastError, s.LastRunAt, s.LastSuccessAt, s.LastRunId));
        Store.QueryStates.RecordFailure("fx", null, "HTTP 429", T0.AddHours(1));
        s = Store.QueryStates.Get("fx")!;
        Assert.Equal((2, "HTTP 429", T0.AddHours(1)), (s.ConsecutiveFailures, s.LastError, s.LastRunAt!.Value));

        s = Store.QueryStates.RecordSuccess("fx", run.RunId, T0.AddHours(2));
        Assert.Equal((0, (string?)null, T0.AddHours(2), T0.AddHours(2)), (s.ConsecutiveFailures, s.LastError, s.LastRunAt!.Value, s.LastSuccessAt!.Value));
        s = Store.QueryStates.RecordFailure("fx", run.RunId, "timeout", T0.AddHours(3));
        Assert.Equal((1, T0.AddHours(2)), (s.ConsecutiveFailures, s.LastSuccessAt!.Value));

        Store.QueryStates.RecordSuccess("bcn", null, T0);
        Assert.Equal(new[] { "bcn", "fx" }, Store.QueryStates.List().Select(q => q.QueryKey));
    }

    [Fact]
    public void A_cancelled_attempt_is_recorded_with_its_run_but_neither_moves_the_last_success_nor_counts_as_a_failure()
    {
        var first = Store.Runs.Start();
        var stopped = Store.Runs.Start();
        Store.QueryStates.RecordSuccess("fx", first.RunId, T0);
        Store.QueryStates.RecordFailure("fx", first.RunId, "HTTP 500", T0.AddHours(1));

        var s = Store.QueryStates.RecordCancelled("fx", stopped.RunId, "Cancelled after 1 committed chunk(s) (200 offers).", T0.AddHours(2));

        Assert.Equal((T0.AddHours(2), (DateTimeOffset?)T0, 1, "Cancelled after 1 committed chunk(s) (200 offers).", (long?)stopped.RunId),
            (s.LastRunAt!.Value, s.LastSuccessAt, s.ConsecutiveFailures, s.LastError, s.LastRunId));
        // A query stopped on its first run has a state too: its attempt and run, no success, no failure.
        var fresh = Store.QueryStates.RecordCancelled("new", stopped.RunId, "Cancelled.", T0);
        Assert.Equal(((DateTimeOffset?)null, 0, (long?)stopped.RunId), (fresh.LastSuccessAt, fresh.ConsecutiveFailures, fresh.LastRunId));
    }

    [Fact]
    public void Keys_compare_case_insensitively_as_in_the_configuration_and_keep_the_latest_spelling()
    {
        Store.QueryStates.RecordSuccess("Nightly-FX", null, T0);

        Assert.Equal(T0, Store.QueryStates.Get("nightly-fx")!.LastSuccessAt);
        var renamed = Store.QueryStates.RecordFailure("nightly-fx", null, "HTTP 500", T0.AddDays(1));

        Assert.Equal(("nightly-fx", (DateTimeOffset?)T0, 1), (renamed.QueryKey, renamed.LastSuccessAt, renamed.ConsecutiveFailures));
        Assert.Equal(["nightly-fx"], Store.QueryStates.List().Select(q => q.QueryKey));
    }
}

public class FeedbackRepositoryTests : StoreTestBase
{
    private FeedbackEvent Event(long company, FeedbackKind kind, string value, string notes = "", int? row = 7) =>
        new() { CompanyId = company, Kind = kind, Value = value, Notes = notes, SourceRow = row, CreatedAt = T0 };

    [Fact]
    public void Model_feedback_is_deduplicated_on_company_value_and_notes()
    {
        var company = AddCompany();
        var first = Event(company, FeedbackKind.ModelFeedback, "FP", "chile is a pepper");
        Assert.True(Store.Feedback.Add(first));
        Assert.True(first.EventId > 0);
        Assert.False(Store.Feedback.Add(Event(company, FeedbackKind.ModelFeedback, "FP", "chile is a pepper", row: 9)));
        Assert.True(Store.Feedback.Add(Event(company, FeedbackKind.ModelFeedback, "FP", "other note")));
        Assert.True(Store.Feedback.Add(Event(company, FeedbackKind.ModelFeedback, "OK")));
        Assert.False(Store.Feedback.Add(Event(company, FeedbackKind.ModelFeedback, "OK")));
        Assert.Equal(3, Store.Feedback.List(company, FeedbackKind.ModelFeedback).Count);
    }

    [Fact]
    public void Resolution_events_are_a_history_that_may_repeat()
    {
        var company = AddCompany();
        var other = AddCompany("Other");
        Assert.True(Store.Feedback.Add(Event(company, FeedbackKind.Resolution, Resolution.Accepted)));
        Assert.True(Store.Feedback.Add(Event(company, FeedbackKind.Resolution, Resolution.Pending)));
        Assert.True(Store.Feedback.Add(Event(company, FeedbackKind.Resolution, Resolution.Accepted)));
        Assert.True(Store.Feedback.Add(Event(other, FeedbackKind.ModelFeedback, "FN")));
        var events = Store.Feedback.List(company);
        Assert.Equal(new[] { Resolution.Accepted, Resolution.Pending, Resolution.Accepted }, events.Select(e => e.Value));
        Assert.Equal((company, FeedbackKind.Resolution, "", 7, T0), (events[0].CompanyId, events[0].Kind, events[0].Notes, events[0].SourceRow, events[0].CreatedAt));
        Assert.Equal(4, Store.Feedback.List().Count);
        Assert.Single(Store.Feedback.List(kind: FeedbackKind.ModelFeedback));
    }

    [Fact]
    public void Kinds_are_stored_as_the_schema_s_codes_and_read_back_by_name()
    {
        var company = AddCompany();
        Assert.True(Store.Feedback.Add(Event(company, FeedbackKind.ModelFeedback, "FP")));
        // A row as every earlier version wrote it: the store keeps its codes, no migration.
        Store.Connection.Execute($"INSERT INTO feedback_events (company_id, kind, value, notes, created_at) VALUES ({company}, 'resolution', 'REJECTED', '', '2025-05-01T00:00:00.000Z')");
        Assert.Equal(new[] { "model_feedback", "resolution" }, Store.Connection.Query<string>("SELECT kind FROM feedback_events ORDER BY id"));
        Assert.Equal(new[] { FeedbackKind.ModelFeedback, FeedbackKind.Resolution }, Store.Feedback.List(company).Select(e => e.Kind));
        Assert.Equal("REJECTED", Assert.Single(Store.Feedback.List(kind: FeedbackKind.Resolution)).Value);
    }

    [Theory]
    [InlineData("ModelFeedback", FeedbackKind.ModelFeedback)]
    [InlineData("model_feedback", FeedbackKind.ModelFeedback)]
    [InlineData(" MODELFEEDBACK ", FeedbackKind.ModelFeedback)]
    [InlineData("resolution", FeedbackKind.Resolution)]
    public void A_kind_is_read_by_its_name_or_its_store_code(string text, FeedbackKind expected)
    {
        Assert.True(FeedbackKindCodes.TryParse(text, out var kind));
        Assert.Equal(expected, kind);
        Assert.False(FeedbackKindCodes.TryParse("model feedback", out _));
    }

    [Fact]
    public void Unknown_kinds_and_companies_are_refused()
    {
        var company = AddCompany();
        Assert.Throws<ArgumentException>(() => Store.Feedback.Add(Event(company, (FeedbackKind)7, "OK")));
        Assert.Equal(19, Assert.Throws<SqliteException>(() => Store.Feedback.Add(Event(company + 9, FeedbackKind.ModelFeedback, "OK"))).SqliteErrorCode);
        Assert.Empty(Store.Feedback.List());
    }
}

public class RunLockRepositoryTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ManualClock _clock = new(new DateTimeOffset(2024, 5, 1, 8, 0, 0, TimeSpan.Zero));
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(30);

    public void Dispose() => _folder.Dispose();

    private SignalStore Open() => SignalStore.Open(_folder.File("lock.db"), new StoreOptions { Clock = _clock });

    [Fact]
    public void Two_schedulers_contend_and_only_one_holds_the_lock()
    {
        using var first = Open();
        using var second = Open();
        var a = first.RunLocks.TryAcquire(RunLockRepository.PipelineLock, Ttl, "host-a:1:1");
        var b = second.RunLocks.TryAcquire(RunLockRepository.PipelineLock, Ttl, "host-b:2:2");
        Assert.True(a.Acquired);
        Assert.Null(a.TookOverFrom);
        Assert.False(b.Acquired);
        Assert.Equal(("host-a:1:1", _clock.Now, _clock.Now + Ttl), (b.Holder.Owner, b.Holder.AcquiredAt, b.Holder.ExpiresAt));
        // Not b's to refresh or release.
        Assert.False(second.RunLocks.Refresh(RunLockRepository.PipelineLock, Ttl, "host-b:2:2"));
        Assert.False(second.RunLocks.Release(RunLockRepository.PipelineLock, "host-b:2:2"));

        Assert.True(first.RunLocks.Release(RunLockRepository.PipelineLock, "host-a:1:1"));
        Assert.Null(first.RunLocks.Get(RunLockRepository.PipelineLock));
        Assert.True(second.RunLocks.TryAcquire(RunLockRepository.PipelineLock, Ttl, "host-b:2:2").Acquired);
    }

    [Fact]
    public void The_holder_may_refresh_and_reacquire_its_lock()
    {
        using var store = Open();
        var start = _clock.Now;
        store.RunLocks.TryAcquire("pipeline", Ttl, "host-a:1:1");
        _clock.Now = start.AddMinutes(20);
        Assert.True(store.RunLocks.Refresh("pipeline", Ttl, "host-a:1:1"));
        Assert.Equal(start.AddMinutes(50), store.RunLocks.Get("pipeline")!.ExpiresAt);
        var again = store.RunLocks.TryAcquire("pipeline", Ttl, "host-a:1:1");
        Assert.True(again.Acquired);
        Assert.Equal(start, again.Holder.AcquiredAt);
    }

    [Fact]
    public void An_expired_lock_is_taken_over()
    {
        using var store = Open();
        store.RunLocks.TryAcquire("pipeline", Ttl, "host-a:1:1");
        _clock.Now += Ttl - TimeSpan.FromSeconds(1);
        Assert.False(store.RunLocks.TryAcquire("pipeline", Ttl, "host-b:2:2").Acquired);
        _clock.Now += TimeSpan.FromSeconds(1);
        var taken = store.RunLocks.TryAcquire("pipeline", Ttl, "host-b:2:2");
        Assert.True(taken.Acquired);
        Assert.Equal(("host-a:1:1", "host-b:2:2", _clock.Now), (taken.TookOverFrom, taken.Holder.Owner, taken.Holder.AcquiredAt));
        Assert.False(store.RunLocks.Refresh("pipeline", Ttl, "host-a:1:1"));
    }

    [Fact]
    public void A_lock_of_a_dead_process_of_this_host_is_taken_over_before_expiry()
    {
        using var store = Open();
        var dead = $"{Environment.MachineName}:{int.MaxValue - 3}:1";
        store.RunLocks.TryAcquire("pipeline", TimeSpan.FromHours(4), dead);
        var taken = store.RunLocks.TryAcquire("pipeline", Ttl);
        Assert.True(taken.Acquired);
        Assert.Equal((dead, RunOwner.Current), (taken.TookOverFrom, taken.Holder.Owner));
        Assert.True(store.RunLocks.Release("pipeline"));
    }

    [Fact]
    public void Locks_are_named()
    {
        using var store = Open();
        Assert.True(store.RunLocks.TryAcquire("pipeline", Ttl, "a:1:1").Acquired);
        Assert.True(store.RunLocks.TryAcquire("rescore", Ttl, "b:1:1").Acquired);
    }
}

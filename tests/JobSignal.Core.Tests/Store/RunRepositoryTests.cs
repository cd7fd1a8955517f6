using Dapper;
using JobSignal.Core.Domain;
using JobSignal.Core.Store;

namespace JobSignal.Core.Tests.Store;

public class RunRepositoryTests : StoreTestBase
{
    [Fact]
    public void A_started_run_is_running_owned_by_this_process()
    {
        var run = Store.Runs.Start(RunKind.Ingestion, "infojobs", "fx-madrid", "2.1.0");
        var stored = Store.Runs.Get(run.RunId)!;
        Assert.Equal((RunKind.Ingestion, "infojobs", "fx-madrid", "2.1.0", RunStatus.Running, RunOwner.Current),
            (stored.Kind, stored.Provider, stored.QueryKey, stored.CatalogVersion, stored.Status, stored.Owner));
        Assert.Equal(run.StartedAt, stored.StartedAt);
        Assert.Null(stored.FinishedAt);
        Assert.Null(stored.Duration);
        Assert.Empty(stored.AffectedCompanyIds);
        Assert.Null(Store.Runs.Get(run.RunId + 1));
    }

    [Fact]
    public void A_run_saving_its_next_chunk_keeps_what_another_process_aggregation_recorded()
    {
        var run = Store.Runs.Start(RunKind.Ingestion);
        run.Received = 200;
        Store.Runs.Save(run);
        using (var other = SignalStore.Open(Store.Path)) other.Runs.RecordAggregation(run.RunId, 150, 2);

        run.Received = 400; // the next chunk, from the ingesting process's own copy of the run
        Store.Runs.Save(run);
        Store.Runs.Finish(run, RunStatus.Success);

        var stored = Store.Runs.Get(run.RunId)!;
        Assert.Equal((400, 150, 2, RunStatus.Success), (stored.Received, stored.CompaniesAggregated, stored.CompaniesFailed, stored.Status));
    }

    [Fact]
    public void Every_counter_and_statistic_is_persisted()
    {
        var run = Store.Runs.Start(RunKind.Rescore);
        run.Received = 1; run.Inserted = 2; run.Updated = 3; run.Reposts = 4; run.SkippedNoIdentity = 5;
        run.SkippedInvalid = 6; run.SkippedResolved = 7; run.FailedDb = 8; run.MatchFailed = 9; run.Scored = 10;
        var fetch = new FetchStatistics { OffersListed = 16, DetailsFetched = 17, TruncationReason = "rate_limited" };
        fetch.AddPage(); fetch.AddRequest(5_000_000_000); fetch.AddRateLimited(); fetch.AddRetry(); fetch.AddRetry();
        run.RecordFetch(fetch);
        Store.Runs.Save(run);
        Store.Runs.RecordAggregation(run.RunId, 18, 19);

        var s = Store.Runs.Get(run.RunId)!;
        Assert.Equal((RunKind.Rescore, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
            (s.Kind, s.Received, s.Inserted, s.Updated, s.Reposts, s.SkippedNoIdentity, s.SkippedInvalid, s.SkippedResolved, s.FailedDb, s.MatchFailed, s.Scored));
        Assert.Equal((1, 1, 1, 2, 5_000_000_000L, 16, 17, "rate_limited", 18, 19),
            (s.Pages, s.Requests, s.RateLimited, s.Retries, s.Bytes, s.OffersListed, s.DetailsFetched, s.TruncationReason, s.CompaniesAggregated, s.CompaniesFailed));
        Assert.Equal(RunStatus.Running, s.Status);
    }

    [Fact]
    public void Finish_records_status_time_and_error()
    {
        var run = Store.Runs.Start();
        run.Inserted = 3;
        Store.Runs.Finish(run, RunStatus.Failed, "catalog invalid");
        var s = Store.Runs.Get(run.RunId)!;
        Assert.Equal((RunStatus.Failed, "catalog invalid", 3), (s.Status, s.ErrorMessage, s.Inserted));
        Assert.NotNull(s.FinishedAt);
        Assert.True(s.FinishedAt >= s.StartedAt);
        Assert.Equal(s.FinishedAt, run.FinishedAt);
        Assert.Throws<ArgumentException>(() => Store.Runs.Finish(run, RunStatus.Running));
        Assert.Throws<ArgumentException>(() => Store.Runs.Finish(run, "done"));
    }

    [Fact]
    public void Saving_a_run_that_does_not_exist_fails()
    {
        Assert.Throws<InvalidOperationException>(() => Store.Runs.Save(new IngestionRun { RunId = 42 }));
    }

    [Fact]
    public void Affected_companies_are_recorded_once_and_read_back()
    {
        var a = AddCompany("A");
        var b = AddCompany("B");
        var c = AddCompany("C");
        var d = AddCompany("D");
        var run = Store.Runs.Start();
        Store.Runs.AddAffectedCompanies(run, new[] { c, a, c });
        Store.Runs.AddAffectedCompanies(run, new[] { a });
        Store.Runs.AddAffectedCompanies(run, new[] { d, b, c });
        Assert.Equal(new[] { a, b, c, d }, run.AffectedCompanyIds);
        Assert.Equal(new[] { a, b, c, d }, Store.Runs.Get(run.RunId)!.AffectedCompanyIds);
        Assert.Equal(4L, Store.Connection.ExecuteScalar<long>("SELECT count(*) FROM ingestion_run_companies"));

        // A run read back goes on from the ids the store has.
        var again = Store.Runs.Get(run.RunId)!;
        Store.Runs.AddAffectedCompanies(again, new[] { d, a });
        Assert.Equal(new[] { a, b, c, d }, again.AffectedCompanyIds);
        Assert.Equal(4L, Store.Connection.ExecuteScalar<long>("SELECT count(*) FROM ingestion_run_companies"));
    }

    [Fact]
    public void List_returns_the_newest_first_with_optional_status_filter()
    {
        var company = AddCompany();
        var first = Store.Runs.Start();
        Store.Runs.Finish(first, RunStatus.Success);
        var second = Store.Runs.Start();
        Store.Runs.AddAffectedCompanies(second, new[] { company });
        Store.Runs.Finish(second, RunStatus.Failed, "boom");
        var third = Store.Runs.Start();

        Assert.Equal(new[] { third.RunId, second.RunId, first.RunId }, Store.Runs.List().Select(r => r.RunId));
        Assert.Equal(new[] { third.RunId, second.RunId }, Store.Runs.List(last: 2).Select(r => r.RunId));
        Assert.Equal(new[] { second.RunId, first.RunId },
            Store.Runs.List(statuses: new[] { RunStatus.Success, RunStatus.Failed }).Select(r => r.RunId));
        Assert.Equal(new[] { company }, Store.Runs.List(statuses: new[] { RunStatus.Failed }).Single().AffectedCompanyIds);
    }

    [Fact]
    public void Runs_of_dead_processes_are_marked_abandoned_and_live_ones_kept()
    {
        var host = Environment.MachineName;
        var mine = Store.Runs.Start();
        var deadLocal = StartOwnedBy($"{host}:{Environment.ProcessId}:1");      // our pid, another start: pid reused
        var goneLocal = StartOwnedBy($"{host}:{int.MaxValue - 7}:1");           // no such process
        var foreignRecent = StartOwnedBy("elsewhere:100:1");
        var foreignOld = StartOwnedBy("elsewhere:200:1", startedAt: Store.Runs.Get(mine.RunId)!.StartedAt.AddDays(-2));
        var finishedDead = StartOwnedBy($"{host}:{int.MaxValue - 7}:1");
        Store.Connection.Execute("UPDATE ingestion_runs SET status = 'success' WHERE id = @finishedDead", new { finishedDead });

        var marked = Store.Runs.MarkAbandoned();

        Assert.Equal(new[] { deadLocal, goneLocal, foreignOld }, marked.Select(r => r.RunId));
        Assert.All(marked, r => Assert.Equal(RunStatus.Abandoned, r.Status));
        var stored = Store.Runs.Get(goneLocal)!;
        Assert.Equal(RunStatus.Abandoned, stored.Status);
        Assert.NotNull(stored.FinishedAt);
        Assert.Contains(stored.Owner, stored.ErrorMessage);
        Assert.Equal(RunStatus.Running, Store.Runs.Get(mine.RunId)!.Status);
        Assert.Equal(RunStatus.Running, Store.Runs.Get(foreignRecent)!.Status);
        Assert.Equal(RunStatus.Success, Store.Runs.Get(finishedDead)!.Status);
        Assert.Empty(Store.Runs.MarkAbandoned());
        Assert.Equal(new[] { foreignRecent }, Store.Runs.MarkAbandoned(TimeSpan.Zero).Select(r => r.RunId));
    }

    private long StartOwnedBy(string owner, DateTimeOffset? startedAt = null)
    {
        var run = Store.Runs.Start();
        Store.Connection.Execute("UPDATE ingestion_runs SET owner = @owner, started_at = coalesce(@startedAt, started_at) WHERE id = @id",
            new { owner, startedAt, id = run.RunId });
        return run.RunId;
    }
}

using System.Runtime.InteropServices;
using Dapper;
using JobSignal.Core.Domain;
using JobSignal.Core.Signal;

namespace JobSignal.Core.Store;

/// <summary>Ingestion and re-scoring runs (SPEC 7.4): created at start, saved as they go, always finalized.</summary>
public sealed class RunRepository
{
    /// <summary>How long a run of another host may stay <c>running</c> before it is taken for abandoned.</summary>
    public static readonly TimeSpan DefaultForeignRunTimeout = TimeSpan.FromHours(24);

    private const string SelectRun = """
        SELECT id AS RunId, kind, provider, query_key, status, started_at, finished_at, error_message, catalog_version,
               owner, received, inserted, updated, repost AS Reposts, skipped_no_identity, skipped_invalid,
               skipped_resolved, failed_db, match_failed, scored, pages, requests, rate_limited, retries, bytes,
               offers_listed, details_fetched, truncation_reason, companies_aggregated, companies_failed
        FROM ingestion_runs
        """;

    private readonly SignalStore _store;

    internal RunRepository(SignalStore store) => _store = store;

    /// <summary>Creates a <c>running</c> run owned by this process and returns it.</summary>
    public IngestionRun Start(string kind = RunKind.Ingestion, string? provider = null, string? queryKey = null,
        string? catalogVersion = null)
    {
        var run = new IngestionRun
        {
            Kind = kind, Provider = provider, QueryKey = queryKey, CatalogVersion = catalogVersion,
            Owner = RunOwner.Current, StartedAt = _store.Now, Status = RunStatus.Running,
        };
        run.RunId = _store.Write(() => _store.Connection.ExecuteScalar<long>(_store.Command("""
            INSERT INTO ingestion_runs (kind, provider, query_key, catalog_version, owner, started_at, status)
            VALUES (@Kind, @Provider, @QueryKey, @CatalogVersion, @Owner, @StartedAt, @Status)
            RETURNING id
            """, new { run.Kind, run.Provider, run.QueryKey, run.CatalogVersion, run.Owner, run.StartedAt, run.Status })));
        return run;
    }

    /// <summary>Writes every field of the run (counters, statistics, status...) except its id, start, kind and owner.</summary>
    public void Save(IngestionRun run) => _store.Write(() =>
    {
        if (_store.Connection.Execute(_store.Command("""
            UPDATE ingestion_runs SET
                provider = @Provider, query_key = @QueryKey, status = @Status, finished_at = @FinishedAt,
                error_message = @ErrorMessage, catalog_version = @CatalogVersion, received = @Received,
                inserted = @Inserted, updated = @Updated, repost = @Reposts, skipped_no_identity = @SkippedNoIdentity,
                skipped_invalid = @SkippedInvalid, skipped_resolved = @SkippedResolved, failed_db = @FailedDb,
                match_failed = @MatchFailed, scored = @Scored, pages = @Pages, requests = @Requests,
                rate_limited = @RateLimited, retries = @Retries, bytes = @Bytes, offers_listed = @OffersListed,
                details_fetched = @DetailsFetched, truncation_reason = @TruncationReason
            WHERE id = @RunId
            """, run)) != 1)
            throw new InvalidOperationException($"Run {run.RunId} does not exist in the store '{_store.Path}'.");
    });

    /// <summary>
    /// Sets what aggregation did with the run's companies. Apart from <see cref="Save"/>: aggregation may run in
    /// another process while the run still saves its chunks, and neither may overwrite the other's columns.
    /// </summary>
    public void RecordAggregation(long runId, int companiesAggregated, int companiesFailed) => _store.Write(() =>
        _store.Connection.Execute(_store.Command(
            "UPDATE ingestion_runs SET companies_aggregated = @companiesAggregated, companies_failed = @companiesFailed WHERE id = @runId",
            new { runId, companiesAggregated, companiesFailed })));

    /// <summary>Sets the run's final status (not <c>running</c>), finish time and error, then saves all of it.</summary>
    public void Finish(IngestionRun run, string status, string? errorMessage = null)
    {
        if (!RunStatus.IsFinished(status))
            throw new ArgumentException($"'{status}' is not a final run status.", nameof(status));
        run.Status = status;
        run.ErrorMessage = errorMessage;
        run.FinishedAt = _store.Now;
        Save(run);
    }

    /// <summary>Records companies the run changed (once each) and adds them to <see cref="IngestionRun.AffectedCompanyIds"/>.</summary>
    public void AddAffectedCompanies(IngestionRun run, IEnumerable<long> companyIds)
    {
        // The run's ids are in ascending order (as read back, and as merged here): a chunk looks its few companies up
        // in them instead of making a set of, and sorting again, every company the run has touched so far.
        var recorded = run.AffectedCompanyIds as List<long> ?? [.. run.AffectedCompanyIds];
        var added = companyIds.Where(id => recorded.BinarySearch(id) < 0).Distinct().Order().ToArray();
        if (added.Length == 0) return;
        _store.Write(() => _store.Statement("""
            INSERT OR IGNORE INTO ingestion_run_companies (run_id, company_id) SELECT @runId, value FROM json_each(@ids)
            """).Set("@runId", run.RunId).SetList("@ids", added).ExecuteNonQuery());
        run.AffectedCompanyIds = MergeSorted(CollectionsMarshal.AsSpan(recorded), added);
    }

    private static ItemList<long> MergeSorted(ReadOnlySpan<long> first, long[] second)
    {
        var list = new ItemList<long>(first.Length + second.Length);
        CollectionsMarshal.SetCount(list, first.Length + second.Length);
        var merged = CollectionsMarshal.AsSpan(list);
        int i = 0, j = 0, k = 0;
        while (i < first.Length && j < second.Length) merged[k++] = first[i] <= second[j] ? first[i++] : second[j++];
        first[i..].CopyTo(merged[k..]);
        second.AsSpan(j).CopyTo(merged[(k + first.Length - i)..]);
        return list;
    }

    public IngestionRun? Get(long runId) =>
        WithAffectedCompanies(_store.Connection.Query<IngestionRun>(_store.Command(SelectRun + " WHERE id = @runId", new { runId })).AsList())
            .SingleOrDefault();

    /// <summary>Runs newest first: the last <paramref name="last"/> (all when null), of these statuses when given.</summary>
    public IReadOnlyList<IngestionRun> List(int? last = null, IReadOnlyCollection<string>? statuses = null) =>
        WithAffectedCompanies(_store.Connection.Query<IngestionRun>(_store.Command(
            SelectRun + (statuses is null ? "" : " WHERE status IN @statuses") + " ORDER BY id DESC LIMIT coalesce(@last, -1)",
            new { last, statuses = statuses?.ToArray() })).AsList());

    /// <summary>
    /// Marks as <c>abandoned</c> the runs still <c>running</c> whose process is gone: a process of this host that
    /// no longer runs, or a run of another host started more than <paramref name="foreignRunTimeout"/> ago
    /// (default <see cref="DefaultForeignRunTimeout"/>). Returns the runs it marked.
    /// </summary>
    public IReadOnlyList<IngestionRun> MarkAbandoned(TimeSpan? foreignRunTimeout = null)
    {
        var foreignCutoff = _store.Now - (foreignRunTimeout ?? DefaultForeignRunTimeout);
        return _store.Write(() =>
        {
            var now = _store.Now;
            var abandoned = _store.Connection.Query<IngestionRun>(_store.Command(
                    SelectRun + " WHERE status = @running AND owner <> @current ORDER BY id", new { running = RunStatus.Running, current = RunOwner.Current }))
                .Where(run => RunOwner.IsDead(run.Owner) || (!RunOwner.IsOnThisHost(run.Owner) && run.StartedAt < foreignCutoff))
                .ToList();
            foreach (var run in abandoned)
            {
                run.Status = RunStatus.Abandoned;
                run.FinishedAt = now;
                run.ErrorMessage = $"The process that ran it ({run.Owner}) ended without finishing it.";
                _store.Connection.Execute(_store.Command(
                    "UPDATE ingestion_runs SET status = @Status, finished_at = @FinishedAt, error_message = @ErrorMessage WHERE id = @RunId",
                    new { run.Status, run.FinishedAt, run.ErrorMessage, run.RunId }));
            }
            return WithAffectedCompanies(abandoned);
        });
    }

    private IReadOnlyList<IngestionRun> WithAffectedCompanies(IReadOnlyList<IngestionRun> runs)
    {
        if (runs.Count == 0) return runs;
        var byRun = SqlText.Batches(runs.Select(r => r.RunId))
            .SelectMany(ids => _store.Connection.Query<(long RunId, long CompanyId)>(_store.Command(
                "SELECT run_id, company_id FROM ingestion_run_companies WHERE run_id IN @ids ORDER BY company_id", new { ids })))
            .ToLookup(row => row.RunId, row => row.CompanyId);
        foreach (var run in runs) run.AffectedCompanyIds = byRun[run.RunId].ToArray();
        return runs;
    }
}

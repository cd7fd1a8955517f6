using Dapper;
using JobSignal.Core.Domain;

namespace JobSignal.Core.Store;

/// <summary>
/// Per scheduled query: when it last ran and succeeded, and how many times in a row it failed. Keys compare
/// case-insensitively (ASCII letters), as in the configuration; the state keeps the key as last written.
/// </summary>
public sealed class QueryStateRepository
{
    private const string SelectState = """
        SELECT query_key, last_run_at, last_success_at, consecutive_failures, last_error, last_run_id FROM query_state
        """;

    private readonly SignalStore _store;

    internal QueryStateRepository(SignalStore store) => _store = store;

    public QueryState? Get(string queryKey) =>
        _store.Connection.QuerySingleOrDefault<QueryState>(_store.Command(SelectState + " WHERE query_key = @queryKey", new { queryKey }));

    public IReadOnlyList<QueryState> List() =>
        _store.Connection.Query<QueryState>(_store.Command(SelectState + " ORDER BY query_key")).AsList();

    /// <summary>The query ran and succeeded: failures reset, last error cleared.</summary>
    public QueryState RecordSuccess(string queryKey, long? runId, DateTimeOffset at) => Record(queryKey, runId, at, null, Outcome.Succeeded);

    /// <summary>The query failed: one more consecutive failure, its error kept.</summary>
    public QueryState RecordFailure(string queryKey, long? runId, string error, DateTimeOffset at) => Record(queryKey, runId, at, error, Outcome.Failed);

    /// <summary>
    /// The query was stopped (Ctrl+C, a service stop) with its run: the attempt and its run are recorded, with
    /// <paramref name="note"/> as its last error, but it neither succeeded nor failed. Its last success stays, so the
    /// next run asks for the same window again (what it committed is ingested again, harmlessly), and its count of
    /// consecutive failures stays as it was.
    /// </summary>
    public QueryState RecordCancelled(string queryKey, long? runId, string note, DateTimeOffset at) => Record(queryKey, runId, at, note, Outcome.Cancelled);

    private enum Outcome { Succeeded, Failed, Cancelled }

    private QueryState Record(string queryKey, long? runId, DateTimeOffset at, string? error, Outcome outcome) => _store.Write(() =>
        _store.Connection.QuerySingle<QueryState>(_store.Command("""
            INSERT INTO query_state (query_key, last_run_at, last_success_at, consecutive_failures, last_error, last_run_id)
            VALUES (@queryKey, @at, CASE WHEN @succeeded THEN @at END, CASE WHEN @failed THEN 1 ELSE 0 END, @error, @runId)
            ON CONFLICT (query_key) DO UPDATE SET
                query_key = excluded.query_key,
                last_run_at = excluded.last_run_at,
                last_success_at = coalesce(excluded.last_success_at, last_success_at),
                consecutive_failures = CASE WHEN @failed THEN consecutive_failures + 1 WHEN @succeeded THEN 0 ELSE consecutive_failures END,
                last_error = excluded.last_error,
                last_run_id = excluded.last_run_id
            RETURNING query_key, last_run_at, last_success_at, consecutive_failures, last_error, last_run_id
            """, new { queryKey, runId, at, error, succeeded = outcome == Outcome.Succeeded, failed = outcome == Outcome.Failed })));
}

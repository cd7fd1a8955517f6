using JobSignal.Core.Domain;

namespace JobSignal.Core.Ingestion;

/// <summary>The outcome counters of a run (SPEC 7.1), kept apart from the run object so that a chunk's counts join the
/// run's only once the chunk has committed.</summary>
internal sealed class RunCounters
{
    private readonly int[] _outcomes = new int[Enum.GetValues<IngestionOutcome>().Length];

    public int Received { get; set; }
    public int Scored { get; set; }

    public int this[IngestionOutcome outcome] => _outcomes[(int)outcome];

    public void Count(IngestionOutcome outcome) => _outcomes[(int)outcome]++;

    public void Add(RunCounters other)
    {
        Received += other.Received;
        Scored += other.Scored;
        for (var i = 0; i < _outcomes.Length; i++) _outcomes[i] += other._outcomes[i];
    }

    /// <summary>Writes these counts, plus <paramref name="pending"/> when given, into the run's counter fields.</summary>
    public void ApplyTo(IngestionRun run, RunCounters? pending = null)
    {
        int Sum(IngestionOutcome outcome) => this[outcome] + (pending?[outcome] ?? 0);
        run.Received = Received + (pending?.Received ?? 0);
        run.Scored = Scored + (pending?.Scored ?? 0);
        run.Inserted = Sum(IngestionOutcome.Inserted);
        run.Updated = Sum(IngestionOutcome.Updated);
        run.Reposts = Sum(IngestionOutcome.Repost);
        run.SkippedNoIdentity = Sum(IngestionOutcome.SkippedNoIdentity);
        run.SkippedInvalid = Sum(IngestionOutcome.SkippedInvalid);
        run.SkippedResolved = Sum(IngestionOutcome.SkippedResolved);
        run.FailedDb = Sum(IngestionOutcome.FailedDb);
        run.MatchFailed = Sum(IngestionOutcome.MatchFailed);
    }
}

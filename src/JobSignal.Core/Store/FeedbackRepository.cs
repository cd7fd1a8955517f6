using Dapper;
using JobSignal.Core.Domain;

namespace JobSignal.Core.Store;

/// <summary>What the reps said in the Sheet: resolution changes (a history) and model feedback (deduplicated).</summary>
public sealed class FeedbackRepository
{
    private readonly SignalStore _store;

    internal FeedbackRepository(SignalStore store) => _store = store;

    /// <summary>
    /// Stores the event and sets its <see cref="FeedbackEvent.EventId"/>. False (nothing stored) for model feedback
    /// the company already has with the same value and notes.
    /// </summary>
    public bool Add(FeedbackEvent feedback)
    {
        if (feedback.Kind is not (FeedbackKind.Resolution or FeedbackKind.ModelFeedback))
            throw new ArgumentException($"'{feedback.Kind}' is not a feedback kind; expected '{FeedbackKind.Resolution}' or '{FeedbackKind.ModelFeedback}'.", nameof(feedback));
        var id = _store.Write(() => _store.Connection.ExecuteScalar<long?>(_store.Command("""
            INSERT INTO feedback_events (company_id, kind, value, notes, source_row, created_at)
            VALUES (@CompanyId, @Kind, @Value, @Notes, @SourceRow, @CreatedAt)
            ON CONFLICT DO NOTHING
            RETURNING id
            """, new { feedback.CompanyId, feedback.Kind, feedback.Value, Notes = feedback.Notes ?? "", feedback.SourceRow, feedback.CreatedAt })));
        if (id is not { } eventId) return false;
        feedback.EventId = eventId;
        return true;
    }

    /// <summary>Events, oldest first; of one company and/or one kind when given.</summary>
    public IReadOnlyList<FeedbackEvent> List(long? companyId = null, string? kind = null) =>
        _store.Connection.Query<FeedbackEvent>(_store.Command("""
            SELECT id AS EventId, company_id, kind, value, notes, source_row, created_at FROM feedback_events
            WHERE (@companyId IS NULL OR company_id = @companyId) AND (@kind IS NULL OR kind = @kind)
            ORDER BY id
            """, new { companyId, kind })).AsList();
}

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
        if (!Enum.IsDefined(feedback.Kind))
            throw new ArgumentException($"'{feedback.Kind}' is not a feedback kind; expected '{FeedbackKind.Resolution}' or '{FeedbackKind.ModelFeedback}'.", nameof(feedback));
        var id = _store.Write(() => _store.Connection.ExecuteScalar<long?>(_store.Command("""
            INSERT INTO feedback_events (company_id, kind, value, notes, source_row, created_at)
            VALUES (@CompanyId, @Kind, @Value, @Notes, @SourceRow, @CreatedAt)
            ON CONFLICT DO NOTHING
            RETURNING id
            """, new { feedback.CompanyId, Kind = feedback.Kind.ToCode(), feedback.Value, Notes = feedback.Notes ?? "", feedback.SourceRow, feedback.CreatedAt })));
        if (id is not { } eventId) return false;
        feedback.EventId = eventId;
        return true;
    }

    /// <summary>Events, oldest first; of one company and/or one kind when given.</summary>
    public IReadOnlyList<FeedbackEvent> List(long? companyId = null, FeedbackKind? kind = null) =>
        List(new FeedbackFilter { CompanyIds = companyId is { } id ? [id] : null, Kinds = kind is { } only ? [only] : null });

    /// <summary>Events matching every filter given, oldest first, each with its company's display name.</summary>
    public IReadOnlyList<FeedbackEvent> List(FeedbackFilter filter)
    {
        var parameters = new DynamicParameters();
        parameters.AddList("@companyIds", filter.CompanyIds ?? []);
        parameters.AddList("@kinds", filter.Kinds?.Select(k => k.ToCode()) ?? []);
        parameters.AddList("@values", filter.Values?.Select(v => v.ToUpperInvariant()) ?? []);
        parameters.Add("@since", StoreTime.ToText(filter.Since));
        parameters.Add("@anyCompany", filter.CompanyIds is null);
        parameters.Add("@anyKind", filter.Kinds is null);
        parameters.Add("@anyValue", filter.Values is null);
        return _store.Connection.Query<FeedbackRow>(_store.Command("""
            SELECT f.id AS EventId, f.company_id, c.display_name AS CompanyName, f.kind, f.value, f.notes, f.source_row, f.created_at
            FROM feedback_events f JOIN companies c ON c.id = f.company_id
            WHERE (@anyCompany OR f.company_id IN (SELECT value FROM json_each(@companyIds)))
              AND (@anyKind OR f.kind IN (SELECT value FROM json_each(@kinds)))
              AND (@anyValue OR upper(f.value) IN (SELECT value FROM json_each(@values)))
              AND (@since IS NULL OR f.created_at >= @since)
            ORDER BY f.id
            """, parameters)).Select(row => row.ToEvent()).ToList();
    }

    /// <summary>An event as stored: its kind is the store's code (<see cref="FeedbackKindCodes"/>).</summary>
    private sealed class FeedbackRow
    {
        public long EventId { get; set; }
        public long CompanyId { get; set; }
        public string? CompanyName { get; set; }
        public string Kind { get; set; } = "";
        public string Value { get; set; } = "";
        public string Notes { get; set; } = "";
        public int? SourceRow { get; set; }
        public DateTimeOffset CreatedAt { get; set; }

        public FeedbackEvent ToEvent() => new()
        {
            EventId = EventId, CompanyId = CompanyId, CompanyName = CompanyName, Value = Value, Notes = Notes,
            SourceRow = SourceRow, CreatedAt = CreatedAt,
            // The table's CHECK admits these two codes only.
            Kind = FeedbackKindCodes.TryParse(Kind, out var kind) ? kind
                : throw new InvalidDataException($"Feedback event {EventId} has the unknown kind '{Kind}'."),
        };
    }
}

/// <summary>Which feedback events <see cref="FeedbackRepository.List(FeedbackFilter)"/> returns; null: any.</summary>
public sealed record FeedbackFilter
{
    public IReadOnlyCollection<long>? CompanyIds { get; init; }
    public IReadOnlyCollection<FeedbackKind>? Kinds { get; init; }
    /// <summary>Resolutions or OK / FP / FN, in any case.</summary>
    public IReadOnlyCollection<string>? Values { get; init; }
    public DateTimeOffset? Since { get; init; }
}

using JobSignal.Core.Domain;
namespace JobSignal.Core.Sheets;

/// <summary>
/// The reps' cells of one Sheet row, as read (untrimmed, any case); RowNumber is the Sheet's 1-based row, Name the
/// company name shown in it (to name a row whose id was cleared).
/// </summary>
public sealed record SheetFeedbackRow(int RowNumber, string CompanyId, string? Resolution, string? ModelFeedback, string? ModelNotes,
    string? Name = null)
{
    /// <summary>A resolution, model feedback or notes: what a rep would lose if the row were passed over.</summary>
    public bool HasRepData => !string.IsNullOrWhiteSpace(Resolution) || !string.IsNullOrWhiteSpace(ModelFeedback)
                              || !string.IsNullOrWhiteSpace(ModelNotes);
}

/// <summary>A model-feedback event already stored for a company (its identity for de-duplication).</summary>
public sealed record StoredFeedback(string? Value, string? Notes);

/// <summary>What the store knows about one company for the feedback diff.</summary>
public sealed record FeedbackCompanyState(string CompanyId, string Resolution, IReadOnlyList<StoredFeedback> Feedback);

/// <summary>How a resolution change moves a company between the active and final groups.</summary>
public enum ResolutionTransition
{
    /// <summary>Stays active (e.g. PENDING -> HIGH_INTEREST): nothing else changes.</summary>
    ActiveToActive,
    /// <summary>Becomes final: metrics freeze and its new offers are skipped at ingestion (nothing is deleted).</summary>
    ActiveToFinal,
    /// <summary>Back to active: ingestion and aggregation resume.</summary>
    FinalToActive,
    /// <summary>Stays final (e.g. ACCEPTED -> ALREADY_CLIENT).</summary>
    FinalToFinal,
}

public sealed record ResolutionChange(string CompanyId, int RowNumber, string From, string To, ResolutionTransition Transition);

/// <summary>A model-feedback event to store; Value is OK, FP, FN, or null for a note without a verdict.</summary>
public sealed record FeedbackEventChange(string CompanyId, int RowNumber, string? Value, string? Notes);

/// <summary>A cell the import could not use; the row number lets the rep find it.</summary>
public sealed record FeedbackWarning(int RowNumber, string? CompanyId, string Message);

/// <summary>What the Sheet's rep columns would change in the store (SPEC 9.2).</summary>
public sealed record FeedbackPlan(
    int RowsRead,
    IReadOnlyList<ResolutionChange> ResolutionChanges,
    IReadOnlyList<FeedbackEventChange> FeedbackEvents,
    IReadOnlyList<FeedbackWarning> UnknownCompanies,
    IReadOnlyList<FeedbackWarning> DuplicateRows,
    IReadOnlyList<FeedbackWarning> Warnings,
    int Unchanged)
{
    public bool HasChanges => ResolutionChanges.Count > 0 || FeedbackEvents.Count > 0;
}

/// <summary>
/// Diffs the reps' columns against the store. The Sheet wins: a valid resolution that differs from the store's is
/// a change; a blank cell means "no change"; an unknown value is a warning naming its row. Model feedback and notes
/// become events unless the same (company, value, notes) is already stored. Pure: applying the plan and diffing the
/// same rows again gives an empty plan.
/// </summary>
public static class FeedbackDiff
{
    public static FeedbackPlan Plan(IEnumerable<SheetFeedbackRow> sheetRows, IEnumerable<FeedbackCompanyState> storeState)
    {
        ArgumentNullException.ThrowIfNull(sheetRows);
        ArgumentNullException.ThrowIfNull(storeState);
        var store = new Dictionary<string, FeedbackCompanyState>(StringComparer.Ordinal);
        foreach (var company in storeState) store.TryAdd(company.CompanyId.Trim(), company);

        var changes = new List<ResolutionChange>();
        var events = new List<FeedbackEventChange>();
        var unknownCompanies = new List<FeedbackWarning>();
        var duplicates = new List<FeedbackWarning>();
        var warnings = new List<FeedbackWarning>();
        var firstRow = new Dictionary<string, int>(StringComparer.Ordinal);
        int rowsRead = 0, unchanged = 0;

        foreach (var row in sheetRows)
        {
            var key = row.CompanyId?.Trim() ?? "";
            if (key.Length == 0)
            {
                // A rep cleared the id of a row they worked on: say so, or their resolution and feedback vanish unseen.
                if (row.HasRepData)
                    warnings.Add(new FeedbackWarning(row.RowNumber, null,
                        $"Row {row.RowNumber} ({SheetSyncPlanner.DescribeName(row.Name)}) has a resolution, model feedback or "
                        + $"notes but no company id in column A, so they are not imported. Put the company id back in A{row.RowNumber} "
                        + "(Sync-CompanySheet does when the row's name is that of a company missing from the tab)."));
                continue;
            }
            rowsRead++;
            if (firstRow.TryGetValue(key, out var first))
            {
                duplicates.Add(new FeedbackWarning(row.RowNumber, key,
                    $"Row {row.RowNumber}: company '{key}' already has row {first}; only row {first} is read."));
                continue;
            }
            firstRow[key] = row.RowNumber;
            if (!store.TryGetValue(key, out var company))
            {
                unknownCompanies.Add(new FeedbackWarning(row.RowNumber, key,
                    $"Row {row.RowNumber}: company '{key}' is not in the store."));
                continue;
            }

            var changed = false;
            if (ResolutionChangeFor(row, key, company, warnings) is { } change) { changes.Add(change); changed = true; }
            if (FeedbackEventFor(row, key, company, warnings) is { } feedback) { events.Add(feedback); changed = true; }
            if (!changed) unchanged++;
        }
        return new FeedbackPlan(rowsRead, changes, events, unknownCompanies, duplicates, warnings, unchanged);
    }

    private static ResolutionChange? ResolutionChangeFor(SheetFeedbackRow row, string key, FeedbackCompanyState company,
        List<FeedbackWarning> warnings)
    {
        if (string.IsNullOrWhiteSpace(row.Resolution)) return null;
        if (!Resolution.TryParse(row.Resolution, out var wanted))
        {
            warnings.Add(new FeedbackWarning(row.RowNumber, key,
                $"Row {row.RowNumber}: unknown resolution '{row.Resolution.Trim()}' for company '{key}' "
                + $"(expected one of {string.Join(", ", Resolution.All)}); left unchanged."));
            return null;
        }
        if (wanted == company.Resolution) return null;
        // A store value outside the vocabulary counts as PENDING, so that the Sheet can still repair it.
        var current = Resolution.TryParse(company.Resolution, out var parsed) ? parsed : Resolution.Pending;
        var transition = (Resolution.IsFinal(current), Resolution.IsFinal(wanted)) switch
        {
            (false, false) => ResolutionTransition.ActiveToActive,
            (false, true) => ResolutionTransition.ActiveToFinal,
            (true, false) => ResolutionTransition.FinalToActive,
            _ => ResolutionTransition.FinalToFinal,
        };
        return new ResolutionChange(key, row.RowNumber, company.Resolution, wanted, transition);
    }

    private static FeedbackEventChange? FeedbackEventFor(SheetFeedbackRow row, string key, FeedbackCompanyState company,
        List<FeedbackWarning> warnings)
    {
        var notes = string.IsNullOrWhiteSpace(row.ModelNotes) ? null : row.ModelNotes.Trim();
        string? value = null;
        if (!string.IsNullOrWhiteSpace(row.ModelFeedback))
        {
            if (!ModelFeedback.TryParse(row.ModelFeedback, out var parsed))
            {
                warnings.Add(new FeedbackWarning(row.RowNumber, key,
                    $"Row {row.RowNumber}: unknown model feedback '{row.ModelFeedback.Trim()}' for company '{key}' "
                    + $"(expected one of {string.Join(", ", ModelFeedback.All)}); the row's feedback is ignored."));
                return null;
            }
            value = parsed;
        }
        if (value is null && notes is null) return null;
        var known = company.Feedback.Any(f =>
            string.Equals(f.Value, value, StringComparison.Ordinal) &&
            string.Equals(string.IsNullOrWhiteSpace(f.Notes) ? null : f.Notes.Trim(), notes, StringComparison.Ordinal));
        return known ? null : new FeedbackEventChange(key, row.RowNumber, value, notes);
    }
}

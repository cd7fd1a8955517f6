using System.Data.Common;
using System.Globalization;
using JobSignal.Core.Common;
using JobSignal.Core.Domain;
using JobSignal.Core.Store;

namespace JobSignal.Core.Sheets;

/// <summary>What a feedback import changed in the store (or, with WhatIf, would change).</summary>
public sealed record SheetFeedbackResult : Domain.IStoreLocal
{
    public required string SpreadsheetId { get; init; }
    public required string SheetName { get; init; }
    /// <summary>The store this object belongs to (see <see cref="Domain.IStoreLocal"/>).</summary>
    public string? StorePath { get; set; }
    public bool WhatIf { get; init; }
    public int RowsRead { get; init; }
    public int ResolutionsChanged { get; init; }
    /// <summary>Companies that became final: metrics frozen, new offers skipped at ingestion (nothing deleted).</summary>
    public int Frozen { get; init; }
    /// <summary>Companies back to an active resolution: ingestion resumes; re-aggregate them to refresh their metrics.</summary>
    public int Resumed { get; init; }
    public int FeedbackAdded { get; init; }
    public int Unchanged { get; init; }
    public int UnknownCompanies { get; init; }
    public int DuplicateRows { get; init; }
    public IReadOnlyList<ResolutionChange> Changes { get; init; } = [];
    public IReadOnlyList<FeedbackEventChange> FeedbackEvents { get; init; } = [];
    /// <summary>The companies whose resolution changed (pipe them to the aggregation to refresh resumed ones).</summary>
    public IReadOnlyList<long> CompanyIds { get; init; } = [];
    /// <summary>Unknown values, unknown company ids and duplicate rows, each naming its Sheet row.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>
/// The feedback import (SPEC 9.2): reads the reps' columns, diffs them against the store (the Sheet wins) and
/// applies every change in one store transaction: resolution changes (each also recorded as a resolution event)
/// and model-feedback events, deduplicated on (company, value, notes). Plan first, then apply (or preview) the plan.
/// Planning refuses a Sheet written from another store (<see cref="SheetStoreCheck"/>), so nothing is applied to it.
/// A store that fails (locked by another writer past the retries, damaged, or refusing a write) is reported with
/// the store's ErrorIds, or <see cref="FailedErrorId"/>, never as SQLite's own exception.
/// </summary>
public sealed class FeedbackImport
{
    /// <summary>The store refused the import's transaction for a reason other than a lock or damage (a trigger, a constraint).</summary>
    public const string FailedErrorId = "FeedbackImportFailed";

    private readonly SignalStore _store;
    private readonly SheetFeedbackReader _reader;

    public FeedbackImport(SignalStore store, SheetFeedbackReader reader)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(reader);
        _store = store;
        _reader = reader;
    }

    /// <summary>Reads the reps' columns and diffs them against the store; writes nothing.</summary>
    public async Task<FeedbackPlan> PlanAsync(CancellationToken cancellationToken = default)
    {
        var rows = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Before diffing: a Sheet of another store's ids would apply the reps' resolutions to other companies.
            SheetStoreCheck.EnsureSameStore(_reader.SpreadsheetId, _reader.SheetName,
                rows.Select(r => new SheetKeyedRow(r.RowNumber, r.CompanyId, r.Name)), StoreCompanyNames.Of(_store));
            return FeedbackDiff.Plan(rows, StoreState(_store));
        }
        catch (Exception ex) when (_store.FailureOf(ex, reading: true) is { } failure) { throw failure; }
    }

    /// <summary>
    /// Applies the plan in one store transaction: all of it, or (on failure) none of it. A store failure is a
    /// <see cref="JobSignalException"/> that says nothing was applied: StoreBusy, StoreDamaged, StoreUnusable, or
    /// <see cref="FailedErrorId"/>.
    /// </summary>
    public SheetFeedbackResult Apply(FeedbackPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (!plan.HasChanges) return Describe(plan, whatIf: false);
        try { Write(_store, plan, cancellationToken); }
        catch (DbException ex) { throw NotApplied(plan, ex); }
        return Describe(plan, whatIf: false);
    }

    /// <summary>The store's failure, said with what it means here: the transaction was rolled back, the Sheet still holds it all.</summary>
    private JobSignalException NotApplied(FeedbackPlan plan, DbException ex)
    {
        var nothing = $"Nothing was applied: the {plan.ResolutionChanges.Count} resolution changes and {plan.FeedbackEvents.Count} "
                      + "feedback events stay in the Sheet for the next import.";
        if (_store.FailureOf(ex) is { } failure)
            return new JobSignalException(failure.ErrorId, failure.Kind, $"{failure.Message} {nothing}", failure.Target,
                failure.RecommendedAction, ex);
        return new JobSignalException(FailedErrorId, FailureKind.WriteError,
            $"The store '{_store.DisplayPath}' refused the feedback import ({ex.Message.TrimEnd('.')}). {nothing}", _store.DisplayPath,
            "Check the store (free disk space, permissions, triggers or tools that changed its tables), then run "
            + "Import-CompanySheetFeedback again: it applies whatever still differs.", ex);
    }

    /// <summary>What applying the plan would do (-WhatIf).</summary>
    public SheetFeedbackResult Preview(FeedbackPlan plan) => Describe(plan, whatIf: true);

    private SheetFeedbackResult Describe(FeedbackPlan plan, bool whatIf) => new()
    {
        SpreadsheetId = _reader.SpreadsheetId,
        SheetName = _reader.SheetName,
        WhatIf = whatIf,
        RowsRead = plan.RowsRead,
        ResolutionsChanged = plan.ResolutionChanges.Count,
        Frozen = plan.ResolutionChanges.Count(c => c.Transition == ResolutionTransition.ActiveToFinal),
        Resumed = plan.ResolutionChanges.Count(c => c.Transition == ResolutionTransition.FinalToActive),
        FeedbackAdded = plan.FeedbackEvents.Count,
        Unchanged = plan.Unchanged,
        UnknownCompanies = plan.UnknownCompanies.Count,
        DuplicateRows = plan.DuplicateRows.Count,
        Changes = plan.ResolutionChanges,
        FeedbackEvents = plan.FeedbackEvents,
        CompanyIds = plan.ResolutionChanges.Select(c => long.Parse(c.CompanyId, CultureInfo.InvariantCulture)).ToList(),
        Warnings = plan.UnknownCompanies.Concat(plan.DuplicateRows).Concat(plan.Warnings)
            .OrderBy(w => w.RowNumber).Select(w => w.Message).ToList(),
    };

    /// <summary>Every company's resolution and stored model feedback, keyed as the Sheet writes ids.</summary>
    internal static IReadOnlyList<FeedbackCompanyState> StoreState(SignalStore store)
    {
        var feedback = store.Feedback.List(kind: FeedbackKind.ModelFeedback).ToLookup(f => f.CompanyId);
        return store.Companies.List().Select(c => new FeedbackCompanyState(SheetCompanyMapper.SheetKey(c.CompanyId), c.Resolution,
            feedback[c.CompanyId].Select(f => new StoredFeedback(NullIfEmpty(f.Value), NullIfEmpty(f.Notes))).ToList())).ToList();
    }

    private static void Write(SignalStore store, FeedbackPlan plan, CancellationToken cancellationToken) => store.Write(() =>
    {
        var now = store.Now;
        foreach (var change in plan.ResolutionChanges)
        {
            var companyId = long.Parse(change.CompanyId, CultureInfo.InvariantCulture);
            if (!store.Companies.UpdateResolution(companyId, change.To, now)) continue;
            store.Feedback.Add(new FeedbackEvent
            {
                CompanyId = companyId, Kind = FeedbackKind.Resolution, Value = change.To, SourceRow = change.RowNumber, CreatedAt = now,
            });
        }
        foreach (var feedback in plan.FeedbackEvents)
            store.Feedback.Add(new FeedbackEvent
            {
                CompanyId = long.Parse(feedback.CompanyId, CultureInfo.InvariantCulture), Kind = FeedbackKind.ModelFeedback, Value = feedback.Value ?? "",
                Notes = feedback.Notes ?? "", SourceRow = feedback.RowNumber, CreatedAt = now,
            });
    }, cancellationToken);

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}

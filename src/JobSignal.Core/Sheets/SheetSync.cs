using JobSignal.Core.Domain;
using JobSignal.Core.Common;

namespace JobSignal.Core.Sheets;

/// <summary>What one sync did (or, with WhatIf, would do) to the companies tab.</summary>
public sealed record SheetSyncResult
{
    public required string SpreadsheetId { get; init; }
    public required string SheetName { get; init; }
    /// <summary>True when nothing was written: the counts are the plan's.</summary>
    public bool WhatIf { get; init; }
    public bool CreatedTab { get; init; }
    public bool WroteHeader { get; init; }
    public int Appended { get; init; }
    /// <summary>Existing rows with at least one system cell rewritten.</summary>
    public int Updated { get; init; }
    public int UpdatedCells { get; init; }
    public int Unchanged { get; init; }
    public int Skipped { get; init; }
    /// <summary>Companies that should have been appended or updated but were not, because of <see cref="Errors"/>.</summary>
    public int Failed { get; init; }
    /// <summary>Sheets API requests this sync sent, retries included.</summary>
    public int Requests { get; init; }
    public int Retries { get; init; }
    public IReadOnlyList<DuplicateKeyRow> DuplicateKeys { get; init; } = [];
    public IReadOnlyList<SkippedCompany> SkippedCompanies { get; init; } = [];
    public IReadOnlyList<string> Errors { get; init; } = [];
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>
/// Writes ranked companies to the companies tab (SPEC 9.1): creates the tab and header when missing (frozen
/// header, dropdowns on the reps' columns, a date format), reads the tab once, then sends the planner's updates and
/// appends in few requests. Reading the tab is the one step that must succeed: without it the sync stops before
/// writing, because appending blind would duplicate every row. A failed append is never simply repeated: the key
/// column is read again and only the companies still missing are appended. A write Google refuses for good (a
/// Viewer share, an invalid request) ends the sync: only rows that failed for a passing reason (rate limits, server
/// errors, after the retries) are reported as "not written, the next sync writes them". A tab whose rows were written from another
/// store is refused before any write (<see cref="SheetStoreCheck"/>).
/// </summary>
public sealed class SheetSync
{
    /// <summary>The tab's rows kept moving (deleted, inserted, sorted) while a command read or wrote them by position.</summary>
    public const string ChangedErrorId = "SheetsChangedDuringSync";

    /// <summary>How many times a read (or a plan) is done again after rows moved under it, before giving up.</summary>
    internal const int MaxRereads = 2;

    private readonly SheetsClient _client;
    private readonly string _spreadsheetId;
    private readonly SheetSyncOptions _options;
    private readonly Action<string> _log;

    /// <param name="log">Hears each step (for -Verbose); called on the thread that runs the sync's continuations.</param>
    public SheetSync(SheetsClient client, string spreadsheetId, SheetSyncOptions? options = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(spreadsheetId);
        _client = client;
        _spreadsheetId = SpreadsheetReference.Parse(spreadsheetId);
        _options = options ?? new SheetSyncOptions();
        ArgumentException.ThrowIfNullOrWhiteSpace(_options.SheetName, nameof(options));
        _log = log ?? (_ => { });
    }

    /// <summary>Reads the tab and plans, writing nothing (-WhatIf). A missing tab plans its creation.</summary>
    /// <param name="store">Every company of the store, to check the tab's rows against (<see cref="SheetStoreCheck"/>);
    /// when null, <paramref name="companies"/> must be every company of the store.</param>
    public Task<SheetSyncResult> PreviewAsync(IEnumerable<SheetCompany> companies, CancellationToken cancellationToken = default,
        StoreCompanyNames? store = null) =>
        RunAsync(companies, store, write: false, cancellationToken);

    /// <param name="store">Every company of the store, to check the tab's rows against (<see cref="SheetStoreCheck"/>);
    /// when null, <paramref name="companies"/> must be every company of the store.</param>
    public Task<SheetSyncResult> SyncAsync(IEnumerable<SheetCompany> companies, CancellationToken cancellationToken = default,
        StoreCompanyNames? store = null) =>
        RunAsync(companies, store, write: true, cancellationToken);

    private async Task<SheetSyncResult> RunAsync(IEnumerable<SheetCompany> companies, StoreCompanyNames? store, bool write,
        CancellationToken ct)
    {
        var companyList = companies as IReadOnlyCollection<SheetCompany> ?? companies.ToList();
        var stats = _client.Statistics;
        var (requestsBefore, retriesBefore) = (stats.Requests, stats.Retries);
        var warnings = new List<string>();
        var errors = new List<string>();

        var tab = FindTab(await _client.GetSpreadsheetAsync(_spreadsheetId, ct).ConfigureAwait(false));
        var createTab = tab is null;
        // Ranges name the tab as Google spells it, whatever the case the user typed.
        var sheetName = tab?.Title ?? _options.SheetName;
        var storeNames = store ?? NamesOf(companyList);
        // A tab a rep made may be narrower than the layout: it is read as it is, and widened before any write.
        var columns = Math.Min(tab?.GridProperties?.ColumnCount ?? int.MaxValue, _options.Layout.ColumnCount);
        var missingColumns = _options.Layout.ColumnCount - columns;
        if (missingColumns > 0)
            _log($"Tab '{sheetName}' has {columns} columns; {missingColumns} more are needed for the {_options.Layout.ColumnCount} the sync writes.");
        var plan = await ReadAndPlanAsync(sheetName, createTab, columns, companyList, storeNames, ct).ConfigureAwait(false);

        int appended = 0, updated = 0, updatedCells = 0, failed = 0, updatedByEarlierPlans = 0;
        if (write)
        {
            if (createTab)
            {
                await CreateTabAsync(ct).ConfigureAwait(false);
                _log($"Created tab '{sheetName}' with a frozen header, dropdowns and a date format.");
            }
            if (missingColumns > 0)
            {
                await _client.BatchUpdateAsync(_spreadsheetId, [new SheetRequest { AppendDimension = new AppendDimensionRequest
                {
                    SheetId = tab!.SheetId ?? 0, Dimension = "COLUMNS", Length = missingColumns,
                } }], ct).ConfigureAwait(false);
                _log($"Added {missingColumns} columns to tab '{sheetName}'.");
            }
            if (!createTab && tab!.GridProperties?.FrozenRowCount is null or 0)
            {
                // A tab the reps made by hand: give it the frozen header, dropdowns and formats once.
                try
                {
                    await _client.BatchUpdateAsync(_spreadsheetId, SetupRequests(tab.SheetId ?? 0, freeze: true), ct).ConfigureAwait(false);
                    _log("Froze the header row and set the dropdowns and date format.");
                }
                catch (SheetsApiException ex) when (!ex.RefusesEveryCall)
                {
                    warnings.Add($"The tab's header, dropdowns and formats were not set up: {ex.Message}");
                }
            }
            if (plan.Header is { } header)
            {
                await _client.BatchUpdateValuesAsync(_spreadsheetId, [header], SheetValueInput.UserEntered, ct).ConfigureAwait(false);
                _log("Wrote the header row.");
            }

            // Updates address rows by number: when rows moved since the read, plan again from a fresh read, a few times.
            for (var plans = 1; ; plans++)
            {
                var update = await UpdateAsync(plan, errors, ct).ConfigureAwait(false);
                (updated, updatedCells, failed) = (updated + update.Rows, updatedCells + update.Cells, failed + update.Failed);
                if (update.Moved.Count == 0) break;
                var moved = $"row {update.Moved[0].RowNumber} no longer holds company '{update.Moved[0].CompanyId}'"
                            + (update.Moved.Count > 1 ? $" ({update.Moved.Count} rows moved)" : "");
                if (plans > MaxRereads)
                    throw ChangedMeanwhile(_spreadsheetId, sheetName, $"planned and checked {plans} times ({moved})",
                        $"{plan.UpdateCount - update.Rows} changed rows were not updated and "
                        + $"{plan.AppendCount} companies not appended; no row was written at a position that had moved");
                _log($"Rows moved since the tab was read: {moved}. Planning again from a fresh read.");
                updatedByEarlierPlans = updated;
                plan = await ReadAndPlanAsync(sheetName, createTab: false, _options.Layout.ColumnCount, companyList, storeNames, ct)
                    .ConfigureAwait(false);
            }
            var (done, notDone) = await AppendAsync(plan, errors, ct).ConfigureAwait(false);
            appended = done;
            failed += notDone;
        }
        warnings.AddRange(plan.Warnings);

        return new SheetSyncResult
        {
            SpreadsheetId = _spreadsheetId,
            SheetName = sheetName,
            WhatIf = !write,
            CreatedTab = createTab,
            WroteHeader = plan.Header is not null,
            Appended = write ? appended : plan.AppendCount,
            Updated = write ? updated : plan.UpdateCount,
            UpdatedCells = write ? updatedCells : plan.UpdatedCellCount,
            // Rows an earlier plan updated are unchanged for the last one.
            Unchanged = Math.Max(0, plan.Unchanged - updatedByEarlierPlans),
            Skipped = plan.Skipped.Count,
            Failed = failed,
            Requests = stats.Requests - requestsBefore,
            Retries = stats.Retries - retriesBefore,
            DuplicateKeys = plan.DuplicateKeys,
            SkippedCompanies = plan.Skipped,
            Errors = errors,
            Warnings = warnings,
        };
    }

    /// <summary>
    /// Reads the tab (a tab still to be created is empty) and plans the sync; refuses a header of another layout and,
    /// before any write (-WhatIf too), a tab whose rows were written from another store: rows keyed by another store's
    /// ids would get other companies' names under the reps' columns.
    /// </summary>
    private async Task<SheetSyncPlan> ReadAndPlanAsync(string sheetName, bool createTab, int columns,
        IReadOnlyCollection<SheetCompany> companies, StoreCompanyNames storeNames, CancellationToken ct)
    {
        var state = createTab ? SheetState.Empty : await ReadTabAsync(sheetName, columns, ct).ConfigureAwait(false);
        _log(createTab ? $"Tab '{sheetName}' does not exist yet." : $"Tab '{sheetName}': read {state.Rows.Count} rows.");
        var plan = SheetSyncPlanner.Plan(state, companies, _options with { SheetName = sheetName });
        if (plan.HeaderMismatch is { } mismatch)
            throw new JobSignalException("SheetsHeaderMismatch", FailureKind.InvalidData, mismatch, _spreadsheetId,
                "Fix the header row (or use another -SheetName / -HeaderLanguage); the sync never rewrites an existing header.");
        SheetStoreCheck.EnsureSameStore(_spreadsheetId, sheetName, KeyedRows(state), storeNames);
        _log($"Plan: {plan.AppendCount} to append, {plan.UpdateCount} to update ({plan.UpdatedCellCount} cells), "
             + $"{plan.Unchanged} unchanged, {plan.Skipped.Count} skipped; {plan.WriteRequestCount} write requests.");
        return plan;
    }

    /// <summary>The rows below the header with their id and name, as the tab holds them.</summary>
    private IEnumerable<SheetKeyedRow> KeyedRows(SheetState state)
    {
        var key = _options.Layout[SheetColumnKey.CompanyId].Index;
        var name = _options.Layout[SheetColumnKey.Name].Index;
        string Cell(IReadOnlyList<object?> row, int column) => column < row.Count ? SheetCellValue.AsText(row[column]) : "";
        return state.Rows.Skip(1).Select((row, i) => new SheetKeyedRow(i + 2, Cell(row, key), Cell(row, name)));
    }

    private static StoreCompanyNames NamesOf(IEnumerable<SheetCompany> companies)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var company in companies)
            if (company.CompanyId is { } id) names.TryAdd(id.Trim(), company.Name);
        return new StoreCompanyNames(names);
    }

    /// <summary>
    /// The tab's rows moved under a command more often than it reads again: <paramref name="tried"/> says what it did,
    /// <paramref name="outcome"/> what became of the work.
    /// </summary>
    internal static JobSignalException ChangedMeanwhile(string spreadsheetId, string sheetName, string tried, string outcome) =>
        new(ChangedErrorId, FailureKind.ResourceUnavailable,
            $"The rows of tab '{sheetName}' of spreadsheet {spreadsheetId} kept moving (deleted, inserted or sorted) while they were "
            + $"{tried}, so {outcome}: cells addressed by row number would have met other companies' rows.",
            spreadsheetId, "Run the command again once nobody is deleting, inserting or sorting rows of the tab.");

    private SheetProperties? FindTab(Spreadsheet spreadsheet) => FindTab(spreadsheet, _options.SheetName);

    internal static SheetProperties? FindTab(Spreadsheet spreadsheet, string sheetName)
    {
        var tabs = (spreadsheet.Sheets ?? []).Select(s => s.Properties).OfType<SheetProperties>().ToList();
        // Sheets tab names are unique regardless of case.
        return tabs.FirstOrDefault(t => t.Title == sheetName)
               ?? tabs.FirstOrDefault(t => string.Equals(t.Title, sheetName, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// The read of the tab (header + every row of the layout's first <paramref name="columns"/> columns: those the tab
    /// has, as Google refuses a range past its grid; never the reps' extra columns).
    /// </summary>
    private async Task<SheetState> ReadTabAsync(string sheetName, int columns, CancellationToken ct)
    {
        var range = A1Notation.Columns(sheetName, 0, columns - 1);
        try { return (await _client.BatchGetValuesAsync(_spreadsheetId, [range], SheetValueRender.Formula, ct).ConfigureAwait(false))[0]; }
        catch (SheetsApiException ex)
        {
            throw new JobSignalException("SheetsReadFailed", FailureKind.ReadError,
                $"Tab '{sheetName}' could not be read, so the sync stopped before writing anything "
                + $"(appending without knowing the existing rows would duplicate them). {ex.Message}",
                _spreadsheetId, ex.RecommendedAction, ex);
        }
    }

    /// <summary>Company ids in column A, read again after a failed append.</summary>
    private async Task<HashSet<string>> ReadKeysAsync(string sheetName, CancellationToken ct)
    {
        var range = A1Notation.Columns(sheetName, 0, 0);
        var keys = (await _client.BatchGetValuesAsync(_spreadsheetId, [range], SheetValueRender.Formula, ct).ConfigureAwait(false))[0];
        return keys.Rows.Skip(1).Select(r => r.Count > 0 ? SheetCellValue.AsText(r[0]) : "")
            .Where(k => k.Length > 0).ToHashSet(StringComparer.Ordinal);
    }

    private async Task CreateTabAsync(CancellationToken ct)
    {
        // An explicit id lets the same request carry the tab's set-up; Google's own ids are random positive ints.
        var sheetId = Random.Shared.Next(1, int.MaxValue);
        var requests = new List<SheetRequest>
        {
            new() { AddSheet = new AddSheetRequest { Properties = new SheetProperties
            {
                SheetId = sheetId, Title = _options.SheetName, GridProperties = new GridProperties { FrozenRowCount = 1 },
            } } },
        };
        requests.AddRange(SetupRequests(sheetId, freeze: false));
        // addSheet is not idempotent: after a failure, look for the tab before asking again.
        await WriteReconciledAsync(
            () => _client.BatchUpdateAsync(_spreadsheetId, requests, ct),
            async () => FindTab(await _client.GetSpreadsheetAsync(_spreadsheetId, ct).ConfigureAwait(false)) is not null,
            ct).ConfigureAwait(false);
    }

    private List<SheetRequest> SetupRequests(int sheetId, bool freeze)
    {
        var layout = _options.Layout;
        GridRange Column(SheetColumnKey key, int fromRow) => new()
        {
            SheetId = sheetId, StartRowIndex = fromRow, StartColumnIndex = (int)key, EndColumnIndex = (int)key + 1,
        };
        SheetRequest Dropdown(SheetColumnKey key, IEnumerable<string> values) => new()
        {
            SetDataValidation = new SetDataValidationRequest
            {
                Range = Column(key, 1),
                Rule = new DataValidationRule
                {
                    Condition = new BooleanCondition
                    {
                        Type = "ONE_OF_LIST",
                        Values = values.Select(v => new ConditionValue { UserEnteredValue = v }).ToList(),
                    },
                    Strict = false,
                    ShowCustomUi = true,
                },
            },
        };

        var requests = new List<SheetRequest>();
        if (freeze)
            requests.Add(new SheetRequest { UpdateSheetProperties = new UpdateSheetPropertiesRequest
            {
                Properties = new SheetProperties { SheetId = sheetId, GridProperties = new GridProperties { FrozenRowCount = 1 } },
                Fields = "gridProperties.frozenRowCount",
            } });
        requests.Add(Dropdown(SheetColumnKey.Resolution, Resolution.All));
        requests.Add(Dropdown(SheetColumnKey.ModelFeedback, ModelFeedback.All));
        requests.Add(new SheetRequest { RepeatCell = new RepeatCellRequest
        {
            Range = new GridRange { SheetId = sheetId, StartRowIndex = 0, EndRowIndex = 1, StartColumnIndex = 0, EndColumnIndex = layout.ColumnCount },
            Cell = new CellData { UserEnteredFormat = new CellFormat { TextFormat = new TextFormat { Bold = true } } },
            Fields = "userEnteredFormat.textFormat.bold",
        } });
        requests.Add(new SheetRequest { RepeatCell = new RepeatCellRequest
        {
            Range = Column(SheetColumnKey.LastStrongAt, 1),
            Cell = new CellData { UserEnteredFormat = new CellFormat { NumberFormat = new NumberFormat { Type = "DATE", Pattern = "yyyy-mm-dd" } } },
            Fields = "userEnteredFormat.numberFormat",
        } });
        return requests;
    }

    /// <summary>What the update batches did: rows and cells written, rows not written (a failure), rows found moved.</summary>
    private sealed record UpdateOutcome(int Rows, int Cells, int Failed, IReadOnlyList<PlannedRowUpdate> Moved);

    /// <summary>
    /// Update batches in order. Their ranges address rows by number, so before each attempt (the first and every retry
    /// after a back-off, which may last minutes) the key column is read again: when a row of the batch no longer holds
    /// its company, nothing more is written and the moved rows are returned, to be planned again. After a batch failed
    /// for a passing reason (retries spent) the rest are not sent.
    /// </summary>
    private async Task<UpdateOutcome> UpdateAsync(SheetSyncPlan plan, List<string> errors, CancellationToken ct)
    {
        int rows = 0, cells = 0;
        for (var i = 0; i < plan.UpdateBatches.Count; i++)
        {
            var batch = plan.UpdateBatches[i];
            try
            {
                await EnsureRowsInPlaceAsync(plan.SheetName, batch, ct).ConfigureAwait(false);
                await WriteReconciledAsync(
                    () => _client.BatchUpdateValuesAsync(_spreadsheetId, batch.SelectMany(r => r.Ranges).ToList(),
                        SheetValueInput.UserEntered, ct, retryTransient: false),
                    async () =>
                    {
                        await EnsureRowsInPlaceAsync(plan.SheetName, batch, ct).ConfigureAwait(false);
                        return false;
                    }, ct).ConfigureAwait(false);
            }
            catch (RowsMovedException ex)
            {
                return new UpdateOutcome(rows, cells, 0, ex.Rows);
            }
            catch (SheetsApiException ex)
            {
                var notUpdated = plan.UpdateBatches.Skip(i).Sum(b => b.Count);
                // Refused for good (permission, an invalid request): the next sync would be refused alike.
                if (!ex.IsTransient) throw ex.After($"The sync stopped: {notUpdated} changed rows were not updated");
                errors.Add($"{notUpdated} changed rows were not updated (the next sync updates them): {ex.Message}");
                return new UpdateOutcome(rows, cells, notUpdated, []);
            }
            rows += batch.Count;
            cells += batch.Sum(r => r.Columns.Count);
            _log($"Updated {batch.Count} rows (request {i + 1} of {plan.UpdateBatches.Count}).");
        }
        return new UpdateOutcome(rows, cells, 0, []);
    }

    /// <summary>Reads the key and name columns again; throws <see cref="RowsMovedException"/> when a row of the batch moved.</summary>
    private async Task EnsureRowsInPlaceAsync(string sheetName, IReadOnlyList<PlannedRowUpdate> batch, CancellationToken ct)
    {
        var layout = _options.Layout;
        var range = A1Notation.Columns(sheetName, layout[SheetColumnKey.CompanyId].Index, layout[SheetColumnKey.Name].Index);
        var keys = (await _client.BatchGetValuesAsync(_spreadsheetId, [range], SheetValueRender.Formula, ct).ConfigureAwait(false))[0];
        var moved = SheetSyncPlanner.MovedRows(batch, keys, layout);
        if (moved.Count > 0) throw new RowsMovedException(moved);
    }

    /// <summary>Rows of an update batch that moved since the plan's read: the batch must not be written.</summary>
    private sealed class RowsMovedException(IReadOnlyList<PlannedRowUpdate> rows) : Exception("Rows moved since the tab was read.")
    {
        public IReadOnlyList<PlannedRowUpdate> Rows { get; } = rows;
    }

    /// <summary>
    /// Append batches in rank order. A failed append is reconciled against the key column (the rows may have landed
    /// even though the answer was an error); when that does not succeed the remaining batches are not sent.
    /// </summary>
    private async Task<(int Appended, int Failed)> AppendAsync(SheetSyncPlan plan, List<string> errors, CancellationToken ct)
    {
        var appended = 0;
        var range = A1Notation.Columns(plan.SheetName, 0, _options.Layout.ColumnCount - 1);
        for (var i = 0; i < plan.AppendBatches.Count; i++)
        {
            var pending = plan.AppendBatches[i];
            try
            {
                await WriteReconciledAsync(
                    () => _client.AppendValuesAsync(_spreadsheetId, range, pending.Select(r => r.Values).ToList(),
                        SheetValueInput.UserEntered, ct),
                    async () =>
                    {
                        _log($"An append of {pending.Count} rows failed; re-reading the key column to append only what is missing.");
                        var present = await ReadKeysAsync(plan.SheetName, ct).ConfigureAwait(false);
                        var missing = pending.Where(r => !present.Contains(r.CompanyId)).ToList();
                        appended += pending.Count - missing.Count;
                        pending = missing;
                        return pending.Count == 0;
                    }, ct).ConfigureAwait(false);
                appended += pending.Count;
                _log($"Appended {plan.AppendBatches[i].Count} rows (request {i + 1} of {plan.AppendBatches.Count}).");
            }
            catch (SheetsApiException ex)
            {
                var notAppended = pending.Count + plan.AppendBatches.Skip(i + 1).Sum(b => b.Count);
                if (!ex.IsTransient) throw ex.After($"The sync stopped: {notAppended} companies were not appended");
                errors.Add($"{notAppended} companies were not appended (the next sync appends them): {ex.Message}");
                return (appended, notAppended);
            }
        }
        return (appended, 0);
    }

    /// <summary>
    /// Runs a write that must not be repeated blindly: after a transient failure it waits (Retry-After honoured),
    /// asks <paramref name="reconcile"/> whether the work is now done (re-reading the Sheet and trimming what is
    /// left), and only then writes again; bounded by the client's retry policy.
    /// </summary>
    private async Task WriteReconciledAsync(Func<Task> write, Func<Task<bool>> reconcile, CancellationToken ct)
    {
        var policy = _client.RetryPolicy;
        for (var retry = 0; ; retry++)
        {
            SheetsApiException failure;
            try { await write().ConfigureAwait(false); return; }
            catch (SheetsApiException ex) when (ex.IsTransient) { failure = ex; }
            if (retry >= policy.MaxRetries) throw failure.AfterRetries(retry);
            await _client.WaitBeforeRetryAsync(failure, retry + 1, ct).ConfigureAwait(false);
            if (await reconcile().ConfigureAwait(false)) return;
        }
    }
}

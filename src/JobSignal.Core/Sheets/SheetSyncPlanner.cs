using System.Globalization;
using System.Text;
using Newtonsoft.Json;

namespace JobSignal.Core.Sheets;

/// <summary>What the planner needs to know about the sync besides the data.</summary>
public sealed record SheetSyncOptions
{
    public string SheetName { get; init; } = SheetLayout.DefaultSheetName;
    public SheetLayout Layout { get; init; } = SheetLayout.Spanish;

    /// <summary>
    /// Largest request body the sync sends, in bytes. Google recommends at most 2 MB per request; the default keeps
    /// a margin below that for the JSON the estimate does not see.
    /// </summary>
    public int MaxRequestBytes { get; init; } = 1_900_000;
}

/// <summary>
/// The tab's cells as read (values of row 1 first, then row 2...). Google leaves out trailing empty cells and rows,
/// so rows may be short or missing. Values are strings, doubles or booleans; formulas read back as their text.
/// </summary>
public sealed record SheetState(IReadOnlyList<IReadOnlyList<object?>> Rows)
{
    public static readonly SheetState Empty = new(Array.Empty<IReadOnlyList<object?>>());
}

/// <summary>A block of cells to write: an A1 range and its rows of USER_ENTERED values.</summary>
public sealed record SheetValueRange(string Range, IReadOnlyList<IReadOnlyList<object>> Values);

/// <summary>A company's new row, kept with its key so that a failed append can be reconciled.</summary>
public sealed record PlannedAppendRow(string CompanyId, IReadOnlyList<object> Values);

/// <summary>
/// A row whose system cells changed: which of them, and the ranges of adjacent cells that rewrite them. The ranges
/// address the row by its number, so it is written only while it still holds what it was planned from: the company
/// id in its key cell, or, for a row whose cleared id is written back, an empty key cell and <paramref name="NameAsRead"/>.
/// </summary>
public sealed record PlannedRowUpdate(string CompanyId, int RowNumber, IReadOnlyList<SheetColumnKey> Columns,
    IReadOnlyList<SheetValueRange> Ranges, bool RestoresKey = false, string? NameAsRead = null);

/// <summary>A row whose key an earlier row already has: left alone (the first row is the company's row).</summary>
public sealed record DuplicateKeyRow(string CompanyId, int RowNumber, int FirstRowNumber);

/// <summary>A company the sync does not write, and why.</summary>
public sealed record SkippedCompany(string? CompanyId, string Reason);

/// <summary>
/// Everything one sync would write, computed without I/O. Value writes are already batched (a row never split
/// across two requests) so that each request body stays under <see cref="SheetSyncOptions.MaxRequestBytes"/>.
/// </summary>
public sealed record SheetSyncPlan(
    string SheetName,
    string? HeaderMismatch,
    SheetValueRange? Header,
    IReadOnlyList<IReadOnlyList<PlannedAppendRow>> AppendBatches,
    IReadOnlyList<IReadOnlyList<PlannedRowUpdate>> UpdateBatches,
    int Unchanged,
    IReadOnlyList<SkippedCompany> Skipped,
    IReadOnlyList<DuplicateKeyRow> DuplicateKeys,
    IReadOnlyList<string> Warnings)
{
    public int AppendCount => AppendBatches.Sum(b => b.Count);
    public IEnumerable<PlannedRowUpdate> UpdatedRows => UpdateBatches.SelectMany(b => b);
    public int UpdateCount => UpdateBatches.Sum(b => b.Count);
    public int UpdatedCellCount => UpdatedRows.Sum(r => r.Columns.Count);

    /// <summary>Value-write requests the plan needs (header, update batches, append batches).</summary>
    public int WriteRequestCount => (Header is null ? 0 : 1) + UpdateBatches.Count + AppendBatches.Count;
}

/// <summary>
/// Decides what a sync writes (SPEC 9.1), as a pure function of what the tab holds and what the store says.
/// Existing rows are matched on the company id in column A; only their system-owned cells are compared and
/// rewritten, never the reps' cells nor any column right of the layout. Companies not in the tab are appended,
/// best first (score, strong offers, last strong signal, activity, name).
/// </summary>
public static class SheetSyncPlanner
{
    public static SheetSyncPlan Plan(SheetState sheet, IEnumerable<SheetCompany> companies, SheetSyncOptions options)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        ArgumentNullException.ThrowIfNull(companies);
        ArgumentNullException.ThrowIfNull(options);
        var layout = options.Layout;
        var rows = sheet.Rows;
        var warnings = new List<string>();

        var headerIsBlank = rows.Count == 0 || rows[0].All(v => SheetCellValue.AsText(v).Length == 0);
        SheetValueRange? header = null;
        if (headerIsBlank)
        {
            if (rows.Skip(1).Any(r => r.Any(v => SheetCellValue.AsText(v).Length > 0)))
                return Refused(options, $"Row 1 of tab '{options.SheetName}' is empty but the tab holds data below it; "
                    + $"expected the header: {string.Join(", ", layout.Headers)}.");
            header = new SheetValueRange(A1Notation.RowSpan(options.SheetName, 1, 0, layout.ColumnCount - 1),
                [layout.Headers.Select(h => SheetCellValue.Text(h).ToUserEntered()).ToArray()]);
        }
        else if (layout.DescribeHeaderMismatch(rows[0], options.SheetName) is { } mismatch)
        {
            return Refused(options, mismatch);
        }

        var (existing, duplicates, keyless) = IndexKeys(rows);
        warnings.AddRange(duplicates.Select(d =>
            $"Company '{d.CompanyId}' has another row {d.RowNumber} (kept row {d.FirstRowNumber}); row {d.RowNumber} is left alone."));

        var skipped = new List<SkippedCompany>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var toAppend = new List<SheetCompany>();
        var updates = new List<PlannedRowUpdate>();
        var unchanged = 0;
        foreach (var company in companies)
        {
            var key = company.CompanyId?.Trim() ?? "";
            if (key.Length == 0) { skipped.Add(new SkippedCompany(company.CompanyId, "the company has no id")); continue; }
            if (!seen.Add(key)) { skipped.Add(new SkippedCompany(key, "the company was given twice; the first one is used")); continue; }
            if (!existing.TryGetValue(key, out var rowNumber)) { toAppend.Add(company); continue; }

            var change = PlanRowUpdate(layout, options.SheetName, key, rowNumber, rows[rowNumber - 1], company);
            if (change is null) unchanged++;
            else updates.Add(change);
        }

        foreach (var (company, rowNumber) in RowsToRekey(layout, rows, keyless, toAppend))
        {
            toAppend.Remove(company);
            keyless.Remove(rowNumber);
            var key = company.CompanyId.Trim();
            updates.Add(PlanRowUpdate(layout, options.SheetName, key, rowNumber, rows[rowNumber - 1], company, restoreKey: true)!);
            warnings.Add($"Row {rowNumber} had no company id; its name is that of company '{key}', which has no other row, "
                         + $"so the id is written back to A{rowNumber} instead of appending the company again.");
        }
        var repColumns = layout.Columns.Where(c => c.RepOwned).Select(c => c.Index).ToList();
        foreach (var rowNumber in keyless)
        {
            var row = rows[rowNumber - 1];
            if (!repColumns.Any(i => i < row.Count && SheetCellValue.AsText(row[i]).Length > 0)) continue;
            var name = layout[SheetColumnKey.Name].Index < row.Count ? SheetCellValue.AsText(row[layout[SheetColumnKey.Name].Index]) : "";
            warnings.Add($"Row {rowNumber} ({DescribeName(name)}) has a resolution, model feedback or notes but no company id "
                         + $"in column A, so the sync cannot tell whose row it is and the import does not read it. Put the "
                         + $"company id back in A{rowNumber}; a company without a row is appended again meanwhile.");
        }

        var appendRows = toAppend.OrderBy(c => c, RankComparer.Instance)
            .Select(c => new PlannedAppendRow(c.CompanyId.Trim(), layout.RowFor(c).Select(v => v.ToUserEntered()).ToArray()))
            .ToList();

        // Each batch is one request: appends carry the tab range once, updates carry one range per run of cells.
        var budget = options.MaxRequestBytes;
        var appendBatches = Batch(appendRows, r => RowBytes(r.Values), budget);
        var updateBatches = Batch(updates, u => u.Ranges.Sum(r =>
            Encoding.UTF8.GetByteCount(r.Range) + 48 + r.Values.Sum(RowBytes)), budget);

        return new SheetSyncPlan(options.SheetName, null, header, appendBatches, updateBatches, unchanged, skipped,
            duplicates, warnings);
    }

    /// <summary>
    /// The planned updates whose row no longer holds what it was planned from, in <paramref name="keysAndNames"/>: the
    /// tab's key and name columns read again (rows by row, header first). A rep who deleted, inserted or sorted rows
    /// since the plan's read moved them, and their row numbers now address other companies.
    /// </summary>
    public static IReadOnlyList<PlannedRowUpdate> MovedRows(IEnumerable<PlannedRowUpdate> updates, SheetState keysAndNames,
        SheetLayout layout)
    {
        ArgumentNullException.ThrowIfNull(updates);
        ArgumentNullException.ThrowIfNull(keysAndNames);
        ArgumentNullException.ThrowIfNull(layout);
        string Cell(int rowNumber, SheetColumnKey column)
        {
            var index = layout[column].Index - layout[SheetColumnKey.CompanyId].Index;
            return rowNumber <= keysAndNames.Rows.Count && index < keysAndNames.Rows[rowNumber - 1].Count
                ? SheetCellValue.AsText(keysAndNames.Rows[rowNumber - 1][index]) : "";
        }
        // A row whose cleared id is written back is in place while it still shows no id and the name as read, or once
        // it shows its company's id: the write landed, though its answer was lost (a 5xx) and the write is retried.
        return updates.Where(u => u.RestoresKey
                ? Cell(u.RowNumber, SheetColumnKey.CompanyId) is var key && key != u.CompanyId
                  && (key.Length > 0 || Cell(u.RowNumber, SheetColumnKey.Name) != u.NameAsRead)
                : Cell(u.RowNumber, SheetColumnKey.CompanyId) != u.CompanyId)
            .ToList();
    }

    private static SheetSyncPlan Refused(SheetSyncOptions options, string mismatch) =>
        new(options.SheetName, mismatch, null, [], [], 0, [], [], []);

    /// <summary>How a warning names the company of a row: its name as the row shows it.</summary>
    internal static string DescribeName(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "no company name" : $"'{name.Trim()}'";

    /// <summary>
    /// Row number (1-based) of each key's first row; later rows with the same key are duplicates; rows with some cell
    /// but a blank key are keyless (a rep cleared the id, or typed a row of their own).
    /// </summary>
    private static (Dictionary<string, int> Rows, List<DuplicateKeyRow> Duplicates, List<int> Keyless) IndexKeys(
        IReadOnlyList<IReadOnlyList<object?>> rows)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var duplicates = new List<DuplicateKeyRow>();
        var keyless = new List<int>();
        for (var i = 1; i < rows.Count; i++)
        {
            var key = rows[i].Count > 0 ? SheetCellValue.AsText(rows[i][0]) : "";
            if (key.Length == 0)
            {
                if (rows[i].Any(v => SheetCellValue.AsText(v).Length > 0)) keyless.Add(i + 1);
                continue;
            }
            if (index.TryGetValue(key, out var first)) duplicates.Add(new DuplicateKeyRow(key, i + 1, first));
            else index[key] = i + 1;
        }
        return (index, duplicates, keyless);
    }

    /// <summary>
    /// Keyless rows that are surely a company about to be appended: the row's name cell is that company's name, and
    /// neither has another match among the keyless rows and the companies to append. Writing the id back keeps the
    /// reps' cells of that row instead of appending a second, PENDING row for the company.
    /// </summary>
    private static List<(SheetCompany Company, int RowNumber)> RowsToRekey(SheetLayout layout,
        IReadOnlyList<IReadOnlyList<object?>> rows, List<int> keyless, List<SheetCompany> toAppend)
    {
        var name = layout[SheetColumnKey.Name].Index;
        var pairs = (from rowNumber in keyless
                     let row = rows[rowNumber - 1]
                     let cell = name < row.Count ? row[name] : null
                     where SheetCellValue.AsText(cell).Length > 0
                     from company in toAppend
                     where layout.RowFor(company)[name].Matches(cell)
                     select (Company: company, RowNumber: rowNumber)).ToList();
        return pairs.Where(p => pairs.Count(q => q.RowNumber == p.RowNumber) == 1
                                && pairs.Count(q => ReferenceEquals(q.Company, p.Company)) == 1).ToList();
    }

    /// <summary>
    /// The system cells of one row that differ from the store, as ranges of adjacent cells (a rep-owned column
    /// splits a run, so it is never overwritten); null when nothing changed.
    /// </summary>
    private static PlannedRowUpdate? PlanRowUpdate(SheetLayout layout, string sheetName, string key, int rowNumber,
        IReadOnlyList<object?> current, SheetCompany company, bool restoreKey = false)
    {
        var wanted = layout.RowFor(company);
        // The key matched already (trimmed, numbers as text), so it is not rewritten unless it is being restored.
        var changed = layout.Columns
            .Where(c => !c.RepOwned && (restoreKey || c.Key != SheetColumnKey.CompanyId))
            .Where(c => !wanted[c.Index].Matches(c.Index < current.Count ? current[c.Index] : null))
            .ToList();
        if (changed.Count == 0) return null;

        var ranges = new List<SheetValueRange>();
        var runStart = 0;
        for (var i = 1; i <= changed.Count; i++)
        {
            if (i < changed.Count && changed[i].Index == changed[i - 1].Index + 1) continue;
            var first = changed[runStart].Index;
            var last = changed[i - 1].Index;
            ranges.Add(new SheetValueRange(A1Notation.RowSpan(sheetName, rowNumber, first, last),
                [Enumerable.Range(first, last - first + 1).Select(c => wanted[c].ToUserEntered()).ToArray()]));
            runStart = i;
        }
        var name = layout[SheetColumnKey.Name].Index;
        return new PlannedRowUpdate(key, rowNumber, changed.Select(c => c.Key).ToList(), ranges, restoreKey,
            restoreKey ? SheetCellValue.AsText(name < current.Count ? current[name] : null) : null);
    }

    private static List<IReadOnlyList<T>> Batch<T>(IReadOnlyList<T> items, Func<T, int> bytes, int budget)
    {
        const int requestOverhead = 256;
        var batches = new List<IReadOnlyList<T>>();
        var current = new List<T>();
        var size = requestOverhead;
        foreach (var item in items)
        {
            var itemBytes = bytes(item);
            if (current.Count > 0 && size + itemBytes > budget)
            {
                batches.Add(current);
                current = [];
                size = requestOverhead;
            }
            current.Add(item);
            size += itemBytes;
        }
        if (current.Count > 0) batches.Add(current);
        return batches;
    }

    /// <summary>The JSON size of one row of values: each value, its comma, the row's brackets.</summary>
    private static int RowBytes(IReadOnlyList<object> values) => 3 + values.Sum(v => 1 + v switch
    {
        string s => Encoding.UTF8.GetByteCount(JsonConvert.ToString(s)),
        long l => l.ToString(CultureInfo.InvariantCulture).Length,
        double d => d.ToString("R", CultureInfo.InvariantCulture).Length,
        _ => 8,
    });

    /// <summary>Best lead first; fully deterministic so the same store gives the same order.</summary>
    private sealed class RankComparer : IComparer<SheetCompany>
    {
        public static readonly RankComparer Instance = new();

        public int Compare(SheetCompany? x, SheetCompany? y)
        {
            if (ReferenceEquals(x, y)) return 0;
            if (x is null) return 1;
            if (y is null) return -1;
            var byRank = Nullable.Compare(y.MaxScore, x.MaxScore);
            if (byRank == 0) byRank = y.StrongOffers.CompareTo(x.StrongOffers);
            if (byRank == 0) byRank = Nullable.Compare(y.LastStrongAt, x.LastStrongAt);
            if (byRank == 0) byRank = y.OfferCount.CompareTo(x.OfferCount);
            if (byRank == 0) byRank = string.Compare(x.Name, y.Name, StringComparison.OrdinalIgnoreCase);
            return byRank != 0 ? byRank : string.CompareOrdinal(x.CompanyId, y.CompanyId);
        }
    }
}

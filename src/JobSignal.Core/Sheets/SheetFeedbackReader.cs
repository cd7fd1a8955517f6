using JobSignal.Core.Common;

namespace JobSignal.Core.Sheets;

/// <summary>
/// Reads what the reps wrote: the key column and the rep-owned columns (resolution, model feedback, notes) of the
/// companies tab, for <see cref="FeedbackDiff"/>. The header is checked first, so that a moved or renamed column is an
/// error instead of feedback read from the wrong cells. Ids and resolutions are read unformatted; model feedback and
/// notes as the rep sees them (a date typed in a note stays "12/06/2025", not the serial 45820). Those are two reads,
/// so the key column comes with both and they must agree: rows deleted or sorted in between would otherwise pair one
/// company's id with another's notes.
/// </summary>
public sealed class SheetFeedbackReader
{
    private readonly SheetsClient _client;
    private readonly string _spreadsheetId;
    private readonly SheetSyncOptions _options;

    public SheetFeedbackReader(SheetsClient client, string spreadsheetId, SheetSyncOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(spreadsheetId);
        _client = client;
        _spreadsheetId = SpreadsheetReference.Parse(spreadsheetId);
        _options = options ?? new SheetSyncOptions();
        ArgumentException.ThrowIfNullOrWhiteSpace(_options.SheetName, nameof(options));
    }

    public string SpreadsheetId => _spreadsheetId;
    public string SheetName => _options.SheetName;

    /// <summary>
    /// Every row with a company id, with its 1-based Sheet row number and company name; a row without an id is returned
    /// (CompanyId "") only when it holds the reps' data, so that the import can say that data is not read.
    /// </summary>
    public async Task<IReadOnlyList<SheetFeedbackRow>> ReadAsync(CancellationToken cancellationToken = default)
    {
        var layout = _options.Layout;
        var sheet = _options.SheetName;
        var key = layout[SheetColumnKey.CompanyId].Index;
        var resolution = layout[SheetColumnKey.Resolution].Index;
        var feedback = layout[SheetColumnKey.ModelFeedback].Index;
        var notes = layout[SheetColumnKey.ModelNotes].Index;
        var tab = SheetSync.FindTab(await _client.GetSpreadsheetAsync(_spreadsheetId, cancellationToken).ConfigureAwait(false), sheet)
                  ?? throw new JobSignalException("SheetsTabNotFound", FailureKind.ObjectNotFound,
                      $"Tab '{sheet}' was not found in spreadsheet {_spreadsheetId}, so there is no feedback to read.", _spreadsheetId,
                      "Run Sync-CompanySheet first, or give the tab's name with -SheetName.");
        sheet = tab.Title ?? sheet;
        if (tab.GridProperties?.ColumnCount is { } columns && columns < layout.ColumnCount)
            throw new JobSignalException("SheetsHeaderMismatch", FailureKind.InvalidData,
                $"Tab '{sheet}' has {columns} columns, fewer than the {layout.ColumnCount} of the '{layout.Language}' layout "
                + $"(A to {layout.LastColumnLetter}), so it holds no JobSignal header and no feedback to read.", _spreadsheetId,
                "Sync the companies to the tab first (Sync-CompanySheet adds the missing columns), or give the right -SheetName.");
        for (var read = 0; ; read++)
        {
            // Header row over the whole layout, then only the columns the import needs.
            var machine = await _client.BatchGetValuesAsync(_spreadsheetId,
                [A1Notation.RowSpan(sheet, 1, 0, layout.ColumnCount - 1), A1Notation.Columns(sheet, key, resolution)],
                SheetValueRender.UnformattedValue, cancellationToken).ConfigureAwait(false);
            var header = machine[0].Rows.Count > 0 ? machine[0].Rows[0] : [];
            if (layout.DescribeHeaderMismatch(header, sheet) is { } mismatch)
                throw new JobSignalException("SheetsHeaderMismatch", FailureKind.InvalidData, mismatch, _spreadsheetId,
                    "Restore the header row (or use the right -HeaderLanguage); feedback is read by column position.");
            var shown = await _client.BatchGetValuesAsync(_spreadsheetId,
                [A1Notation.Columns(sheet, key, key), A1Notation.Columns(sheet, feedback, notes)],
                SheetValueRender.FormattedValue, cancellationToken).ConfigureAwait(false);
            if (SameKeys(machine[1], shown[0])) return Rows(machine[1], shown[1]);
            if (read == SheetSync.MaxRereads)
                throw SheetSync.ChangedMeanwhile(_spreadsheetId, sheet, $"read {read + 1} times", "nothing was imported");
        }
    }

    /// <summary>Rows as the two reads give them: id, name and resolution unformatted, feedback and notes as shown.</summary>
    private List<SheetFeedbackRow> Rows(SheetState ids, SheetState repText)
    {
        var layout = _options.Layout;
        var key = layout[SheetColumnKey.CompanyId].Index;
        var rows = new List<SheetFeedbackRow>();
        // Google leaves out trailing empty rows per range: a row with notes only may lie below the last key.
        for (var i = 1; i < Math.Max(ids.Rows.Count, repText.Rows.Count); i++)
        {
            var row = new SheetFeedbackRow(i + 1, Cell(ids, i) ?? "", Cell(ids, i, layout[SheetColumnKey.Resolution].Index - key),
                Cell(repText, i), Cell(repText, i, layout[SheetColumnKey.ModelNotes].Index - layout[SheetColumnKey.ModelFeedback].Index),
                Cell(ids, i, layout[SheetColumnKey.Name].Index - key));
            if (row.CompanyId.Length > 0 || row.HasRepData) rows.Add(row);
        }
        return rows;
    }

    /// <summary>
    /// Whether the key column read unformatted and as shown holds the same ids on the same rows (no row moved in
    /// between). The sync writes ids as text, shown as they are; an id a rep typed as a number may be shown with a
    /// format (1234 as "1.234"), so for a number only its presence is compared.
    /// </summary>
    private static bool SameKeys(SheetState unformatted, SheetState shown)
    {
        for (var i = 1; i < Math.Max(unformatted.Rows.Count, shown.Rows.Count); i++)
        {
            var value = i < unformatted.Rows.Count && unformatted.Rows[i].Count > 0 ? unformatted.Rows[i][0] : null;
            var text = Cell(shown, i) ?? "";
            if (value is string id ? id.Trim() != text : (SheetCellValue.AsText(value).Length > 0) != (text.Length > 0))
                return false;
        }
        return true;
    }

    private static string? Cell(SheetState state, int row, int column = 0) =>
        row < state.Rows.Count && column < state.Rows[row].Count ? SheetCellValue.AsText(state.Rows[row][column]) : null;
}

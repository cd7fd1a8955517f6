using JobSignal.Core.Common;

namespace JobSignal.Core.Sheets;

/// <summary>
/// Reads what the reps wrote: the key column and the rep-owned columns (resolution, model feedback, notes) of the
/// companies tab, in one read request, for <see cref="FeedbackDiff"/>. The header is checked first, so that a moved or
/// renamed column is an error instead of feedback read from the wrong cells.
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
        var name = layout[SheetColumnKey.Name].Index;
        var resolution = layout[SheetColumnKey.Resolution].Index;
        var feedback = layout[SheetColumnKey.ModelFeedback].Index;
        var notes = layout[SheetColumnKey.ModelNotes].Index;
        var tab = SheetSync.FindTab(await _client.GetSpreadsheetAsync(_spreadsheetId, cancellationToken).ConfigureAwait(false), sheet)
                  ?? throw new JobSignalException("SheetsTabNotFound", FailureKind.ObjectNotFound,
                      $"Tab '{sheet}' was not found in the spreadsheet, so there is no feedback to read.", sheet,
                      "Run Sync-CompanySheet first, or give the tab's name with -SheetName.");
        sheet = tab.Title ?? sheet;
        // Header row over the whole layout, then only the columns the import needs.
        var read = await _client.BatchGetValuesAsync(_spreadsheetId,
        [
            A1Notation.RowSpan(sheet, 1, 0, layout.ColumnCount - 1),
            A1Notation.Columns(sheet, key, resolution),
            A1Notation.Columns(sheet, feedback, notes),
        ], SheetValueRender.UnformattedValue, cancellationToken).ConfigureAwait(false);

        var header = read[0].Rows.Count > 0 ? read[0].Rows[0] : [];
        if (layout.DescribeHeaderMismatch(header, sheet) is { } mismatch)
            throw new JobSignalException("SheetsHeaderMismatch", FailureKind.InvalidData, mismatch, sheet,
                "Restore the header row (or use the right -HeaderLanguage); feedback is read by column position.");

        static string? Cell(SheetState state, int row, int column = 0) =>
            row < state.Rows.Count && column < state.Rows[row].Count ? SheetCellValue.AsText(state.Rows[row][column]) : null;

        var rows = new List<SheetFeedbackRow>();
        // Google leaves out trailing empty rows per range: a row with notes only may lie below the last key.
        for (var i = 1; i < Math.Max(read[1].Rows.Count, read[2].Rows.Count); i++)
        {
            var row = new SheetFeedbackRow(i + 1, Cell(read[1], i) ?? "", Cell(read[1], i, resolution - key),
                Cell(read[2], i), Cell(read[2], i, notes - feedback), Cell(read[1], i, name - key));
            if (row.CompanyId.Length > 0 || row.HasRepData) rows.Add(row);
        }
        return rows;
    }
}

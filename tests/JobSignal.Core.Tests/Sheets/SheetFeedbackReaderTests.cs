using JobSignal.Core.Common;
using JobSignal.Core.Sheets;
using JobSignal.TestFakes;
using static JobSignal.Core.Tests.Sheets.SheetsFixture;

namespace JobSignal.Core.Tests.Sheets;

public sealed class SheetFeedbackReaderTests : IDisposable
{
    private readonly SheetsFixture _fx = new();
    private readonly SheetsClient _client;

    public SheetFeedbackReaderTests() => _client = _fx.CreateClient();

    public void Dispose()
    {
        _client.Dispose();
        _fx.Dispose();
    }

    /// <summary>The tab a sync of companies a, b and c (rows 2, 3 and 4) made.</summary>
    private async Task<FakeSheetTab> SyncedTab()
    {
        await new SheetSync(_client, SpreadsheetId).SyncAsync([Company("a", score: 9), Company("b", score: 5), Company("c", score: 1)]);
        return _fx.Spreadsheet.Tab("Companies");
    }

    [Fact]
    public async Task Reads_the_key_and_rep_columns_with_row_numbers()
    {
        var tab = await SyncedTab();
        tab["C2"] = " rejected ";
        tab["L2"] = "fp";
        tab["M2"] = "Sells only in Spain";
        tab["L4"] = "OK";
        tab.SetRow(6, "b", "pasted again", "ACCEPTED");
        _fx.Server.ClearRequests();

        var rows = await new SheetFeedbackReader(_client, SpreadsheetId).ReadAsync();

        Assert.Equal(new[]
        {
            new SheetFeedbackRow(2, "a", "rejected", "fp", "Sells only in Spain", "Company a"),
            new SheetFeedbackRow(3, "b", "PENDING", null, null, "Company b"),
            new SheetFeedbackRow(4, "c", "PENDING", "OK", null, "Company c"),
            new SheetFeedbackRow(6, "b", "ACCEPTED", null, null, "pasted again"),
        }, rows);
        // The tab's properties, the ids unformatted, the reps' text as shown.
        Assert.Equal(2, _fx.Server.Count(FakeGoogleCall.ValuesBatchGet));
        Assert.Equal(3, _fx.Server.SheetsRequestCount);

        var plan = FeedbackDiff.Plan(rows,
        [
            new FeedbackCompanyState("a", "PENDING", []),
            new FeedbackCompanyState("b", "PENDING", []),
            new FeedbackCompanyState("c", "PENDING", [new StoredFeedback("OK", null)]),
        ]);
        Assert.Equal(new ResolutionChange("a", 2, "PENDING", "REJECTED", ResolutionTransition.ActiveToFinal), Assert.Single(plan.ResolutionChanges));
        Assert.Equal(new FeedbackEventChange("a", 2, "FP", "Sells only in Spain"), Assert.Single(plan.FeedbackEvents));
        Assert.Equal(6, Assert.Single(plan.DuplicateRows).RowNumber);
    }

    [Fact]
    public async Task A_row_whose_id_a_rep_cleared_is_reported_by_row_and_name_not_dropped_silently()
    {
        await new SheetSync(_client, SpreadsheetId).SyncAsync([Company("a", score: 9), Company("b", score: 5)]);
        var tab = _fx.Spreadsheet.Tab("Companies");
        tab["A3"] = null;
        tab["C3"] = "ACCEPTED";
        tab["L3"] = "OK";
        tab["M3"] = "Signed, good lead";
        tab.SetRow(5, null, "A name and nothing else");
        tab.SetRow(7, null, null, null, null, null, null, null, null, null, null, null, null, "Notes below every id");

        var rows = await new SheetFeedbackReader(_client, SpreadsheetId).ReadAsync();

        Assert.Equal(new[] { 2, 3, 7 }, rows.Select(r => r.RowNumber));
        Assert.Equal(new SheetFeedbackRow(3, "", "ACCEPTED", "OK", "Signed, good lead", "Company b"), rows[1]);
        var plan = FeedbackDiff.Plan(rows, [new FeedbackCompanyState("a", "PENDING", []), new FeedbackCompanyState("b", "PENDING", [])]);
        Assert.Equal(1, plan.RowsRead);
        Assert.Empty(plan.ResolutionChanges);
        Assert.Empty(plan.FeedbackEvents);
        Assert.Equal(new[] { 3, 7 }, plan.Warnings.Select(w => w.RowNumber));
        Assert.StartsWith("Row 3 ('Company b') has a resolution, model feedback or notes but no company id in column A", plan.Warnings[0].Message);
        Assert.StartsWith("Row 7 (no company name) has", plan.Warnings[1].Message);
    }

    [Fact]
    public async Task A_moved_column_is_an_error_not_feedback_from_the_wrong_cells()
    {
        var tab = _fx.Spreadsheet.AddTab("Companies");
        var headers = SheetLayout.Spanish.Headers.ToArray<object?>();
        (headers[11], headers[12]) = (headers[12], headers[11]);
        tab.SetRow(1, headers);
        var ex = await Assert.ThrowsAsync<JobSignalException>(() => new SheetFeedbackReader(_client, SpreadsheetId).ReadAsync());
        Assert.Equal(("SheetsHeaderMismatch", (object?)SpreadsheetId), (ex.ErrorId, ex.Target));
        Assert.Contains("column L: expected 'Feedback Modelo', found 'Notas Modelo'", ex.Message);
    }

    [Fact]
    public async Task A_missing_tab_is_reported()
    {
        var ex = await Assert.ThrowsAsync<JobSignalException>(() =>
            new SheetFeedbackReader(_client, SpreadsheetId, new SheetSyncOptions { SheetName = "Leads" }).ReadAsync());
        Assert.Equal(("SheetsTabNotFound", FailureKind.ObjectNotFound, (object?)SpreadsheetId), (ex.ErrorId, ex.Kind, ex.Target));
        Assert.Equal($"Tab 'Leads' was not found in spreadsheet {SpreadsheetId}, so there is no feedback to read.", ex.Message);
        Assert.Equal(0, _fx.Server.Count(FakeGoogleCall.ValuesBatchGet));
    }

    [Fact]
    public async Task Notes_and_feedback_are_read_as_the_rep_sees_them_and_ids_unformatted()
    {
        var tab = await SyncedTab();
        // What Google keeps when a rep types into an es-ES Sheet: a date, a percentage and an amount become numbers.
        tab.SetFormatted("M2", 45820.0, "12/06/2025");
        tab.SetFormatted("M3", 0.5, "50%");
        tab.SetFormatted("M4", 1500000.0, "1.500.000 €");
        tab.SetFormatted("L4", 1.0, "1,0");
        // An id a rep typed as a number, shown with a thousands separator.
        tab.SetFormatted("A5", 1234.0, "1.234");
        tab["C5"] = "REJECTED";

        var rows = await new SheetFeedbackReader(_client, SpreadsheetId).ReadAsync();

        Assert.Equal(new[] { "12/06/2025", "50%", "1.500.000 €", null }, rows.Select(r => r.ModelNotes));
        Assert.Equal("1,0", rows[2].ModelFeedback);
        Assert.Equal(new[] { "a", "b", "c", "1234" }, rows.Select(r => r.CompanyId));
    }

    [Fact]
    public async Task Rows_deleted_between_the_two_reads_are_read_again_so_notes_stay_with_their_company()
    {
        var tab = await SyncedTab();
        tab["M3"] = "b's note";
        tab["M4"] = "c's note";
        var deleted = false;
        _fx.Server.Answered += request =>
        {
            if (deleted || request.Call != FakeGoogleCall.ValuesBatchGet) return;
            deleted = true;
            tab.DeleteRow(2); // a rep deletes company a's row right after the ids were read
        };
        _fx.Server.ClearRequests();

        var rows = await new SheetFeedbackReader(_client, SpreadsheetId).ReadAsync();

        Assert.Equal(new (string, string?)[] { ("b", "b's note"), ("c", "c's note") }, rows.Select(r => (r.CompanyId, r.ModelNotes)));
        Assert.Equal(new[] { 2, 3 }, rows.Select(r => r.RowNumber));
        Assert.Equal(4, _fx.Server.Count(FakeGoogleCall.ValuesBatchGet));
    }

    [Fact]
    public async Task Rows_that_keep_moving_end_the_read_with_SheetsChangedDuringSync()
    {
        await new SheetSync(_client, SpreadsheetId).SyncAsync(Enumerable.Range(1, 8).Select(i => Company("c" + i, score: i)));
        var tab = _fx.Spreadsheet.Tab("Companies");
        _fx.Server.Answered += request =>
        {
            if (request.Call == FakeGoogleCall.ValuesBatchGet) tab.DeleteRow(2);
        };

        var ex = await Assert.ThrowsAsync<JobSignalException>(() => new SheetFeedbackReader(_client, SpreadsheetId).ReadAsync());

        Assert.Equal((SheetSync.ChangedErrorId, FailureKind.ResourceUnavailable, (object?)SpreadsheetId), (ex.ErrorId, ex.Kind, ex.Target));
        Assert.Contains("kept moving (deleted, inserted or sorted) while they were read 3 times, so nothing was imported", ex.Message);
        Assert.Contains("Run the command again", ex.RecommendedAction);
    }

    [Fact]
    public async Task A_tab_narrower_than_the_layout_is_a_header_mismatch_naming_its_columns_before_any_read()
    {
        _fx.Spreadsheet.AddTab("Companies", columnCount: 10);

        var ex = await Assert.ThrowsAsync<JobSignalException>(() => new SheetFeedbackReader(_client, SpreadsheetId).ReadAsync());

        Assert.Equal(("SheetsHeaderMismatch", (object?)SpreadsheetId), (ex.ErrorId, ex.Target));
        Assert.StartsWith("Tab 'Companies' has 10 columns, fewer than the 13 of the 'es' layout (A to M)", ex.Message);
        Assert.Contains("Sync-CompanySheet adds the missing columns", ex.RecommendedAction);
        Assert.Equal(0, _fx.Server.Count(FakeGoogleCall.ValuesBatchGet));
    }
}

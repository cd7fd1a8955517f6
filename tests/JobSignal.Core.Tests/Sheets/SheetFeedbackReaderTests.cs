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

    [Fact]
    public async Task Reads_the_key_and_rep_columns_with_row_numbers_in_one_read()
    {
        await new SheetSync(_client, SpreadsheetId).SyncAsync([Company("a", score: 9), Company("b", score: 5), Company("c", score: 1)]);
        var tab = _fx.Spreadsheet.Tab("Companies");
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
        Assert.Equal(1, _fx.Server.Count(FakeGoogleCall.ValuesBatchGet));
        Assert.Equal(2, _fx.Server.SheetsRequestCount);

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
        Assert.Equal("SheetsHeaderMismatch", ex.ErrorId);
        Assert.Contains("column L: expected 'Feedback Modelo', found 'Notas Modelo'", ex.Message);
    }

    [Fact]
    public async Task A_missing_tab_is_reported()
    {
        var ex = await Assert.ThrowsAsync<JobSignalException>(() =>
            new SheetFeedbackReader(_client, SpreadsheetId, new SheetSyncOptions { SheetName = "Leads" }).ReadAsync());
        Assert.Equal("SheetsTabNotFound", ex.ErrorId);
        Assert.Equal(FailureKind.ObjectNotFound, ex.Kind);
        Assert.Equal(0, _fx.Server.Count(FakeGoogleCall.ValuesBatchGet));
    }
}

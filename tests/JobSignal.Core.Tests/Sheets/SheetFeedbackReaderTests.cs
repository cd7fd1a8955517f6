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
            new SheetFeedbackRow(2, "a", "rejected", "fp", "Sells only in Spain"),
            new SheetFeedbackRow(3, "b", "PENDING", null, null),
            new SheetFeedbackRow(4, "c", "PENDING", "OK", null),
            new SheetFeedbackRow(6, "b", "ACCEPTED", null, null),
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

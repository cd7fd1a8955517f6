using JobSignal.Core.Domain;
using JobSignal.Core.Common;
using JobSignal.Core.Sheets;
using JobSignal.TestFakes;
using static JobSignal.Core.Tests.Sheets.SheetsFixture;

namespace JobSignal.Core.Tests.Sheets;

public sealed class SheetSyncTests : IDisposable
{
    private readonly SheetsFixture _fx = new();
    private readonly SheetsClient _client;

    public SheetSyncTests() => _client = _fx.CreateClient();

    public void Dispose()
    {
        _client.Dispose();
        _fx.Dispose();
    }

    private FakeGoogleServer Server => _fx.Server;

    private Task<SheetSyncResult> Sync(IEnumerable<SheetCompany> companies, SheetSyncOptions? options = null) =>
        new SheetSync(_client, SpreadsheetId, options).SyncAsync(companies);

    private FakeSheetTab Tab(string name = "Companies") => _fx.Spreadsheet.Tab(name);

    private FakeSheetTab HeaderOnlyTab(string name = "Companies")
    {
        var tab = _fx.Spreadsheet.AddTab(name);
        tab.SetRow(1, SheetLayout.Spanish.Headers.ToArray<object?>());
        return tab;
    }

    private static List<SheetCompany> Companies(int count) =>
        Enumerable.Range(1, count).Select(i => Company($"c{i:D4}", score: i % 11, name: $"Empresa {i} S.L.")).ToList();

    private int ValueWrites => Server.Count(FakeGoogleCall.ValuesAppend) + Server.Count(FakeGoogleCall.ValuesBatchUpdate);

    [Fact]
    public async Task An_empty_spreadsheet_gets_the_tab_header_setup_and_ranked_rows_in_four_requests()
    {
        var result = await Sync([Company("low", score: 2), Company("top", score: 9, lastStrongAt: new DateTimeOffset(2024, 5, 3, 8, 0, 0, TimeSpan.Zero))]);

        var tab = Tab();
        Assert.True(result.CreatedTab);
        Assert.True(result.WroteHeader);
        Assert.Equal(2, result.Appended);
        Assert.Equal(4, result.Requests); // get, batchUpdate (tab + setup), header, append
        Assert.Equal(4, Server.SheetsRequestCount);
        Assert.Empty(result.Errors);

        Assert.Equal(SheetLayout.Spanish.Headers, tab.Row(1));
        Assert.Equal(1, tab.FrozenRowCount);
        Assert.Equal("top", tab["A2"]);
        Assert.Equal("Company top", tab["B2"]);
        Assert.Equal("PENDING", tab["C2"]);
        Assert.Equal(9.0, tab["D2"]);
        Assert.True(tab.IsFormula("H2"));
        Assert.Equal("=HYPERLINK(\"https://www.infojobs.net/offer/top\")", tab["H2"]);
        Assert.Equal(45415.0, tab["J2"]);
        Assert.Equal("USD, pagos internacionales", tab["K2"]);
        Assert.Equal("low", tab["A3"]);

        var resolution = Assert.Single(tab.Validations, v => v.StartColumn == 2);
        Assert.Equal(("ONE_OF_LIST", 1, (int?)null, 3, false, true),
            (resolution.ConditionType, resolution.StartRow, resolution.EndRow, resolution.EndColumn, resolution.Strict, resolution.ShowCustomUi));
        Assert.Equal(Resolution.All, resolution.Values);
        Assert.Equal(new[] { "OK", "FP", "FN" }, Assert.Single(tab.Validations, v => v.StartColumn == 11).Values);
        Assert.Contains(tab.Formats, f => f.StartColumn == 9 && f.Fields == "userEnteredFormat.numberFormat" && f.CellJson.Contains("yyyy-mm-dd"));
        Assert.Contains(tab.Formats, f => f.EndRow == 1 && f.CellJson.Contains("\"bold\":true"));
    }

    [Fact]
    public async Task A_header_only_tab_is_set_up_once_and_filled_below_the_header()
    {
        HeaderOnlyTab();
        var result = await Sync([Company("1"), Company("2", score: 8)]);

        Assert.False(result.CreatedTab);
        Assert.False(result.WroteHeader);
        Assert.Equal(2, result.Appended);
        Assert.Equal(1, Tab().FrozenRowCount);
        Assert.Equal(2, Tab().Validations.Count);
        Assert.Equal(new object?[] { "2", "1" }, Tab().ColumnValues("A"));
        Assert.Equal(4, result.Requests); // get, read, set-up, append

        Server.ClearRequests();
        var again = await Sync([Company("1"), Company("2", score: 8)]);
        Assert.Equal(2, again.Unchanged);
        Assert.Equal(0, Server.Count(FakeGoogleCall.BatchUpdate)); // set-up is not repeated
    }

    [Fact]
    public async Task Rep_edits_survive_and_an_unchanged_resync_sends_no_value_writes()
    {
        var companies = Companies(5);
        await Sync(companies);
        var tab = Tab();
        // Reps: a resolution, model feedback and notes, and a column of their own to the right.
        tab["C2"] = "rejected";
        tab["L2"] = "FP";
        tab["M2"] = "Only sells in Spain";
        tab["N1"] = "Comercial";
        tab["N2"] = "Ana";
        tab["N3"] = "=1+1";
        Server.ClearRequests();

        // The store has moved on (a new resolution) but metrics are the same: nothing to write.
        var result = await Sync(companies.Select(c => c with { Resolution = "ACCEPTED" }));

        Assert.Equal(5, result.Unchanged);
        Assert.Equal(0, result.Appended + result.Updated);
        Assert.Equal(2, result.Requests);
        Assert.Equal(0, ValueWrites);
        Assert.Equal("rejected", tab["C2"]);
        Assert.Equal("FP", tab["L2"]);
        Assert.Equal("Only sells in Spain", tab["M2"]);
        Assert.Equal("Ana", tab["N2"]);
        Assert.True(tab.IsFormula("N3"));
    }

    [Fact]
    public async Task Changed_metrics_update_only_their_cells()
    {
        var companies = Companies(4);
        await Sync(companies);
        var tab = Tab();
        var row = tab.ColumnValues("A").ToList().IndexOf("c0002") + 2;
        tab[$"C{row}"] = "HIGH_INTEREST";
        tab[$"M{row}"] = "call Monday";
        tab[$"N{row}"] = "mine";
        var before = Enumerable.Range(1, 5).Select(tab.Row).ToList();
        Server.ClearRequests();

        var changed = companies.Select(c => c.CompanyId == "c0002" ? c with { MaxScore = 10, StrongOffers = 7 } : c).ToList();
        var result = await Sync(changed);

        Assert.Equal((1, 2, 3, 0), (result.Updated, result.UpdatedCells, result.Unchanged, result.Appended));
        Assert.Equal(1, Server.Count(FakeGoogleCall.ValuesBatchUpdate));
        Assert.Equal(0, Server.Count(FakeGoogleCall.ValuesAppend));
        Assert.Equal(10.0, tab[$"D{row}"]);
        Assert.Equal(7.0, tab[$"E{row}"]);
        for (var r = 1; r <= 5; r++)
        {
            var now = tab.Row(r);
            for (var c = 0; c < Math.Max(now.Count, before[r - 1].Count); c++)
            {
                if (r == row && c is 3 or 4) continue;
                Assert.Equal(before[r - 1].ElementAtOrDefault(c), now.ElementAtOrDefault(c));
            }
        }
    }

    [Fact]
    public async Task A_row_deleted_by_a_rep_comes_back_with_the_store_resolution()
    {
        await Sync([Company("a", score: 9), Company("b", score: 5), Company("c", score: 1)]);
        Tab().DeleteRow(3); // "b"
        Server.ClearRequests();

        var result = await Sync([Company("a", score: 9), Company("b", score: 5, resolution: "REJECTED"), Company("c", score: 1)]);

        Assert.Equal((1, 2), (result.Appended, result.Unchanged));
        Assert.Equal(new object?[] { "a", "c", "b" }, Tab().ColumnValues("A"));
        Assert.Equal("REJECTED", Tab()["C4"]);
    }

    [Fact]
    public async Task A_row_whose_id_a_rep_cleared_gets_the_id_back_instead_of_a_duplicate_row()
    {
        var companies = new[] { Company("a", score: 9), Company("b", score: 5, name: "Beta S.L."), Company("c", score: 1) };
        await Sync(companies);
        var tab = Tab();
        tab["A3"] = null;
        tab["C3"] = "ACCEPTED";
        tab["M3"] = "Signed, good lead";
        tab["D3"] = 1.0; // a stale system cell is refreshed with the key
        Server.ClearRequests();

        var result = await Sync(companies);

        Assert.Equal((0, 1, 2), (result.Appended, result.Updated, result.Unchanged));
        Assert.Equal(new object?[] { "a", "b", "c" }, tab.ColumnValues("A"));
        Assert.Equal(("ACCEPTED", "Signed, good lead", 5.0), (tab["C3"], tab["M3"], tab["D3"]));
        Assert.Contains(result.Warnings, w => w.StartsWith("Row 3 had no company id; its name is that of company 'b'"));
        Assert.Equal(0, Server.Count(FakeGoogleCall.ValuesAppend));
    }

    [Fact]
    public async Task A_keyless_row_with_rep_data_that_names_no_single_missing_company_is_reported_and_left_alone()
    {
        await Sync([Company("a", score: 9), Company("b", score: 5), Company("c", score: 1)]);
        var tab = Tab();
        tab["A3"] = null;          // "Company b"
        tab["C3"] = "REJECTED";
        tab["A4"] = null;          // "Company c", renamed by a rep: no match, and no rep data besides the resolution
        tab["B4"] = "Renamed by a rep";
        tab.SetRow(6, null, "Company b", "HIGH_INTEREST"); // a second row with b's name: which one is b's is unclear

        var result = await Sync([Company("a", score: 9), Company("b", score: 5), Company("c", score: 1)]);

        Assert.Equal(2, result.Appended);
        Assert.Equal(("b", "c", 8), (tab["A7"], tab["A8"], tab.LastDataRow)); // appended again below the keyless rows
        Assert.Equal(("REJECTED", "HIGH_INTEREST"), (tab["C3"], tab["C6"]));
        Assert.Equal(new[] { 3, 4, 6 }, result.Warnings
            .Where(w => w.Contains("but no company id in column A")).Select(w => int.Parse(w.Split(' ')[1])));
        Assert.Contains(result.Warnings, w => w.StartsWith("Row 4 ('Renamed by a rep') has a resolution"));
    }

    [Fact]
    public async Task Duplicate_key_rows_are_reported_and_only_the_first_is_written()
    {
        await Sync([Company("a"), Company("b")]);
        var tab = Tab();
        tab.SetRow(4, "a", "Pasted copy", "PENDING", 1.0);

        var result = await Sync([Company("a", score: 9), Company("b")]);

        var duplicate = Assert.Single(result.DuplicateKeys);
        Assert.Equal(new DuplicateKeyRow("a", 4, 2), duplicate);
        Assert.Contains(result.Warnings, w => w.Contains("row 4"));
        Assert.Equal(9.0, tab["D2"]);
        Assert.Equal(1.0, tab["D4"]);
        Assert.Equal("Pasted copy", tab["B4"]);
        Assert.Equal(0, result.Appended);
    }

    [Fact]
    public async Task A_header_mismatch_stops_the_sync_before_any_write()
    {
        var tab = _fx.Spreadsheet.AddTab("Companies");
        tab.SetRow(1, SheetLayout.English.Headers.ToArray<object?>());
        tab.SetRow(2, "x", "Existing");

        var ex = await Assert.ThrowsAsync<JobSignalException>(() => Sync([Company("1")]));

        Assert.Equal(("SheetsHeaderMismatch", (object?)SpreadsheetId), (ex.ErrorId, ex.Target));
        Assert.Contains("expected 'ID Empresa', found 'Company ID'", ex.Message);
        Assert.Contains("-HeaderLanguage en", ex.Message);
        Assert.Equal(0, ValueWrites + Server.Count(FakeGoogleCall.BatchUpdate));
        Assert.Equal(2, tab.LastDataRow);

        var english = await Sync([Company("1")], new SheetSyncOptions { Layout = SheetLayout.English });
        Assert.Equal(1, english.Appended);
    }

    [Fact]
    public async Task A_missing_tab_is_created_beside_the_others_which_stay_untouched()
    {
        var other = _fx.Spreadsheet.AddTab("Sheet1");
        other["A1"] = "keep me";

        var result = await Sync([Company("1")], new SheetSyncOptions { SheetName = "Leads 'Q3'" });

        Assert.True(result.CreatedTab);
        Assert.Equal("1", _fx.Spreadsheet.Tab("Leads 'Q3'")["A2"]);
        Assert.Equal("keep me", other["A1"]);
        Assert.Equal(1, other.LastDataRow);
    }

    [Fact]
    public async Task A_failed_read_of_the_tab_aborts_without_appending_anything()
    {
        await Sync([Company("a")]);
        Server.ClearRequests();
        Server.FailNext(FakeGoogleCall.ValuesBatchGet, 500, times: 50);

        var ex = await Assert.ThrowsAsync<JobSignalException>(() => Sync([Company("a"), Company("b")]));

        Assert.Equal(("SheetsReadFailed", (object?)SpreadsheetId), (ex.ErrorId, ex.Target));
        Assert.Contains("stopped before writing anything", ex.Message);
        Assert.Equal("SheetsUnavailable", Assert.IsType<SheetsApiException>(ex.InnerException).ErrorId);
        Assert.Equal(0, ValueWrites);
        Assert.Equal(new object?[] { "a" }, Tab().ColumnValues("A"));
    }

    [Fact]
    public async Task A_429_storm_is_waited_out_then_the_sync_completes()
    {
        HeaderOnlyTab();
        Server.FailNext(FakeGoogleCall.ValuesBatchGet, 429, times: 3, retryAfterSeconds: 20);

        var result = await Sync(Companies(3));

        Assert.Equal(3, result.Appended);
        Assert.Equal(3, result.Retries);
        Assert.Equal(Enumerable.Repeat(TimeSpan.FromSeconds(20), 3), _fx.Waits);
        Assert.Equal(7, result.Requests);
    }

    [Fact]
    public async Task A_500_on_append_is_reconciled_without_duplicate_rows()
    {
        HeaderOnlyTab();
        Server.FailNext(FakeGoogleCall.ValuesAppend, 500, retryAfterSeconds: 3);

        var result = await Sync(Companies(4));

        Assert.Equal(4, result.Appended);
        Assert.Empty(result.Errors);
        Assert.Equal(2, Server.Count(FakeGoogleCall.ValuesAppend));
        Assert.Equal(2, Server.Count(FakeGoogleCall.ValuesBatchGet)); // the tab, then the key column once
        Assert.Equal(new[] { TimeSpan.FromSeconds(3) }, _fx.Waits);
        Assert.Equal(4, Tab().ColumnValues("A").Distinct().Count());
        Assert.Equal(4, Tab().ColumnValues("A").Count);
    }

    [Fact]
    public async Task An_append_that_landed_before_its_error_is_not_sent_again()
    {
        HeaderOnlyTab();
        Server.FailNext(FakeGoogleCall.ValuesAppend, 503, applyFirst: true);

        var result = await Sync(Companies(4));

        Assert.Equal(4, result.Appended);
        Assert.Equal(1, Server.Count(FakeGoogleCall.ValuesAppend));
        Assert.Equal(4, Tab().ColumnValues("A").Count);
        Assert.Equal(5, Tab().LastDataRow);
    }

    [Fact]
    public async Task Only_the_rows_still_missing_are_appended_again()
    {
        var tab = HeaderOnlyTab();
        var companies = Companies(40);
        var options = new SheetSyncOptions { MaxRequestBytes = 3_000 };
        var plan = SheetSyncPlanner.Plan(new SheetState([SheetLayout.Spanish.Headers.ToArray<object?>()]), companies, options);
        Assert.True(plan.AppendBatches.Count >= 3);
        var second = plan.AppendBatches[1];
        // The first batch lands; the second fails; meanwhile a rep types one of the second batch's companies by hand.
        Server.FailNext(FakeGoogleCall.ValuesAppend, 500, after: 1);
        Server.Answered += request =>
        {
            if (request.Call == FakeGoogleCall.ValuesAppend && request.Status == 500)
                tab.SetRow(tab.LastDataRow + 1, second[0].CompanyId, "Typed by a rep");
        };

        var result = await Sync(companies, options);

        // A row found on re-reading counts as appended: the sync cannot tell a landed append from a rep's typing.
        Assert.Equal(40, result.Appended);
        Assert.Empty(result.Errors);
        var ids = Tab().ColumnValues("A");
        Assert.Equal(40, ids.Count);
        Assert.Equal(40, ids.Distinct().Count());
        Assert.Equal("Typed by a rep", tab[$"B{ids.ToList().IndexOf(second[0].CompanyId) + 2}"]);
        var appends = Server.Requests.Where(r => r.Call == FakeGoogleCall.ValuesAppend).ToList();
        Assert.Equal(plan.AppendBatches.Count + 1, appends.Count);
        Assert.True(appends[2].BodyBytes < appends[1].BodyBytes, "the re-sent append carries one row less");
    }

    [Fact]
    public async Task Appends_that_keep_failing_are_reported_and_the_rest_are_not_sent()
    {
        HeaderOnlyTab();
        var options = new SheetSyncOptions { MaxRequestBytes = 5_000 };
        Server.FailNext(FakeGoogleCall.ValuesAppend, 500, times: 5);

        var result = await Sync(Companies(40), options);

        Assert.Equal(0, result.Appended);
        Assert.Equal(40, result.Failed);
        Assert.Contains("40 companies were not appended", Assert.Single(result.Errors));
        Assert.Equal(5, Server.Count(FakeGoogleCall.ValuesAppend)); // 1 + 4 retries, the first batch only
        Assert.Empty(Tab().ColumnValues("A"));

        var next = await Sync(Companies(40), options);
        Assert.Equal(40, next.Appended);
        Assert.Equal(40, Tab().ColumnValues("A").Distinct().Count());
    }

    [Theory]
    [InlineData(FakeGoogleCall.ValuesBatchUpdate)]
    [InlineData(FakeGoogleCall.ValuesAppend)]
    public async Task A_write_refused_403_ends_the_sync_as_permission_denied_not_as_rows_to_write_next_time(FakeGoogleCall write)
    {
        var companies = new[] { Company("a", score: 9), Company("b", score: 5), Company("c", score: 1) };
        await Sync(companies);
        Tab()["B2"] = "edited by a rep"; // one row to update
        Tab().DeleteRow(4);              // one company to append
        Server.ClearRequests();
        Server.FailNext(write, 403, times: 5); // a Viewer share: reads pass, writes are refused

        var ex = await Assert.ThrowsAsync<SheetsApiException>(() => Sync(companies));

        Assert.Equal("SheetsPermissionDenied", ex.ErrorId);
        Assert.Equal(FailureKind.PermissionDenied, ex.Kind);
        Assert.Contains(_fx.Account.ClientEmail, ex.RecommendedAction);
        Assert.Equal(1, Server.Count(write)); // not retried
    }

    [Theory]
    [InlineData(FakeGoogleCall.ValuesBatchUpdate, "The sync stopped: 1 changed rows were not updated: Google Sheets answered 400")]
    [InlineData(FakeGoogleCall.ValuesAppend, "The sync stopped: 1 companies were not appended: Google Sheets answered 400")]
    public async Task A_write_rejected_400_ends_the_sync_without_promising_that_the_next_one_writes_it(FakeGoogleCall write, string message)
    {
        var companies = new[] { Company("a", score: 9), Company("b", score: 5), Company("c", score: 1) };
        await Sync(companies);
        Tab()["B2"] = "edited by a rep"; // one row to update
        Tab().DeleteRow(4);              // one company to append
        Server.ClearRequests();
        Server.FailNext(write, 400);

        var ex = await Assert.ThrowsAsync<SheetsApiException>(() => Sync(companies));

        Assert.Equal(("SheetsRequestRejected", FailureKind.InvalidArgument, (object?)SpreadsheetId), (ex.ErrorId, ex.Kind, ex.Target));
        Assert.StartsWith(message, ex.Message);
        Assert.DoesNotContain("next sync", ex.Message);
        Assert.Contains("running the command again unchanged fails the same way", ex.RecommendedAction);
        Assert.Equal(1, Server.Count(write)); // not retried
        Assert.Empty(_fx.Waits);
    }

    [Fact]
    public async Task A_tab_narrower_than_the_layout_is_read_as_it_is_and_widened_before_anything_is_written()
    {
        var tab = _fx.Spreadsheet.AddTab("Narrow", columnCount: 10);
        var options = new SheetSyncOptions { SheetName = "Narrow" };

        var preview = await new SheetSync(_client, SpreadsheetId, options).PreviewAsync(Companies(2));
        Assert.Equal((true, 2), (preview.WroteHeader, preview.Appended));
        Assert.Equal(10, tab.ColumnCount);

        var result = await Sync(Companies(2), options);

        Assert.Equal((2, 0), (result.Appended, result.Errors.Count));
        Assert.Equal(13, tab.ColumnCount);
        Assert.Equal(SheetLayout.Spanish.Headers, tab.Row(1));
        Assert.Equal("Empresa 2 S.L.", tab["B2"]);
        Assert.Equal(1, tab.FrozenRowCount);
    }

    [Fact]
    public async Task A_refused_setup_of_a_hand_made_tab_ends_the_sync_before_writing_rows()
    {
        HeaderOnlyTab();
        Server.FailNext(FakeGoogleCall.BatchUpdate, 403);

        var ex = await Assert.ThrowsAsync<SheetsApiException>(() => Sync([Company("a")]));

        Assert.Equal("SheetsPermissionDenied", ex.ErrorId);
        Assert.Equal(0, Server.Count(FakeGoogleCall.ValuesAppend));
    }

    [Fact]
    public async Task A_thousand_companies_take_a_bounded_number_of_requests()
    {
        var companies = Companies(1000);

        var first = await Sync(companies);
        Assert.Equal(1000, first.Appended);
        Assert.Equal(4, first.Requests);

        var second = await Sync(companies);
        Assert.Equal((1000, 2), (second.Unchanged, second.Requests));

        // The tab, the read, the key column checked again before the write, the write.
        var third = await Sync(companies.Select(c => c with { OfferCount = c.OfferCount + 1 }));
        Assert.Equal((1000, 1000, 4), (third.Updated, third.UpdatedCells, third.Requests));

        // With a small budget the same work is split, every body staying under it.
        Server.ClearRequests();
        var options = new SheetSyncOptions { MaxRequestBytes = 50_000 };
        var fourth = await Sync(companies.Select(c => c with { MaxScore = 10, Name = c.Name + " (renamed)" }), options);
        var writes = Server.Requests.Where(r => r.Call == FakeGoogleCall.ValuesBatchUpdate).ToList();
        Assert.Equal(1000, fourth.Updated);
        Assert.InRange(writes.Count, 4, 20);
        Assert.All(writes, w => Assert.True(w.BodyBytes <= options.MaxRequestBytes, $"{w.BodyBytes} bytes"));
        Assert.Equal(2 + 2 * writes.Count, fourth.Requests);
        Assert.Equal(1001, Tab().LastDataRow);
    }

    [Fact]
    public async Task Preview_reads_but_writes_nothing()
    {
        var preview = await new SheetSync(_client, SpreadsheetId).PreviewAsync(Companies(3));
        Assert.True(preview.WhatIf);
        Assert.True(preview.CreatedTab);
        Assert.Equal(3, preview.Appended);
        Assert.Null(_fx.Spreadsheet.FindTab("Companies"));
        Assert.Equal(1, preview.Requests);

        await Sync(Companies(3));
        Server.ClearRequests();
        var changes = await new SheetSync(_client, SpreadsheetId).PreviewAsync(Companies(4).Select(c => c with { MaxScore = 10 }));
        Assert.Equal((1, 3, 0), (changes.Appended, changes.Updated, ValueWrites));
        Assert.Equal(2, changes.Requests);
    }

    [Fact]
    public async Task Company_text_that_looks_like_a_formula_stays_text()
    {
        await Sync([Company("1", name: "=IMPORTXML(\"http://evil.test\",\"//a\")", category: "+34 600", evidence: "2024-01-01")]);
        var tab = Tab();
        Assert.False(tab.IsFormula("B2"));
        Assert.Equal("=IMPORTXML(\"http://evil.test\",\"//a\")", tab["B2"]);
        Assert.Equal("+34 600", tab["I2"]);
        Assert.Equal("2024-01-01", tab["K2"]);

        Server.ClearRequests();
        Assert.Equal(1, (await Sync([Company("1", name: "=IMPORTXML(\"http://evil.test\",\"//a\")", category: "+34 600", evidence: "2024-01-01")])).Unchanged);
        Assert.Equal(0, ValueWrites);
    }

    /// <summary>Each row holds its own company's name and activity: no system cell was written onto another company's row.</summary>
    private static void AssertEveryRowHoldsItsCompany(FakeSheetTab tab, IEnumerable<SheetCompany> companies)
    {
        var byId = companies.ToDictionary(c => c.CompanyId);
        for (var row = 2; row <= tab.LastDataRow; row++)
        {
            var company = byId[(string)tab[$"A{row}"]!];
            Assert.Equal((company.Name, (double)company.OfferCount), (tab[$"B{row}"], tab[$"G{row}"]));
        }
    }

    /// <summary>Five companies synced, then more activity for each in the store: the next sync has five rows to update.</summary>
    private async Task<(List<SheetCompany> Companies, FakeSheetTab Tab)> FiveRowsToUpdate()
    {
        var companies = Enumerable.Range(1, 5).Select(i => Company("c" + i, score: 10 - i, activity: 10 * i)).ToList();
        await Sync(companies);
        return (companies.Select(c => c with { OfferCount = c.OfferCount + 1 }).ToList(), Tab());
    }

    [Fact]
    public async Task A_row_deleted_right_after_the_read_moves_no_write_onto_another_company_the_sync_plans_again()
    {
        var (companies, tab) = await FiveRowsToUpdate();
        var deleted = false;
        Server.Answered += request =>
        {
            if (deleted || request.Call != FakeGoogleCall.ValuesBatchGet) return;
            deleted = true;
            tab.DeleteRow(2); // company c1, right after the sync read the tab
        };
        Server.ClearRequests();

        var result = await Sync(companies);

        Assert.Empty(result.Errors);
        Assert.Equal((4, 1), (result.Updated, result.Appended));
        AssertEveryRowHoldsItsCompany(tab, companies);
        Assert.Equal(new object?[] { "c2", "c3", "c4", "c5", "c1" }, tab.ColumnValues("A"));
        // The read, the check that found the rows moved, the fresh read, the check before the write.
        Assert.Equal(4, Server.Count(FakeGoogleCall.ValuesBatchGet));
    }

    [Fact]
    public async Task Rows_sorted_during_the_back_off_of_an_update_are_checked_again_before_the_retry()
    {
        var (companies, tab) = await FiveRowsToUpdate();
        var told = new List<string>();
        _client.Retrying += notice => told.Add(notice.ToString());
        Server.FailNext(FakeGoogleCall.ValuesBatchUpdate, 429, retryAfterSeconds: 3);
        var sorted = false;
        Server.Answered += request =>
        {
            if (sorted || request.Status != 429) return;
            sorted = true;
            // A rep sorts the rows by id, descending, while the sync waits.
            var rows = Enumerable.Range(2, 5).Select(r => tab.Row(r).ToArray()).OrderByDescending(r => (string?)r[0]).ToList();
            for (var i = 0; i < rows.Count; i++) tab.SetRow(i + 2, rows[i]);
        };

        var result = await Sync(companies);

        Assert.True(sorted);
        Assert.Empty(result.Errors);
        Assert.Equal(5, result.Updated);
        AssertEveryRowHoldsItsCompany(tab, companies);
        Assert.Equal(new object?[] { "c5", "c4", "c3", "c2", "c1" }, tab.ColumnValues("A"));
        Assert.Equal(1, result.Retries);
        Assert.Contains(TimeSpan.FromSeconds(3), _fx.Waits);
        Assert.Equal("values.batchUpdate failed (SheetsRateLimited, 429): retry 1 of 4 in 3 s, as Google's Retry-After asked.",
            Assert.Single(told));
    }

    [Fact]
    public async Task A_tab_whose_rows_keep_moving_stops_with_SheetsChangedDuringSync_before_any_misaddressed_write()
    {
        var (companies, tab) = await FiveRowsToUpdate();
        Server.ClearRequests();
        Server.Answered += request =>
        {
            if (request.Call == FakeGoogleCall.ValuesBatchGet) tab.DeleteRow(2);
        };

        var ex = await Assert.ThrowsAsync<JobSignalException>(() => Sync(companies));

        Assert.Equal((SheetSync.ChangedErrorId, (object?)SpreadsheetId), (ex.ErrorId, ex.Target));
        Assert.Contains("while they were planned and checked 3 times", ex.Message);
        Assert.Contains("no row was written at a position that had moved", ex.Message);
        Assert.Contains("Run the command again", ex.RecommendedAction);
        Assert.Equal(0, ValueWrites);
    }
}

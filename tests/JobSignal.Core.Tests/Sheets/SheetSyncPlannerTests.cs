using JobSignal.Core.Sheets;
using static JobSignal.Core.Tests.Sheets.SheetsFixture;

namespace JobSignal.Core.Tests.Sheets;

public class SheetSyncPlannerTests
{
    private static readonly SheetSyncOptions Options = new();
    private static readonly SheetLayout Layout = SheetLayout.Spanish;

    private static IReadOnlyList<object?> Header() => Layout.Headers.Cast<object?>().ToArray();

    /// <summary>A row as Sheets reads it back after the sync wrote <paramref name="company"/>.</summary>
    private static object?[] StoredRow(SheetCompany company, string resolution = "PENDING", string? feedback = null, string? notes = null)
    {
        var values = Layout.RowFor(company).Select(v => v.ToUserEntered() switch
        {
            string s when s.StartsWith('\'') => s[1..],
            long l => (object?)(double)l,
            var other => other,
        }).ToArray();
        values[2] = resolution;
        values[11] = feedback ?? "";
        values[12] = notes ?? "";
        return values;
    }

    private static SheetState State(params IReadOnlyList<object?>[] rows) => new(rows);

    [Fact]
    public void Empty_tab_gets_the_header_and_every_company_appended_best_first()
    {
        var plan = SheetSyncPlanner.Plan(SheetState.Empty,
        [
            Company("low", score: 3),
            Company("top", score: 9, strong: 1),
            Company("tie-more-strong", score: 9, strong: 4),
            Company("mid", score: 6),
        ], Options);

        Assert.Null(plan.HeaderMismatch);
        Assert.NotNull(plan.Header);
        Assert.Equal("'Companies'!A1:M1", plan.Header!.Range);
        Assert.Equal(Layout.Headers.Select(h => "'" + h), plan.Header.Values[0]);
        Assert.Equal(new[] { "tie-more-strong", "top", "mid", "low" }, plan.AppendBatches.SelectMany(b => b).Select(r => r.CompanyId));
        Assert.Single(plan.AppendBatches);
        Assert.Empty(plan.UpdateBatches);
        Assert.Equal(0, plan.Unchanged);
        Assert.Equal(2, plan.WriteRequestCount);
    }

    [Fact]
    public void Appended_rows_carry_the_store_resolution_not_always_pending()
    {
        var plan = SheetSyncPlanner.Plan(State(Header()), [Company("1", resolution: "ACCEPTED"), Company("2")], Options);
        Assert.Null(plan.Header);
        var rows = plan.AppendBatches.Single().ToDictionary(r => r.CompanyId);
        Assert.Equal("'ACCEPTED", rows["1"].Values[2]);
        Assert.Equal("'PENDING", rows["2"].Values[2]);
        Assert.Equal(13, rows["1"].Values.Count);
    }

    [Fact]
    public void Unchanged_rows_are_counted_and_not_written_even_when_reps_edited_their_columns()
    {
        var a = Company("a", score: 7);
        var b = Company("b", score: 4);
        var sheet = State(Header(),
            StoredRow(a, "REJECTED", "FP", "not FX at all").Append("client column").ToArray(),
            StoredRow(b));
        var plan = SheetSyncPlanner.Plan(sheet, [a with { Resolution = "PENDING" }, b], Options);
        Assert.Equal(2, plan.Unchanged);
        Assert.Equal(0, plan.WriteRequestCount);
    }

    [Fact]
    public void Changed_metrics_rewrite_only_their_cells_and_never_a_rep_column()
    {
        var before = Company("a", score: 5, strong: 1, unique: 2, activity: 3);
        var sheet = State(Header(), StoredRow(Company("zzz")), StoredRow(before, "HIGH_INTEREST", "OK", "call"));
        var after = before with { MaxScore = 8, StrongOffers = 2, OfferCount = 9, Name = "Renamed SL", Resolution = "REJECTED" };

        var plan = SheetSyncPlanner.Plan(sheet, [after], Options);

        var row = Assert.Single(plan.UpdatedRows);
        Assert.Equal(3, row.RowNumber);
        Assert.Equal(new[] { SheetColumnKey.Name, SheetColumnKey.MaxScore, SheetColumnKey.StrongOffers, SheetColumnKey.PostingActivity }, row.Columns);
        Assert.Equal(new[] { "'Companies'!B3", "'Companies'!D3:E3", "'Companies'!G3" }, row.Ranges.Select(r => r.Range));
        Assert.Equal(new object[] { 8L, 2L }, row.Ranges[1].Values[0]);
        Assert.Equal(4, plan.UpdatedCellCount);
        Assert.Empty(plan.AppendBatches);
    }

    [Fact]
    public void A_company_missing_from_the_tab_is_appended_again_with_its_resolution()
    {
        var kept = Company("kept");
        var plan = SheetSyncPlanner.Plan(State(Header(), StoredRow(kept)), [kept, Company("deleted-by-rep", resolution: "REJECTED")], Options);
        var appended = Assert.Single(plan.AppendBatches.Single());
        Assert.Equal("deleted-by-rep", appended.CompanyId);
        Assert.Equal("'REJECTED", appended.Values[2]);
        Assert.Equal(1, plan.Unchanged);
    }

    [Fact]
    public void Duplicate_key_rows_warn_and_the_first_row_is_the_one_kept()
    {
        var company = Company("dup", score: 5);
        var sheet = State(Header(), StoredRow(company), StoredRow(Company("other")), StoredRow(company with { MaxScore = 1 }));
        var plan = SheetSyncPlanner.Plan(sheet, [company with { MaxScore = 9 }], Options);

        var duplicate = Assert.Single(plan.DuplicateKeys);
        Assert.Equal(new DuplicateKeyRow("dup", 4, 2), duplicate);
        Assert.Contains(plan.Warnings, w => w.Contains("row 4") && w.Contains("kept row 2"));
        Assert.Equal(2, Assert.Single(plan.UpdatedRows).RowNumber);
        Assert.Empty(plan.AppendBatches);
    }

    [Fact]
    public void Keys_are_matched_trimmed_and_numbers_typed_by_a_rep_still_match()
    {
        var company = Company("42");
        var row = StoredRow(company);
        row[0] = 42.0;
        var spaced = StoredRow(Company("7"));
        spaced[0] = " 7 ";
        var plan = SheetSyncPlanner.Plan(State(Header(), row, spaced), [company, Company("7")], Options);
        Assert.Empty(plan.AppendBatches);
        // The number typed in A2 is not the text the sync would write, but a matched key is never rewritten.
        Assert.Equal(2, plan.Unchanged);
    }

    [Fact]
    public void Companies_without_id_or_given_twice_are_skipped()
    {
        var plan = SheetSyncPlanner.Plan(SheetState.Empty, [Company(" "), Company("x", score: 2), Company("x", score: 9)], Options);
        Assert.Equal(2, plan.Skipped.Count);
        Assert.Contains(plan.Skipped, s => s.Reason.Contains("no id"));
        Assert.Contains(plan.Skipped, s => s.CompanyId == "x" && s.Reason.Contains("twice"));
        Assert.Equal("'Company x", plan.AppendBatches.Single().Single().Values[1]);
        Assert.Equal(2L, plan.AppendBatches.Single().Single().Values[3]);
    }

    [Fact]
    public void Header_mismatch_plans_nothing()
    {
        var header = Header().ToArray();
        header[3] = "Score";
        var plan = SheetSyncPlanner.Plan(State(header), [Company("1")], Options);
        Assert.Contains("column D: expected 'Score máx.', found 'Score'", plan.HeaderMismatch);
        Assert.Equal(0, plan.WriteRequestCount);
    }

    [Fact]
    public void A_blank_header_over_data_is_refused_rather_than_overwritten()
    {
        var plan = SheetSyncPlanner.Plan(State([], StoredRow(Company("1"))), [Company("1")], Options);
        Assert.Contains("Row 1", plan.HeaderMismatch);
        Assert.Null(plan.Header);
    }

    [Fact]
    public void English_layout_plans_english_headers()
    {
        var plan = SheetSyncPlanner.Plan(SheetState.Empty, [Company("1")], new SheetSyncOptions { Layout = SheetLayout.English, SheetName = "Leads" });
        Assert.Equal("'Leads'!A1:M1", plan.Header!.Range);
        Assert.Equal("'Company ID", plan.Header.Values[0][0]);
    }

    [Fact]
    public void Large_plans_are_batched_under_the_byte_budget_without_splitting_rows()
    {
        var companies = Enumerable.Range(0, 600).Select(i => Company(i.ToString("D4"), score: i % 11, evidence: "USD, " + new string('x', 300))).ToList();
        var options = new SheetSyncOptions { MaxRequestBytes = 40_000 };
        var appendPlan = SheetSyncPlanner.Plan(SheetState.Empty, companies, options);
        Assert.True(appendPlan.AppendBatches.Count > 5, $"{appendPlan.AppendBatches.Count} batches");
        Assert.Equal(600, appendPlan.AppendCount);
        foreach (var batch in appendPlan.AppendBatches)
        {
            var json = Newtonsoft.Json.JsonConvert.SerializeObject(new { values = batch.Select(r => r.Values) });
            Assert.True(System.Text.Encoding.UTF8.GetByteCount(json) < options.MaxRequestBytes, $"{json.Length} bytes, {batch.Count} rows");
        }
        // Ranked order survives batching.
        var scores = appendPlan.AppendBatches.SelectMany(b => b).Select(r => (long)r.Values[3]).ToList();
        Assert.Equal(scores.OrderByDescending(s => s), scores);

        var sheet = State(new[] { Header() }.Concat(companies.Select(c => (IReadOnlyList<object?>)StoredRow(c))).ToArray());
        var updatePlan = SheetSyncPlanner.Plan(sheet, companies.Select(c => c with { MaxScore = c.MaxScore + 1, Name = c.Name + new string('y', 200) }), options);
        Assert.True(updatePlan.UpdateBatches.Count > 1);
        Assert.Equal(600, updatePlan.UpdateCount);
        Assert.Equal(1200, updatePlan.UpdatedCellCount);
    }

    [Fact]
    public void Moved_rows_are_the_updates_whose_row_no_longer_holds_what_they_were_planned_from()
    {
        var a = Company("a", score: 9);
        var b = Company("b", score: 5);
        var c = Company("c", score: 1);
        var stale = (object?[] row) => { row[3] = 0.0; return row; };
        var keyless = StoredRow(c);
        keyless[0] = "";
        var plan = SheetSyncPlanner.Plan(State(Header(), stale(StoredRow(a)), stale(StoredRow(b)), keyless),
            [a with { MaxScore = 9 }, b with { MaxScore = 5 }, c], Options);
        var updates = plan.UpdatedRows.ToList();
        Assert.Equal(new[] { ("a", 2, false), ("b", 3, false), ("c", 4, true) }, updates.Select(u => (u.CompanyId, u.RowNumber, u.RestoresKey)));

        // As planned: nothing moved. Only the key and name columns are read again.
        var asPlanned = State(["ID Empresa", "Empresa"], ["a", "Company a"], ["b", "Company b"], ["", "Company c"]);
        Assert.Empty(SheetSyncPlanner.MovedRows(updates, asPlanned, Layout));
        // A name typed over on a keyed row is no move: the id says whose row it is.
        Assert.Empty(SheetSyncPlanner.MovedRows(updates, State(["ID Empresa", "Empresa"], ["a", "typed over"], ["b", "Company b"], ["", "Company c"]), Layout));

        // Row 2 deleted: b and the keyless row moved up, a's row number now holds b, and row 4 is empty.
        var afterDelete = State(["ID Empresa", "Empresa"], ["b", "Company b"], ["", "Company c"]);
        Assert.Equal(new[] { "a", "b", "c" }, SheetSyncPlanner.MovedRows(updates, afterDelete, Layout).Select(u => u.CompanyId));
        // Sorted by name descending: only b stays where it was; the keyless row is recognised by its name.
        var sorted = State(["ID Empresa", "Empresa"], ["", "Company c"], ["b", "Company b"], ["a", "Company a"]);
        Assert.Equal(new[] { "a", "c" }, SheetSyncPlanner.MovedRows(updates, sorted, Layout).Select(u => u.CompanyId));
        // The id written back landed though its answer was lost (the write is retried): that row is in place.
        var restored = State(["ID Empresa", "Empresa"], ["a", "Company a"], ["b", "Company b"], ["c", "Company c"]);
        Assert.Empty(SheetSyncPlanner.MovedRows(updates, restored, Layout));
        // Another keyless row took the place of the one whose id was to be written back.
        var otherKeyless = State(["ID Empresa", "Empresa"], ["a", "Company a"], ["b", "Company b"], ["", "Someone else"]);
        Assert.Equal("c", Assert.Single(SheetSyncPlanner.MovedRows(updates, otherKeyless, Layout)).CompanyId);
    }
}

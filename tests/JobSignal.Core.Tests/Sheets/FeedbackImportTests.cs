using Dapper;
using JobSignal.Core.Aggregation;
using JobSignal.Core.Catalog;
using JobSignal.Core.Common;
using JobSignal.Core.Domain;
using JobSignal.Core.Sheets;
using JobSignal.Core.Store;
using JobSignal.Core.Tests.Store;
using Microsoft.Data.Sqlite;

namespace JobSignal.Core.Tests.Sheets;

/// <summary>The Sheet round trip on a real store file: store -> Sheet -> rep edits -> store.</summary>
public sealed class FeedbackImportTests : StoreTestBase
{
    private readonly SheetsFixture _fx = new();
    private readonly SheetsClient _client;

    public FeedbackImportTests() => _client = _fx.CreateClient();

    public override void Dispose()
    {
        _client.Dispose();
        _fx.Dispose();
        base.Dispose();
    }

    private long AddScoredCompany(string name, int maxScore, string topCategory = "cat_fx_currency_ops")
    {
        var id = AddCompany(name);
        Store.Companies.SaveMetrics(id, Metrics(maxScore) with
        {
            OfferCount = 3, UniqueOfferCount = 2, StrongOfferCount = maxScore >= 6 ? 1 : 0,
            TopOfferUrl = $"https://www.infojobs.net/of-{id}", TopOfferCategory = topCategory,
            LastStrongAt = new DateTimeOffset(2024, 5, 3, 9, 0, 0, TimeSpan.Zero), EvidenceTerms = ["USD", "SWIFT"],
        }, T0);
        return id;
    }

    private static CompanyMetrics Metrics(int maxScore) =>
        new(maxScore, 0, 0, 0, null, null, null, null, [], null, null, null, 0, []);

    private async Task SyncAll()
    {
        var labels = new Dictionary<string, string> { ["cat_fx_currency_ops"] = "FX & Currency Operations" };
        await new SheetSync(_client, SheetsFixture.SpreadsheetId)
            .SyncAsync(Store.Companies.List().Select(c => SheetCompanyMapper.From(c, labels)));
    }

    private FeedbackImport Import() => new(Store, new SheetFeedbackReader(_client, SheetsFixture.SpreadsheetId));

    private async Task<SheetFeedbackResult> ImportAsync(bool apply)
    {
        var import = Import();
        var plan = await import.PlanAsync();
        return apply ? import.Apply(plan) : import.Preview(plan);
    }

    private int RowOf(long companyId) =>
        _fx.Spreadsheet.Tab("Companies").ColumnValues("A").ToList().IndexOf(companyId.ToString()) + 2;

    [Fact]
    public async Task Stored_companies_are_shown_with_category_names_and_store_ids()
    {
        var top = AddScoredCompany("Top FX S.L.", 9);
        var other = AddScoredCompany("Other S.A.", 4, topCategory: "cat_unknown");
        var never = AddCompany("Never aggregated");
        Store.Companies.UpdateResolution(other, Resolution.HighInterest, T0);

        await SyncAll();

        var tab = _fx.Spreadsheet.Tab("Companies");
        Assert.Equal(new object?[] { top.ToString(), other.ToString(), never.ToString() }, tab.ColumnValues("A"));
        Assert.Equal("FX & Currency Operations", tab["I2"]);
        Assert.Equal("cat_unknown", tab["I3"]);
        Assert.Equal("HIGH_INTEREST", tab["C3"]);
        Assert.Equal("USD, SWIFT", tab["K2"]);
        Assert.Null(tab["D4"]); // no score yet: an empty cell, not 0
        Assert.Equal(0.0, tab["E4"]);
    }

    [Fact]
    public async Task Rep_columns_come_back_into_the_store_in_one_transaction_and_a_second_import_changes_nothing()
    {
        var a = AddScoredCompany("A", 9);
        var b = AddScoredCompany("B", 7);
        var c = AddScoredCompany("C", 5);
        Store.Companies.UpdateResolution(c, Resolution.Rejected, T0);
        await SyncAll();
        var tab = _fx.Spreadsheet.Tab("Companies");
        tab[$"C{RowOf(a)}"] = "accepted";
        tab[$"L{RowOf(a)}"] = "OK";
        tab[$"M{RowOf(a)}"] = "Pays suppliers in USD";
        tab[$"C{RowOf(b)}"] = "MAYBE";
        tab[$"C{RowOf(c)}"] = "in_progress";
        tab[$"A{tab.LastDataRow + 1}"] = "999999";

        var preview = await ImportAsync(apply: false);
        Assert.True(preview.WhatIf);
        Assert.Equal(2, preview.ResolutionsChanged);
        Assert.Equal(Resolution.Pending, Store.Companies.Get(a)!.Resolution);
        Assert.Empty(Store.Feedback.List());

        var result = await ImportAsync(apply: true);

        Assert.Equal((4, 2, 1, 1, 1, 1), (result.RowsRead, result.ResolutionsChanged, result.Frozen, result.Resumed, result.FeedbackAdded, result.UnknownCompanies));
        Assert.Equal(new[] { a, c }, result.CompanyIds.OrderBy(id => id));
        Assert.Contains(result.Warnings, w => w.Contains("unknown resolution 'MAYBE'"));
        Assert.Contains(result.Warnings, w => w.Contains("'999999' is not in the store"));
        Assert.Equal(Resolution.Accepted, Store.Companies.Get(a)!.Resolution);
        Assert.Equal(Resolution.Pending, Store.Companies.Get(b)!.Resolution);
        Assert.Equal(Resolution.InProgress, Store.Companies.Get(c)!.Resolution);
        var events = Store.Feedback.List();
        Assert.Equal(3, events.Count);
        var feedback = Assert.Single(events, e => e.Kind == FeedbackKind.ModelFeedback);
        Assert.Equal((a, "OK", "Pays suppliers in USD", (int?)RowOf(a)), (feedback.CompanyId, feedback.Value, feedback.Notes, feedback.SourceRow));
        Assert.Contains(events, e => e.Kind == FeedbackKind.Resolution && e.CompanyId == c && e.Value == Resolution.InProgress);

        var again = await ImportAsync(apply: true);
        Assert.Equal((0, 0, 3), (again.ResolutionsChanged, again.FeedbackAdded, again.Unchanged));
        Assert.Equal(3, Store.Feedback.List().Count);
    }

    [Fact]
    public async Task A_final_resolution_freezes_metrics_and_deletes_nothing()
    {
        var a = AddScoredCompany("A", 9);
        var offer = AddOffer(a, "o-1");
        await SyncAll();
        _fx.Spreadsheet.Tab("Companies")[$"C{RowOf(a)}"] = "REJECTED";

        await ImportAsync(apply: true);

        Assert.True(Store.Companies.Get(a)!.IsFinal);
        Assert.NotNull(Store.Offers.Get(offer));
        Assert.False(Store.Companies.SaveMetrics(a, Metrics(0), T0));
        Assert.Equal(9, Store.Companies.Get(a)!.MaxScore);
    }

    /// <summary>A synced company the reps rejected and marked FP in the Sheet: one resolution change and one event to import.</summary>
    private async Task<long> RejectedWithFeedbackInTheSheet()
    {
        var a = AddScoredCompany("A", 9);
        await SyncAll();
        _fx.Spreadsheet.Tab("Companies")[$"C{RowOf(a)}"] = "REJECTED";
        _fx.Spreadsheet.Tab("Companies")[$"L{RowOf(a)}"] = "FP";
        return a;
    }

    [Fact]
    public async Task A_store_another_writer_keeps_locked_is_StoreBusy_naming_the_store_and_nothing_is_applied()
    {
        var a = await RejectedWithFeedbackInTheSheet();
        // A short wait and one retry: the default policy waits about 38 s before it gives up.
        using var store = SignalStore.Open(Store.Path, new StoreOptions
        {
            BusyTimeout = TimeSpan.FromMilliseconds(20), WriteRetry = new RetryPolicy(1, TimeSpan.FromMilliseconds(1)),
        });
        var import = new FeedbackImport(store, new SheetFeedbackReader(_client, SheetsFixture.SpreadsheetId));
        var plan = await import.PlanAsync();
        using var writer = new SqliteConnection($"Data Source={Store.Path};Pooling=False");
        writer.Open();
        writer.Execute("BEGIN IMMEDIATE");

        var ex = Assert.Throws<JobSignalException>(() => import.Apply(plan));

        writer.Execute("ROLLBACK");
        Assert.Equal((StoreErrorIds.Busy, Store.Path), (ex.ErrorId, ex.Target));
        Assert.Contains("Nothing was applied: the 1 resolution changes and 1 feedback events stay in the Sheet", ex.Message);
        Assert.False(string.IsNullOrEmpty(ex.RecommendedAction));
        Assert.Equal(Resolution.Pending, Store.Companies.Get(a)!.Resolution);
        Assert.Empty(Store.Feedback.List());
    }

    [Fact]
    public async Task A_store_that_refuses_the_write_is_FeedbackImportFailed_and_nothing_is_applied()
    {
        var a = await RejectedWithFeedbackInTheSheet();
        // The resolution is written first; the feedback event after it fails, so the rollback must undo the resolution.
        Store.Connection.Execute("CREATE TRIGGER refuse BEFORE INSERT ON feedback_events WHEN NEW.kind = 'model_feedback' "
                                 + "BEGIN SELECT RAISE(ABORT, 'feedback is read-only here'); END");
        var import = Import();
        var plan = await import.PlanAsync();

        var ex = Assert.Throws<JobSignalException>(() => import.Apply(plan));

        Assert.Equal((FeedbackImport.FailedErrorId, FailureKind.WriteError, (object?)Store.Path), (ex.ErrorId, ex.Kind, ex.Target));
        Assert.Contains("feedback is read-only here", ex.Message);
        Assert.Contains("Nothing was applied", ex.Message);
        Assert.Contains("Import-CompanySheetFeedback again", ex.RecommendedAction);
        Assert.IsType<SqliteException>(ex.InnerException);
        Assert.Equal(Resolution.Pending, Store.Companies.Get(a)!.Resolution);
        Assert.Empty(Store.Feedback.List());
    }
}

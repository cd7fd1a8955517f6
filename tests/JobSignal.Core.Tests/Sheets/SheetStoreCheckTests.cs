using JobSignal.Core.Common;
using JobSignal.Core.Domain;
using JobSignal.Core.Sheets;
using JobSignal.Core.Store;
using JobSignal.Core.Tests.Store;
using JobSignal.TestFakes;

namespace JobSignal.Core.Tests.Sheets;

/// <summary>
/// A Sheet synced from one store, then synced or imported with another (a mistyped -DatabasePath, a rebuilt store):
/// the ids mean other companies there, so nothing may be written to the Sheet or to the store.
/// </summary>
public sealed class SheetStoreCheckTests : StoreTestBase
{
    private static readonly string[] Names = ["Alfa Pagos S.L.", "Beta Divisas S.A.", "Gamma Trade S.L.", "Delta Export S.A.", "Epsilon FX S.L."];

    private readonly SheetsFixture _fx = new();
    private readonly SheetsClient _client;

    public SheetStoreCheckTests() => _client = _fx.CreateClient();

    public override void Dispose()
    {
        _client.Dispose();
        _fx.Dispose();
        base.Dispose();
    }

    private FakeSheetTab Tab(string name = "Companies") => _fx.Spreadsheet.Tab(name);

    private static void AddCompanies(SignalStore store, IEnumerable<string> names)
    {
        foreach (var name in names) store.Companies.Insert(new NewCompany(name, name.ToLowerInvariant(), null, false), T0);
    }

    /// <summary>The same companies ingested in the other order: every id names another company.</summary>
    private SignalStore RebuiltStore()
    {
        var store = SignalStore.Open(Folder.File("rebuilt.db"));
        AddCompanies(store, Names.Reverse());
        return store;
    }

    private Task<SheetSyncResult> SyncAll(SignalStore store, string sheetName = "Companies") =>
        new SheetSync(_client, SheetsFixture.SpreadsheetId, new SheetSyncOptions { SheetName = sheetName })
            .SyncAsync(store.Companies.List().Select(c => SheetCompanyMapper.From(c)));

    private FeedbackImport Import(SignalStore store, string sheetName = "Companies") =>
        new(store, new SheetFeedbackReader(_client, SheetsFixture.SpreadsheetId, new SheetSyncOptions { SheetName = sheetName }));

    private int ValueWrites => _fx.Server.Count(FakeGoogleCall.ValuesAppend) + _fx.Server.Count(FakeGoogleCall.ValuesBatchUpdate)
                               + _fx.Server.Count(FakeGoogleCall.BatchUpdate);

    /// <summary>Store sync, then a rep rejects the first row's company with a note.</summary>
    private async Task<string> SyncedAndRejected()
    {
        AddCompanies(Store, Names);
        await SyncAll(Store);
        var tab = Tab();
        tab["C2"] = "REJECTED";
        tab["M2"] = "Not interested: domestic only";
        return (string)tab["B2"]!;
    }

    [Fact]
    public async Task A_sync_from_a_rebuilt_store_stops_before_writing_and_leaves_every_row_and_rep_cell_as_it_was()
    {
        var rejected = await SyncedAndRejected();
        var before = Enumerable.Range(1, Tab().LastDataRow).Select(r => Tab().Row(r)).ToList();
        using var rebuilt = RebuiltStore();
        _fx.Server.ClearRequests();

        var ex = await Assert.ThrowsAsync<JobSignalException>(() => SyncAll(rebuilt));

        Assert.Equal("SheetsStoreMismatch", ex.ErrorId);
        Assert.Equal(FailureKind.InvalidOperation, ex.Kind);
        Assert.Equal(SheetsFixture.SpreadsheetId, ex.Target);
        Assert.Contains($"spreadsheet {SheetsFixture.SpreadsheetId}", ex.Message);
        Assert.Contains("from this store", ex.Message); // no path given: the companies passed are the store
        Assert.Equal("1", Tab()["A2"]);
        Assert.Contains($"row 2: id 1 is '{rejected}' in the Sheet but 'Epsilon FX S.L.' in the store", ex.Message);
        Assert.Contains("4 of its 5 company rows", ex.Message); // id 3 is Gamma in both orders
        Assert.Contains("-DatabasePath", ex.RecommendedAction);
        Assert.Contains("-SheetName", ex.RecommendedAction);
        Assert.Equal(0, ValueWrites);
        Assert.Equal(before, Enumerable.Range(1, Tab().LastDataRow).Select(r => Tab().Row(r)).ToList());

        // -WhatIf is refused alike: its plan would show the wrong rewrites.
        var preview = await Assert.ThrowsAsync<JobSignalException>(() =>
            new SheetSync(_client, SheetsFixture.SpreadsheetId).PreviewAsync(rebuilt.Companies.List().Select(c => SheetCompanyMapper.From(c))));
        Assert.Equal("SheetsStoreMismatch", preview.ErrorId);
    }

    [Fact]
    public async Task An_import_into_a_rebuilt_store_stops_before_freezing_another_company()
    {
        await SyncedAndRejected();
        using var rebuilt = RebuiltStore();
        var import = Import(rebuilt);

        var ex = await Assert.ThrowsAsync<JobSignalException>(() => import.PlanAsync());

        Assert.Equal(("SheetsStoreMismatch", FailureKind.InvalidOperation), (ex.ErrorId, ex.Kind));
        Assert.Contains($"the store {rebuilt.Path}", ex.Message);
        Assert.Contains("Tab 'Companies'", ex.Message);
        Assert.All(rebuilt.Companies.List(), c => Assert.Equal(Resolution.Pending, c.Resolution));
        Assert.Empty(rebuilt.Feedback.List());
    }

    [Fact]
    public async Task An_import_into_an_empty_store_is_refused_rather_than_reporting_every_row_unknown()
    {
        await SyncedAndRejected();
        using var empty = SignalStore.Open(Folder.File("unset-env.db"));

        var ex = await Assert.ThrowsAsync<JobSignalException>(() => Import(empty).PlanAsync());

        Assert.Equal("SheetsStoreMismatch", ex.ErrorId);
        Assert.Contains("row 2: id 1 ('Alfa Pagos S.L.') is not a company of the store", ex.Message);
        Assert.Contains("5 of its 5 company rows", ex.Message);
    }

    [Fact]
    public async Task A_piped_sync_checks_the_rows_of_companies_not_piped_in_against_the_whole_store()
    {
        AddCompanies(Store, Names);
        await SyncAll(Store);
        var first = Store.Companies.List().Take(1).Select(c => SheetCompanyMapper.From(c)).ToList();

        // The one company piped in is not enough to tell: the store's names for the other rows are.
        var result = await new SheetSync(_client, SheetsFixture.SpreadsheetId).SyncAsync(first, store: StoreCompanyNames.Of(Store));

        Assert.Equal(1, result.Unchanged);
        using var rebuilt = RebuiltStore();
        var piped = rebuilt.Companies.List().Take(1).Select(c => SheetCompanyMapper.From(c)).ToList();
        var ex = await Assert.ThrowsAsync<JobSignalException>(() =>
            new SheetSync(_client, SheetsFixture.SpreadsheetId).SyncAsync(piped, store: StoreCompanyNames.Of(rebuilt)));
        Assert.Equal("SheetsStoreMismatch", ex.ErrorId);
    }

    [Fact]
    public async Task A_few_names_a_rep_typed_over_or_a_company_renamed_do_not_stop_the_sync_or_the_import()
    {
        await SyncedAndRejected();
        Tab()["B3"] = "typed over by a rep";
        Tab()["B4"] = "DELTA EXPORT";                // the same company, written another way: agrees

        var result = await SyncAll(Store);
        var imported = Import(Store).Apply(await Import(Store).PlanAsync());

        Assert.Equal(2, result.Updated);
        Assert.Equal("Beta Divisas S.A.", Tab()["B3"]);
        Assert.Equal(1, imported.Frozen);
        Assert.True(Store.Companies.Get(1)!.IsFinal);
    }

    [Fact]
    public async Task A_rebuilt_store_can_be_shown_on_purpose_in_a_new_tab_and_the_old_tab_stays_as_it_was()
    {
        await SyncedAndRejected();
        using var rebuilt = RebuiltStore();

        var result = await SyncAll(rebuilt, "Companies rebuilt");
        var plan = await Import(rebuilt, "Companies rebuilt").PlanAsync();

        Assert.Equal(5, result.Appended);
        Assert.Equal(("5", "Alfa Pagos S.L.", "PENDING"), (Tab("Companies rebuilt")["A2"], Tab("Companies rebuilt")["B2"], Tab("Companies rebuilt")["C2"]));
        Assert.Empty(plan.ResolutionChanges);
        Assert.Equal(("Alfa Pagos S.L.", "REJECTED"), (Tab()["B2"], Tab()["C2"]));
    }

    [Theory]
    [InlineData(1, 1, false)]   // a one-row tab cannot tell a rename from another store
    [InlineData(2, 1, false)]
    [InlineData(2, 2, true)]
    [InlineData(10, 2, false)]
    [InlineData(10, 3, true)]
    [InlineData(35, 7, false)]
    [InlineData(35, 34, true)]
    public void One_row_or_a_fifth_of_the_rows_may_disagree(int rows, int disagreeing, bool refused)
    {
        var store = new StoreCompanyNames(Enumerable.Range(1, rows).ToDictionary(i => i.ToString(), i => $"Company {i}"));
        var sheet = Enumerable.Range(1, rows)
            .Select(i => new SheetKeyedRow(i + 1, i.ToString(), i <= disagreeing ? $"Other {i}" : $"Company {i}")).ToList();

        var failure = Record.Exception(() => SheetStoreCheck.EnsureSameStore("s", "Companies", sheet, store));

        Assert.Equal(refused, failure is JobSignalException { ErrorId: "SheetsStoreMismatch" });
    }

    [Fact]
    public void Rows_without_an_id_or_a_name_are_not_compared()
    {
        var store = new StoreCompanyNames(new Dictionary<string, string> { ["1"] = "Alfa" });
        SheetStoreCheck.EnsureSameStore("s", "Companies",
            [new(2, "1", "Alfa"), new(3, "", "Keyless"), new(4, "77", ""), new(5, "78", null)], store);
    }

    [Theory]
    [InlineData("Alfa Pagos S.L.", "ALFA PAGOS, SL", true)]
    [InlineData("Alfa Pagos S.L.", "Alfa Pagos Iberia S.L.", true)]
    [InlineData("Cámara", "camara", true)]
    [InlineData("Nasa Logística", "SA", false)]
    [InlineData("Alfa Pagos S.L.", "Beta Divisas S.A.", false)]
    public void Names_agree_across_case_accents_punctuation_legal_form_and_an_added_word(string sheet, string store, bool same) =>
        Assert.Equal(same, SheetStoreCheck.SameCompanyName(sheet, store));

    [Fact]
    public async Task A_dry_run_copy_of_another_store_is_refused_naming_the_store_the_user_gave_not_the_copy()
    {
        AddCompanies(Store, Names);
        await new SheetSync(_client, SheetsFixture.SpreadsheetId).SyncAsync(
            Store.Companies.List().Select(c => SheetCompanyMapper.From(c, null)), store: StoreCompanyNames.Of(Store));
        var typo = Folder.File("jobsingal.db");
        using var snapshot = StoreSnapshot.Create(typo);
        Assert.NotEqual(typo, snapshot.Store.Path);

        var ex = await Assert.ThrowsAsync<JobSignalException>(() =>
            new FeedbackImport(snapshot.Store, new SheetFeedbackReader(_client, SheetsFixture.SpreadsheetId)).PlanAsync());

        Assert.Equal((SheetStoreCheck.ErrorId, typo), (ex.ErrorId, snapshot.Store.DisplayPath));
        Assert.StartsWith($"Tab 'Companies' of spreadsheet {SheetsFixture.SpreadsheetId} was not written from the store {typo}: ", ex.Message);
        Assert.False(File.Exists(typo));
    }
}

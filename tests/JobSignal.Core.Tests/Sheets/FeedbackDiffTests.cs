using JobSignal.Core.Sheets;

namespace JobSignal.Core.Tests.Sheets;

public class FeedbackDiffTests
{
    private static FeedbackCompanyState Store(string id, string resolution, params StoredFeedback[] feedback) =>
        new(id, resolution, feedback);

    private static SheetFeedbackRow Row(int row, string id, string? resolution = null, string? feedback = null, string? notes = null) =>
        new(row, id, resolution, feedback, notes);

    [Theory]
    [InlineData("PENDING", "REJECTED", ResolutionTransition.ActiveToFinal)]
    [InlineData("HIGH_INTEREST", "ALREADY_CLIENT", ResolutionTransition.ActiveToFinal)]
    [InlineData("ACCEPTED", "IN_PROGRESS", ResolutionTransition.FinalToActive)]
    [InlineData("PENDING", "HIGH_INTEREST", ResolutionTransition.ActiveToActive)]
    [InlineData("ACCEPTED", "ALREADY_CLIENT", ResolutionTransition.FinalToFinal)]
    public void Resolution_changes_are_classified(string from, string to, ResolutionTransition transition)
    {
        var plan = FeedbackDiff.Plan([Row(2, "c1", to)], [Store("c1", from)]);
        var change = Assert.Single(plan.ResolutionChanges);
        Assert.Equal(new ResolutionChange("c1", 2, from, to, transition), change);
        Assert.True(plan.HasChanges);
        Assert.Equal(0, plan.Unchanged);
    }

    [Fact]
    public void Values_are_read_trimmed_in_any_case()
    {
        var plan = FeedbackDiff.Plan(
            [Row(2, " c1 ", "  rejected "), Row(3, "c2", "in_progress"), Row(4, "c3", "High_Interest", " fp ", "  wrong sector ")],
            [Store("c1", "PENDING"), Store("c2", "PENDING"), Store("c3", "PENDING")]);
        Assert.Equal(new[] { "REJECTED", "IN_PROGRESS", "HIGH_INTEREST" }, plan.ResolutionChanges.Select(c => c.To));
        Assert.Equal("c1", plan.ResolutionChanges[0].CompanyId);
        Assert.Equal(new FeedbackEventChange("c3", 4, "FP", "wrong sector"), Assert.Single(plan.FeedbackEvents));
        Assert.Empty(plan.Warnings);
    }

    [Fact]
    public void Blank_cells_change_nothing()
    {
        var plan = FeedbackDiff.Plan([Row(2, "c1", "   ", "", null)], [Store("c1", "REJECTED")]);
        Assert.False(plan.HasChanges);
        Assert.Equal(1, plan.Unchanged);
        Assert.Equal(1, plan.RowsRead);
    }

    [Fact]
    public void Same_resolution_is_no_change()
    {
        var plan = FeedbackDiff.Plan([Row(2, "c1", "rejected")], [Store("c1", "REJECTED")]);
        Assert.Empty(plan.ResolutionChanges);
        Assert.Equal(1, plan.Unchanged);
    }

    [Fact]
    public void Unknown_values_are_warnings_with_the_row_number()
    {
        var plan = FeedbackDiff.Plan([Row(7, "c1", "MAYBE", "GOOD", "note")], [Store("c1", "PENDING")]);
        Assert.False(plan.HasChanges);
        Assert.Equal(2, plan.Warnings.Count);
        Assert.All(plan.Warnings, w => Assert.Equal(7, w.RowNumber));
        Assert.Contains(plan.Warnings, w => w.Message.Contains("unknown resolution 'MAYBE'") && w.Message.Contains("Row 7"));
        Assert.Contains(plan.Warnings, w => w.Message.Contains("unknown model feedback 'GOOD'"));
    }

    [Fact]
    public void Unknown_company_ids_are_reported_and_the_rest_still_diffed()
    {
        var plan = FeedbackDiff.Plan([Row(2, "ghost", "REJECTED", "FP"), Row(3, "c1", "ACCEPTED")], [Store("c1", "PENDING")]);
        var unknown = Assert.Single(plan.UnknownCompanies);
        Assert.Equal(2, unknown.RowNumber);
        Assert.Equal("ghost", unknown.CompanyId);
        Assert.Equal("c1", Assert.Single(plan.ResolutionChanges).CompanyId);
        Assert.Empty(plan.FeedbackEvents);
    }

    [Fact]
    public void Duplicate_rows_keep_the_first_and_are_reported()
    {
        var plan = FeedbackDiff.Plan([Row(2, "c1", "ACCEPTED"), Row(5, "c1", "REJECTED", "FN")], [Store("c1", "PENDING")]);
        Assert.Equal("ACCEPTED", Assert.Single(plan.ResolutionChanges).To);
        var duplicate = Assert.Single(plan.DuplicateRows);
        Assert.Equal(5, duplicate.RowNumber);
        Assert.Contains("row 2", duplicate.Message);
        Assert.Empty(plan.FeedbackEvents);
    }

    [Fact]
    public void Feedback_events_are_deduplicated_on_company_value_and_notes()
    {
        var store = new[]
        {
            Store("c1", "PENDING", new StoredFeedback("FP", "wrong sector")),
            Store("c2", "PENDING", new StoredFeedback("FP", "wrong sector")),
            Store("c3", "PENDING", new StoredFeedback(null, "just a note")),
        };
        var plan = FeedbackDiff.Plan(
        [
            Row(2, "c1", feedback: "fp", notes: " wrong sector "),   // already stored
            Row(3, "c2", feedback: "FP", notes: "other reason"),     // new notes: new event
            Row(4, "c3", notes: "just a note"),                       // a note without a verdict, stored
            Row(5, "c4", feedback: "OK"),
        ], [.. store, Store("c4", "PENDING")]);
        Assert.Equal(new[]
        {
            new FeedbackEventChange("c2", 3, "FP", "other reason"),
            new FeedbackEventChange("c4", 5, "OK", null),
        }, plan.FeedbackEvents);
        Assert.Equal(2, plan.Unchanged);
    }

    [Fact]
    public void Applying_the_plan_then_diffing_again_changes_nothing()
    {
        var rows = new[]
        {
            Row(2, "c1", "REJECTED", "FP", "not a payer"),
            Row(3, "c2", "in_progress", "OK"),
            Row(4, "c3", "", "", ""),
            Row(5, "c4", "ACCEPTED", null, "loves it"),
        };
        var store = new Dictionary<string, FeedbackCompanyState>
        {
            ["c1"] = Store("c1", "PENDING"),
            ["c2"] = Store("c2", "ACCEPTED"),
            ["c3"] = Store("c3", "HIGH_INTEREST"),
            ["c4"] = Store("c4", "ACCEPTED", new StoredFeedback("OK", null)),
        };
        var first = FeedbackDiff.Plan(rows, store.Values);
        Assert.Equal(new[] { "c1", "c2" }, first.ResolutionChanges.Select(c => c.CompanyId));
        Assert.Equal(new[] { "c1", "c2", "c4" }, first.FeedbackEvents.Select(e => e.CompanyId));

        foreach (var change in first.ResolutionChanges) store[change.CompanyId] = store[change.CompanyId] with { Resolution = change.To };
        foreach (var e in first.FeedbackEvents)
            store[e.CompanyId] = store[e.CompanyId] with { Feedback = [.. store[e.CompanyId].Feedback, new StoredFeedback(e.Value, e.Notes)] };

        var second = FeedbackDiff.Plan(rows, store.Values);
        Assert.False(second.HasChanges);
        Assert.Equal(4, second.Unchanged);
    }
}

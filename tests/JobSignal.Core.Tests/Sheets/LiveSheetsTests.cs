using JobSignal.Core.Sheets;

namespace JobSignal.Core.Tests.Sheets;

/// <summary>Runs only when a real spreadsheet and key file are configured; skipped otherwise.</summary>
public sealed class LiveSheetsFactAttribute : FactAttribute
{
    public const string SpreadsheetVariable = "JOBSIGNAL_LIVE_SPREADSHEET_ID";
    public const string CredentialVariable = "GOOGLE_APPLICATION_CREDENTIALS";

    public LiveSheetsFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(SpreadsheetVariable))
            || string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(CredentialVariable)))
            Skip = $"Live Google Sheets test: set {SpreadsheetVariable} and {CredentialVariable} to run it.";
    }
}

public class LiveSheetsTests
{
    [LiveSheetsFact]
    public async Task Syncs_to_the_real_Sheets_API_and_a_second_sync_changes_nothing()
    {
        var spreadsheetId = Environment.GetEnvironmentVariable(LiveSheetsFactAttribute.SpreadsheetVariable)!;
        using var client = SheetsClient.FromServiceAccountKeyFile(Environment.GetEnvironmentVariable(LiveSheetsFactAttribute.CredentialVariable)!);
        // A fixed tab, reused run after run: the first run creates it, every run must then find nothing to change.
        var options = new SheetSyncOptions { SheetName = "JobSignal live test" };
        var companies = new[]
        {
            SheetsFixture.Company("live-1", score: 9, name: "=Live FX S.L."),
            SheetsFixture.Company("live-2", score: 4),
            SheetsFixture.Company("live-3", score: 0, url: "not a link"),
        };

        var first = await new SheetSync(client, spreadsheetId, options).SyncAsync(companies);
        Assert.Empty(first.Errors);
        var second = await new SheetSync(client, spreadsheetId, options).SyncAsync(companies);

        Assert.Equal((0, 0, 3), (second.Appended, second.Updated, second.Unchanged));
        Assert.Equal(2, second.Requests);
        var rows = await new SheetFeedbackReader(client, spreadsheetId, options).ReadAsync();
        Assert.Equal(new[] { "live-1", "live-2", "live-3" }, rows.Select(r => r.CompanyId).Order());
    }
}

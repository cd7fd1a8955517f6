using JobSignal.Core.Common;
using JobSignal.Core.Sheets;
using JobSignal.TestFakes;

namespace JobSignal.Core.Tests.Sheets;

/// <summary>
/// A fake Google (token endpoint + Sheets) with one spreadsheet, a throw-away service account whose key file points
/// at it, and clients whose back-off waits are recorded instead of slept.
/// </summary>
internal sealed class SheetsFixture : IDisposable
{
    public const string SpreadsheetId = "spreadsheet-under-test";

    public SheetsFixture()
    {
        Directory = Path.Combine(Path.GetTempPath(), "jobsignal-sheets-" + Guid.NewGuid().ToString("n"));
        Spreadsheet = Server.AddSpreadsheet(SpreadsheetId);
        Account = FakeServiceAccount.Create(Server, Directory);
    }

    public FakeGoogleServer Server { get; } = new();
    public FakeSpreadsheet Spreadsheet { get; }
    public FakeServiceAccount Account { get; }
    public string Directory { get; }
    public List<TimeSpan> Waits { get; } = [];

    public SheetsClient CreateClient(int maxRetries = 4) =>
        SheetsClient.FromServiceAccountKeyFile(Account.KeyFilePath, new SheetsClientOptions
        {
            BaseUri = Server.BaseUri,
            RetryPolicy = new RetryPolicy(maxRetries, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), jitter: 0,
                wait: (delay, _) => { lock (Waits) Waits.Add(delay); return Task.CompletedTask; }),
        });

    public static SheetCompany Company(string id, int score = 5, string? name = null, string? resolution = null,
        int strong = 1, int unique = 2, int activity = 3, string? url = null, string? category = "Pagos internacionales",
        DateTimeOffset? lastStrongAt = null, string evidence = "USD, pagos internacionales") =>
        new(id, name ?? "Company " + id, resolution, score, strong, unique, activity,
            url ?? $"https://www.infojobs.net/offer/{id}", category,
            lastStrongAt ?? new DateTimeOffset(2024, 5, 3, 10, 30, 0, TimeSpan.Zero), evidence);

    public void Dispose()
    {
        Server.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}

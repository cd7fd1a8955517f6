using JobSignal.Core.Common;
using JobSignal.Core.Ingestion;

namespace JobSignal.Core.Sheets;

/// <summary>One keyed row of the tab as the store check sees it: its 1-based row number, company id and name.</summary>
public sealed record SheetKeyedRow(int RowNumber, string CompanyId, string? Name);

/// <summary>Every company of a store by Sheet key (<see cref="SheetCompanyMapper.SheetKey"/>) with its display name, and the store's path when known.</summary>
public sealed record StoreCompanyNames(IReadOnlyDictionary<string, string> Names, string? StorePath = null)
{
    public static StoreCompanyNames Of(Store.SignalStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return new StoreCompanyNames(store.Companies.List()
            .ToDictionary(c => SheetCompanyMapper.SheetKey(c.CompanyId), c => c.Name, StringComparer.Ordinal), store.DisplayPath);
    }
}

/// <summary>
/// Refuses a Sheet whose rows were written from another store. Company ids are local to a store: against another
/// or a rebuilt store (a mistyped -DatabasePath, an unset $env:JOBSIGNAL_DB, the same offers ingested in another
/// order) the same id names another company, and a sync would rewrite the names while the reps' resolution and notes
/// stay on the row, then an import would apply them to the wrong company. So before either writes anything, each
/// keyed row's name is compared with the store's name for that id: the name is what the Sheet's rows were written
/// with, and it is what tells whether an id still means the company the reps wrote about.
/// </summary>
public static class SheetStoreCheck
{
    public const string ErrorId = "SheetsStoreMismatch";

    /// <summary>
    /// Rows that may disagree before the Sheet counts as another store's: a rep may type over a name cell and a
    /// company's display name may change, so one row, or a fifth of the compared rows, is tolerated; more are not
    /// a few renames but ids that mean other companies.
    /// </summary>
    public static int Tolerated(int compared) => Math.Max(1, compared / 5);

    /// <summary>
    /// Throws <see cref="ErrorId"/> when too many of <paramref name="rows"/> disagree with the store: a row disagrees
    /// when its id is not a company of the store or its name is not the store's name for the id. Rows without a name
    /// are not compared (nothing to tell). Call it before writing anything to the Sheet or the store.
    /// </summary>
    public static void EnsureSameStore(string spreadsheetId, string sheetName, IEnumerable<SheetKeyedRow> rows, StoreCompanyNames store)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(store);
        var storeNames = store.Names;
        var compared = 0;
        var disagreeing = new List<string>();
        foreach (var row in rows)
        {
            var key = row.CompanyId.Trim();
            if (key.Length == 0 || string.IsNullOrWhiteSpace(row.Name)) continue;
            compared++;
            if (!storeNames.TryGetValue(key, out var stored))
                disagreeing.Add($"row {row.RowNumber}: id {key} ('{row.Name!.Trim()}') is not a company of the store");
            else if (!SameCompanyName(row.Name!, stored))
                disagreeing.Add($"row {row.RowNumber}: id {key} is '{row.Name!.Trim()}' in the Sheet but '{stored}' in the store");
        }
        if (disagreeing.Count <= Tolerated(compared)) return;

        const int shown = 3;
        var examples = string.Join("; ", disagreeing.Take(shown)) + (disagreeing.Count > shown ? "; ..." : "");
        throw new JobSignalException(ErrorId, FailureKind.InvalidOperation,
            $"Tab '{sheetName}' of spreadsheet {spreadsheetId} was not written from {(store.StorePath is { } path ? "the store " + path : "this store")}: "
            + $"{disagreeing.Count} of its {compared} company rows do not match the store's companies ({examples}). "
            + "Company ids are local to a store, so nothing was written: the reps' resolutions and notes would land on other companies.",
            spreadsheetId,
            "Check -DatabasePath and $env:JOBSIGNAL_DB: use the store this Sheet was synced from. To show this store on purpose, "
            + "sync it to a new tab (-SheetName) or another spreadsheet, and import feedback from that tab.");
    }

    /// <summary>
    /// Whether two names are the same company's: equal once normalized as identities are (case, accents,
    /// punctuation, legal form), or one containing the other ("Acme" and "Acme Iberia"), as a renamed company's would.
    /// </summary>
    public static bool SameCompanyName(string sheetName, string storeName)
    {
        var a = CompanyIdentity.NormalizeName(sheetName);
        var b = CompanyIdentity.NormalizeName(storeName);
        if (a is null || b is null) return string.Equals(sheetName.Trim(), storeName.Trim(), StringComparison.OrdinalIgnoreCase);
        if (a == b) return true;
        // Whole words only: "sa" must not match inside "nasa".
        return (" " + a + " ").Contains(" " + b + " ", StringComparison.Ordinal)
               || (" " + b + " ").Contains(" " + a + " ", StringComparison.Ordinal);
    }
}

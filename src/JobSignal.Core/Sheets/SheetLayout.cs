using JobSignal.Core.Domain;
using System.Globalization;

namespace JobSignal.Core.Sheets;

/// <summary>The columns of the companies tab, left to right (SPEC 9.1).</summary>
public enum SheetColumnKey
{
    CompanyId,
    Name,
    Resolution,
    MaxScore,
    StrongOffers,
    UniqueOffers,
    PostingActivity,
    TopOfferUrl,
    TopCategory,
    LastStrongAt,
    Evidence,
    ModelFeedback,
    ModelNotes,
}

/// <summary>One column: its position (0-based), letter, header text, and who owns its cells.</summary>
public sealed record SheetColumn(SheetColumnKey Key, int Index, string Header, bool RepOwned)
{
    public string Letter => A1Notation.ColumnLetter(Index);
}

/// <summary>
/// The column layout of the companies tab in one header language. System-owned cells are written by every sync
/// when their value changed; rep-owned cells (resolution, model feedback, notes) are written only when a row is
/// first appended, and read back by the feedback import. Columns to the right of the layout belong to the reps.
/// </summary>
public sealed class SheetLayout
{
    public const string DefaultSheetName = "Companies";

    // Declared before the layouts: static fields initialize in order.
    private static readonly SheetColumnKey[] RepOwnedKeys =
        [SheetColumnKey.Resolution, SheetColumnKey.ModelFeedback, SheetColumnKey.ModelNotes];

    public static readonly SheetLayout Spanish = new("es",
        ["ID Empresa", "Empresa", "Resolución", "Score máx.", "Ofertas fuertes", "Ofertas únicas",
         "Actividad publicaciones", "URL Oferta Top", "Categoría top", "Última señal fuerte", "Evidencias",
         "Feedback Modelo", "Notas Modelo"]);

    public static readonly SheetLayout English = new("en",
        ["Company ID", "Company", "Resolution", "Max score", "Strong offers", "Unique offers",
         "Posting activity", "Top offer URL", "Top category", "Last strong signal", "Evidence",
         "Model feedback", "Model notes"]);

    private SheetLayout(string language, string[] headers)
    {
        Language = language;
        Columns = Enum.GetValues<SheetColumnKey>()
            .Select((key, i) => new SheetColumn(key, i, headers[i], RepOwnedKeys.Contains(key)))
            .ToArray();
    }

    /// <summary>The header language: <c>es</c> (default) or <c>en</c>.</summary>
    public string Language { get; }
    public IReadOnlyList<SheetColumn> Columns { get; }
    public IReadOnlyList<string> Headers => Columns.Select(c => c.Header).ToArray();
    public int ColumnCount => Columns.Count;
    public SheetColumn this[SheetColumnKey key] => Columns[(int)key];
    public string LastColumnLetter => Columns[^1].Letter;

    /// <summary>The layout for a header language (<c>es</c> or <c>en</c>, any case).</summary>
    public static SheetLayout ForLanguage(string? language) =>
        (language ?? "es").Trim().ToLowerInvariant() switch
        {
            "es" or "" => Spanish,
            "en" => English,
            _ => throw new ArgumentException($"Unknown header language '{language}': use 'es' or 'en'.", nameof(language)),
        };

    /// <summary>The cells of a company's row, left to right; rep-owned cells hold what a first append writes.</summary>
    public IReadOnlyList<SheetCellValue> RowFor(SheetCompany company)
    {
        var resolution = Resolution.TryParse(company.Resolution, out var parsed) ? parsed : Resolution.Pending;
        return Columns.Select(column => column.Key switch
        {
            SheetColumnKey.CompanyId => SheetCellValue.Text(company.CompanyId.Trim()),
            SheetColumnKey.Name => SheetCellValue.Text(company.Name),
            SheetColumnKey.Resolution => SheetCellValue.Text(resolution),
            SheetColumnKey.MaxScore => company.MaxScore is { } score ? SheetCellValue.Number(score) : SheetCellValue.Empty,
            SheetColumnKey.StrongOffers => SheetCellValue.Number(company.StrongOffers),
            SheetColumnKey.UniqueOffers => SheetCellValue.Number(company.UniqueOffers),
            SheetColumnKey.PostingActivity => SheetCellValue.Number(company.OfferCount),
            SheetColumnKey.TopOfferUrl => SheetCellValue.Link(company.TopOfferUrl),
            SheetColumnKey.TopCategory => SheetCellValue.Text(company.TopCategoryLabel),
            SheetColumnKey.LastStrongAt => company.LastStrongAt is { } at
                ? SheetCellValue.Date(DateOnly.FromDateTime(at.UtcDateTime)) : SheetCellValue.Empty,
            SheetColumnKey.Evidence => SheetCellValue.Text(company.EvidenceTerms?.Trim()),
            _ => SheetCellValue.Empty,
        }).ToArray();
    }

    /// <summary>
    /// Null when <paramref name="found"/> (row 1 as read) starts with this layout's headers (trimmed, any case);
    /// otherwise a message listing every column that differs, expected against found.
    /// </summary>
    public string? DescribeHeaderMismatch(IReadOnlyList<object?> found, string sheetName)
    {
        var differences = HeaderDifferences(found);
        if (differences.Count == 0) return null;
        var other = ReferenceEquals(this, Spanish) ? English : Spanish;
        var hint = other.HeaderDifferences(found).Count == 0
            ? $" The header is the '{other.Language}' one: use -HeaderLanguage {other.Language}." : "";
        return $"The header row of tab '{sheetName}' does not match the '{Language}' layout: "
               + string.Join("; ", differences) + "." + hint;
    }

    private List<string> HeaderDifferences(IReadOnlyList<object?> found) => Columns
        .Select(c => (Column: c, Found: c.Index < found.Count ? SheetCellValue.AsText(found[c.Index]) : ""))
        .Where(x => !string.Equals(x.Found, x.Column.Header, StringComparison.OrdinalIgnoreCase))
        .Select(x => $"column {x.Column.Letter}: expected '{x.Column.Header}', found '{x.Found}'")
        .ToList();
}

/// <summary>A1 notation for ranges of a named tab (quotes doubled, so any tab name works).</summary>
public static class A1Notation
{
    /// <summary>0 -> A, 25 -> Z, 26 -> AA.</summary>
    public static string ColumnLetter(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var letters = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
            letters = (char)('A' + (n - 1) % 26) + letters;
        return letters;
    }

    public static string Tab(string sheetName) => "'" + sheetName.Replace("'", "''") + "'";

    /// <summary>Columns <paramref name="firstColumn"/>..<paramref name="lastColumn"/> (0-based) of one row (1-based).</summary>
    public static string RowSpan(string sheetName, int row, int firstColumn, int lastColumn) =>
        Tab(sheetName) + "!" + ColumnLetter(firstColumn) + row.ToString(CultureInfo.InvariantCulture)
        + (lastColumn == firstColumn ? "" : ":" + ColumnLetter(lastColumn) + row.ToString(CultureInfo.InvariantCulture));

    /// <summary>Whole columns, e.g. <c>'Companies'!A:A</c>.</summary>
    public static string Columns(string sheetName, int firstColumn, int lastColumn) =>
        Tab(sheetName) + "!" + ColumnLetter(firstColumn) + ":" + ColumnLetter(lastColumn);
}

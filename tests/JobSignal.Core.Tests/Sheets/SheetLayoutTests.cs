using JobSignal.Core.Sheets;

namespace JobSignal.Core.Tests.Sheets;

public class SheetLayoutTests
{
    [Fact]
    public void Spanish_headers_are_the_specified_ones_in_order()
    {
        Assert.Equal(new[]
        {
            "ID Empresa", "Empresa", "Resolución", "Score máx.", "Ofertas fuertes", "Ofertas únicas",
            "Actividad publicaciones", "URL Oferta Top", "Categoría top", "Última señal fuerte", "Evidencias",
            "Feedback Modelo", "Notas Modelo",
        }, SheetLayout.Spanish.Headers);
        Assert.Same(SheetLayout.Spanish, SheetLayout.ForLanguage(null));
        Assert.Same(SheetLayout.English, SheetLayout.ForLanguage(" EN "));
        Assert.Throws<ArgumentException>(() => SheetLayout.ForLanguage("fr"));
    }

    [Fact]
    public void Only_resolution_feedback_and_notes_are_rep_owned()
    {
        Assert.Equal(new[] { "C", "L", "M" }, SheetLayout.English.Columns.Where(c => c.RepOwned).Select(c => c.Letter));
        Assert.Equal("M", SheetLayout.English.LastColumnLetter);
    }

    [Theory]
    [InlineData(0, "A")]
    [InlineData(25, "Z")]
    [InlineData(26, "AA")]
    [InlineData(701, "ZZ")]
    [InlineData(702, "AAA")]
    public void Column_letters(int index, string letters) => Assert.Equal(letters, A1Notation.ColumnLetter(index));

    [Fact]
    public void Tab_names_are_quoted_with_doubled_apostrophes()
    {
        Assert.Equal("'Leads ''Q3'''!D5:G5", A1Notation.RowSpan("Leads 'Q3'", 5, 3, 6));
        Assert.Equal("'Companies'!C2", A1Notation.RowSpan("Companies", 2, 2, 2));
        Assert.Equal("'Companies'!A:M", A1Notation.Columns("Companies", 0, 12));
    }

    [Fact]
    public void A_row_holds_typed_values()
    {
        var company = new SheetCompany(" 42 ", "=IMPORTXML(\"http://evil\")", "rejected", 8, 2, 3, 5,
            "https://www.infojobs.net/o?id=\"x\"", "Pagos", new DateTimeOffset(2024, 5, 3, 23, 30, 0, TimeSpan.FromHours(-2)),
            "USD, SWIFT");
        var row = SheetLayout.Spanish.RowFor(company).Select(v => v.ToUserEntered()).ToArray();
        Assert.Equal(new object[]
        {
            "'42", "'=IMPORTXML(\"http://evil\")", "'REJECTED", 8L, 2L, 3L, 5L,
            "=HYPERLINK(\"https://www.infojobs.net/o?id=\"\"x\"\"\")", "'Pagos",
            45416L, // 2024-05-04 in UTC (23:30 at -02:00), days since 1899-12-30
            "'USD, SWIFT", "", "",
        }, row);
    }

    [Fact]
    public void Missing_values_and_unknown_resolution_become_empty_cells_and_pending()
    {
        var row = SheetLayout.English.RowFor(new SheetCompany("7", "Acme", "maybe", null, 0, 0, 0, "not a url", null, null, null));
        Assert.Equal("'PENDING", row[2].ToUserEntered());
        Assert.Same(SheetCellValue.Empty, row[3]);
        Assert.Equal("'not a url", row[7].ToUserEntered());
        Assert.Same(SheetCellValue.Empty, row[8]);
        Assert.Same(SheetCellValue.Empty, row[9]);
        Assert.Same(SheetCellValue.Empty, row[10]);
    }

    [Fact]
    public void Values_match_what_Sheets_reads_back()
    {
        Assert.True(SheetCellValue.Text("Acme").Matches("Acme"));
        Assert.False(SheetCellValue.Text("Acme").Matches("acme"));
        Assert.True(SheetCellValue.Number(7).Matches(7.0));
        Assert.False(SheetCellValue.Number(7).Matches("7"));
        Assert.True(SheetCellValue.Date(new DateOnly(2024, 5, 3)).Matches(45415.0));
        Assert.True(SheetCellValue.Empty.Matches(null));
        Assert.True(SheetCellValue.Empty.Matches(""));
        Assert.False(SheetCellValue.Empty.Matches(0.0));
        Assert.True(SheetCellValue.Link("https://x.test/a").Matches("=HYPERLINK(\"https://x.test/a\")"));
        Assert.Equal("42", SheetCellValue.AsText(42.0));
        Assert.Equal("4.5", SheetCellValue.AsText(4.5));
    }

    [Fact]
    public void Header_mismatch_lists_expected_against_found_and_hints_the_other_language()
    {
        var english = SheetLayout.English.Headers.Cast<object?>().ToList();
        var message = SheetLayout.Spanish.DescribeHeaderMismatch(english, "Companies");
        Assert.NotNull(message);
        Assert.Contains("column A: expected 'ID Empresa', found 'Company ID'", message);
        Assert.Contains("-HeaderLanguage en", message);

        var renamed = SheetLayout.Spanish.Headers.Cast<object?>().ToList();
        renamed[2] = "Estado";
        message = SheetLayout.Spanish.DescribeHeaderMismatch(renamed, "Companies");
        Assert.Equal("The header row of tab 'Companies' does not match the 'es' layout: column C: expected 'Resolución', found 'Estado'.", message);

        var relaxed = SheetLayout.Spanish.Headers.Select(h => (object?)(" " + h.ToUpperInvariant() + " ")).Append("Mi columna").ToList();
        Assert.Null(SheetLayout.Spanish.DescribeHeaderMismatch(relaxed, "Companies"));
    }
}

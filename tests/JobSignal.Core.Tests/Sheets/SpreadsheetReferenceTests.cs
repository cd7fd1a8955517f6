using JobSignal.Core.Common;
using JobSignal.Core.Sheets;

namespace JobSignal.Core.Tests.Sheets;

public sealed class SpreadsheetReferenceTests
{
    [Theory]
    [InlineData("1AbC-d_Ef", "1AbC-d_Ef")]
    [InlineData("  1AbC-d_Ef \t", "1AbC-d_Ef")]
    [InlineData("https://docs.google.com/spreadsheets/d/1AbC-d_Ef/edit#gid=0", "1AbC-d_Ef")]
    [InlineData("https://docs.google.com/spreadsheets/d/1AbC-d_Ef/edit?usp=sharing", "1AbC-d_Ef")]
    [InlineData("https://docs.google.com/spreadsheets/d/1AbC-d_Ef", "1AbC-d_Ef")]
    [InlineData("https://docs.google.com/spreadsheets/u/1/d/1AbC-d_Ef/edit", "1AbC-d_Ef")]
    [InlineData("docs.google.com/spreadsheets/d/1AbC-d_Ef/", "1AbC-d_Ef")]
    public void A_bare_id_or_a_Sheet_URL_gives_the_id(string given, string id) =>
        Assert.Equal(id, SpreadsheetReference.Parse(given));

    [Theory]
    [InlineData("https://docs.google.com/document/d/1AbC/edit")]
    [InlineData("https://example.com/spreadsheets/d/1AbC/edit")]
    [InlineData("1AbC/edit")]
    public void Another_URL_or_path_is_refused_with_a_clear_message(string given)
    {
        var ex = Assert.Throws<JobSignalException>(() => SpreadsheetReference.Parse(given));
        Assert.Equal("SheetsSpreadsheetIdInvalid", ex.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, ex.Kind);
        Assert.Contains("not a spreadsheet id nor a Google Sheet's URL", ex.Message);
        Assert.Equal(given, ex.Target);
    }
}

using JobSignal.Core.Store;

namespace JobSignal.Core.Tests.Store;

public class DatabasePathArgumentTests
{
    private static readonly string Default = Path.Combine(Path.GetTempPath(), "appdata", "JobSignal", "jobsignal.db");

    [Fact]
    public void The_default_store_needs_no_argument()
    {
        Assert.Equal("", DatabasePathArgument.For(Default, Default));
        // The same file written another way is still the default store.
        var roundabout = Path.Combine(Path.GetTempPath(), "appdata", "JobSignal", "..", "JobSignal", "jobsignal.db");
        Assert.Equal("", DatabasePathArgument.For(roundabout, Default));
    }

    [Fact]
    public void Another_store_is_named_as_a_quoted_DatabasePath()
    {
        var store = Path.Combine(Path.GetTempPath(), "leads", "jobsignal.db");
        Assert.Equal($" -DatabasePath '{store}'", DatabasePathArgument.For(store, Default));
    }

    [Fact]
    public void Single_quotes_in_the_path_are_doubled_as_PowerShell_reads_them_typographic_ones_included()
    {
        var store = Path.Combine(Path.GetTempPath(), "O'Brien \u2019s leads", "jobsignal.db");
        var expected = Path.Combine(Path.GetTempPath(), "O''Brien \u2019\u2019s leads", "jobsignal.db");
        Assert.Equal($" -DatabasePath '{expected}'", DatabasePathArgument.For(store, Default));
    }
}

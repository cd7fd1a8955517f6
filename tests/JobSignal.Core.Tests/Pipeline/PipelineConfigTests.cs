using System.Collections;
using JobSignal.Core.Common;
using JobSignal.Core.Pipeline;

namespace JobSignal.Core.Tests.Pipeline;

public class PipelineConfigTests
{
    private static Hashtable Query(string key, string q) => new() { ["Key"] = key, ["Query"] = q };

    [Fact]
    public void Reads_queries_with_defaults()
    {
        var config = PipelineConfig.FromDictionary(new Hashtable
        {
            ["Queries"] = new object[]
            {
                new Hashtable { ["key"] = "fx-madrid", ["Query"] = "pagos internacionales", ["Provinces"] = new object[] { "madrid", "barcelona" }, ["Since"] = "_7_DAYS", ["MaxPages"] = 3 },
                Query("swift", "swift"),
            },
            ["Sheet"] = new Hashtable { ["SpreadsheetId"] = "abc", ["HeaderLanguage"] = "EN" },
        }, "test.psd1");

        Assert.Equal(2, config.Queries.Count);
        var first = config.Queries[0];
        Assert.Equal("fx-madrid", first.Key);
        Assert.Equal(new[] { "madrid", "barcelona" }, first.Provinces);
        Assert.Equal("_7_DAYS", first.Since);
        Assert.Equal(3, first.MaxPages);
        Assert.Equal(PipelineConfig.DefaultMaxOffers, first.MaxOffers);
        Assert.Empty(config.Queries[1].Provinces);
        Assert.Equal("abc", config.Sheet.SpreadsheetId);
        Assert.Equal("Companies", config.Sheet.SheetName);
        Assert.Equal("en", config.Sheet.HeaderLanguage);
        Assert.True(config.SyncSheet);
        Assert.True(config.ImportFeedback);
        Assert.Equal(4, config.DetailConcurrency);
    }

    [Fact]
    public void A_single_query_hashtable_is_accepted_as_a_list_of_one()
    {
        var config = PipelineConfig.FromDictionary(new Hashtable { ["Queries"] = Query("one", "usd") }, "x");
        Assert.Equal("one", Assert.Single(config.Queries).Key);
    }

    [Fact]
    public void Reports_every_problem_at_once_with_its_path()
    {
        var ex = Assert.Throws<JobSignalException>(() => PipelineConfig.FromDictionary(new Hashtable
        {
            ["Queris"] = 1,
            ["Queries"] = new object[] { Query("a", "x"), Query("A", "y"), new Hashtable { ["Query"] = "z", ["MaxPages"] = 0 }, "oops" },
            ["Sheet"] = new Hashtable { ["HeaderLanguage"] = "fr", ["CredentialPath"] = " ", ["SheetName"] = " " },
            ["Feedback"] = new Hashtable { ["Enabled"] = "yes" },
            ["DatabasePath"] = "",
            ["CatalogPath"] = null,
        }, "bad.psd1"));

        Assert.Equal("PipelineConfigInvalid", ex.ErrorId);
        Assert.Equal("bad.psd1", ex.Target);
        Assert.Contains("Queris: unknown setting", ex.Message);
        Assert.Contains("Queries[1].Key: duplicate key 'A'", ex.Message);
        Assert.Contains("Queries[2].Key: required", ex.Message);
        Assert.Contains("Queries[2].MaxPages: 0 is outside 1-1000", ex.Message);
        Assert.Contains("Queries[3]: expected a hashtable", ex.Message);
        Assert.Contains("Sheet.HeaderLanguage: 'fr' is not es or en", ex.Message);
        Assert.Contains("Feedback.Enabled: expected $true or $false", ex.Message);
        // An empty path is no default (a variable that expanded to nothing); $null is.
        Assert.Contains("DatabasePath: empty; leave the key out (or set it to $null) for the default", ex.Message);
        Assert.Contains("Sheet.CredentialPath: empty;", ex.Message);
        // A blank tab name is refused, as -SheetName refuses it, instead of writing to 'Companies'.
        Assert.Contains("Sheet.SheetName: empty; leave the key out (or set it to $null) for the Companies tab", ex.Message);
        Assert.DoesNotContain("CatalogPath", ex.Message);
    }

    [Fact]
    public void Queries_are_required()
    {
        var ex = Assert.Throws<JobSignalException>(() => PipelineConfig.FromDictionary(new Hashtable(), "empty.psd1"));
        Assert.Contains("Queries: required", ex.Message);
    }

    private static string Problems(Hashtable data) =>
        Assert.Throws<JobSignalException>(() => PipelineConfig.FromDictionary(data, "bad.psd1")).Message;

    [Fact]
    public void Reports_unknown_keys_inside_sections_with_their_path_and_the_close_known_key()
    {
        var message = Problems(new Hashtable
        {
            ["Queries"] = new object[] { new Hashtable { ["Key"] = "k", ["Querry"] = "pagos", ["MaxOfers"] = 5, ["Colour"] = "red" } },
            ["Infojobs"] = new Hashtable { ["DetailConcurency"] = 1 },
            ["Sheet"] = new Hashtable { ["Enable"] = false, ["SpreadsheetID"] = "x", ["Credential"] = "k.json" },
            ["Lock"] = new Hashtable { ["TTLMinute"] = 1 },
            ["Feedback"] = new Hashtable { ["enabled"] = true, ["Enbled"] = true },
            ["SpreadsheetId"] = "x",
        });

        Assert.Contains("Queries[0].Querry: unknown setting (did you mean Query?)", message);
        Assert.Contains("Queries[0].MaxOfers: unknown setting (did you mean MaxOffers?)", message);
        Assert.Contains("Queries[0].Colour: unknown setting (expected one of Key, Query, Provinces, Categories, Since, Order, MaxPages, MaxOffers)", message);
        Assert.Contains("Infojobs.DetailConcurency: unknown setting (did you mean DetailConcurrency?)", message);
        Assert.Contains("Sheet.Enable: unknown setting (did you mean Enabled?)", message);
        Assert.Contains("Sheet.Credential: unknown setting (did you mean CredentialPath?)", message);
        Assert.Contains("Lock.TTLMinute: unknown setting (did you mean TtlMinutes?)", message);
        Assert.Contains("Feedback.Enbled: unknown setting (did you mean Enabled?)", message);
        Assert.Contains("SpreadsheetId: unknown setting (did you mean Sheet.SpreadsheetId?)", message);
        // Keys are case-insensitive, as in PowerShell hashtables.
        Assert.DoesNotContain("SpreadsheetID", message);
        Assert.DoesNotContain("Feedback.enabled", message);
    }

    [Theory]
    [InlineData("LAST_WEEK", "Queries[0].Since: 'LAST_WEEK' is neither a date nor one of _24_HOURS, _7_DAYS, _15_DAYS, ANY.")]
    [InlineData("2099-01-01", "Queries[0].Since: The date 2099-01-01 00:00 UTC is in the future")]
    public void Checks_Since_when_it_loads(string since, string expected)
    {
        var query = Query("k", "x");
        query["Since"] = since;
        Assert.Contains(expected, Problems(new Hashtable { ["Queries"] = query }));
    }

    [Fact]
    public void Accepts_the_Since_forms_the_query_takes()
    {
        var queries = new[] { "_7_DAYS", "any", "24_HOURS", "2024-01-15" }
            .Select((since, i) => new Hashtable { ["Key"] = "k" + i, ["Since"] = since }).ToArray<object>();
        var config = PipelineConfig.FromDictionary(new Hashtable { ["Queries"] = queries }, "x");
        Assert.Equal("2024-01-15", config.Queries[3].Since);
    }

    [Fact]
    public void Checks_base_URIs_and_the_shape_of_province_and_category_keys_when_it_loads()
    {
        var message = Problems(new Hashtable
        {
            ["Queries"] = new Hashtable { ["Key"] = "k", ["Provinces"] = "madrid, barcelona", ["Categories"] = new object[] { "ok", "comercial y ventas", new Hashtable() } },
            ["Infojobs"] = new Hashtable { ["BaseUri"] = "not a uri" },
            ["Sheet"] = new Hashtable { ["BaseUri"] = "::bad" },
        });
        Assert.Contains("Infojobs.BaseUri: 'not a uri' is not an absolute http or https URI", message);
        Assert.Contains("Sheet.BaseUri: '::bad' is not an absolute http or https URI", message);
        Assert.Contains("Queries[0].Provinces[0]: 'madrid, barcelona' is not one InfoJobs key", message);
        Assert.Contains("Queries[0].Categories[1]: 'comercial y ventas' is not one InfoJobs key", message);
        Assert.Contains("Queries[0].Categories[2]: expected non-empty text", message);
        Assert.DoesNotContain("Categories[0]", message);

        foreach (var uri in new[] { "ftp://x/", "api/infojobs", "/srv/api" })
            Assert.Contains($"Infojobs.BaseUri: '{uri}' is not an absolute http or https URI",
                Problems(new Hashtable { ["Queries"] = Query("k", "x"), ["Infojobs"] = new Hashtable { ["BaseUri"] = uri } }));
        var withToken = Problems(new Hashtable { ["Queries"] = Query("k", "x"), ["Infojobs"] = new Hashtable { ["BaseUri"] = "ftp://mirror:S3cretT0ken@x/" } });
        Assert.Contains("Infojobs.BaseUri: 'ftp://***@x/' is not an absolute http or https URI", withToken);
        Assert.DoesNotContain("S3cretT0ken", withToken);
        var config = PipelineConfig.FromDictionary(new Hashtable
        {
            ["Queries"] = Query("k", "x"),
            ["Infojobs"] = new Hashtable { ["BaseUri"] = "http://127.0.0.1:5000/" },
            ["Sheet"] = new Hashtable { ["BaseUri"] = "https://sheets.example/" },
        }, "x");
        Assert.Equal("http://127.0.0.1:5000/", config.InfojobsBaseUri);
        Assert.Equal("https://sheets.example/", config.Sheet.BaseUri);
    }

    [Fact]
    public void Refuses_a_blank_query_an_order_InfoJobs_does_not_know_a_blank_tab_and_a_URL_that_is_no_Google_Sheet()
    {
        var ex = Assert.Throws<JobSignalException>(() => PipelineConfig.FromDictionary(new Hashtable
        {
            ["Queries"] = new object[]
            {
                Query("empty", ""), Query("blank", "   "),
                new Hashtable { ["Key"] = "order", ["Order"] = "newest first please" },
            },
            ["Sheet"] = new Hashtable { ["SheetName"] = " ", ["SpreadsheetId"] = "https://example.com/not/a/sheet" },
        }, "/etc/jobsignal/nightly.psd1"));

        Assert.Equal(("PipelineConfigInvalid", (object?)"/etc/jobsignal/nightly.psd1"), (ex.ErrorId, ex.Target));
        Assert.StartsWith("The pipeline configuration /etc/jobsignal/nightly.psd1 is invalid:", ex.Message);
        Assert.Contains("Queries[0].Query: empty; leave the key out (or set it to $null) for every offer", ex.Message);
        Assert.Contains("Queries[1].Query: empty;", ex.Message);
        Assert.Contains("Queries[2].Order: 'newest first please' is not an order InfoJobs accepts (one of relevancia-desc, updated, updated-desc,", ex.Message);
        Assert.Contains("Sheet.SheetName: empty; leave the key out (or set it to $null) for the Companies tab", ex.Message);
        Assert.Contains("Sheet.SpreadsheetId: 'https://example.com/not/a/sheet' is not a spreadsheet id nor a Google Sheet's URL", ex.Message);
        Assert.Contains("Sheet.SpreadsheetId: empty;", Problems(new Hashtable { ["Queries"] = Query("k", "x"), ["Sheet"] = new Hashtable { ["SpreadsheetId"] = "" } }));
    }

    [Fact]
    public void Takes_the_spreadsheet_id_from_its_URL_and_an_order_in_any_case_as_InfoJobs_spells_it()
    {
        var config = PipelineConfig.FromDictionary(new Hashtable
        {
            ["Queries"] = new Hashtable { ["Key"] = "k", ["Order"] = " Updated-DESC " },
            ["Sheet"] = new Hashtable { ["SpreadsheetId"] = "https://docs.google.com/spreadsheets/d/1AbC_d-9/edit#gid=0" },
        }, "x");

        Assert.Equal("updated-desc", config.Queries[0].Order);
        Assert.Equal("1AbC_d-9", config.Sheet.SpreadsheetId);
    }

    [Theory]
    [InlineData("http//bob:S3CRETTOKEN@mirror/", "http//***@mirror/")]
    [InlineData("bob:S3CRETTOKEN@mirror", "***@mirror")]
    public void A_mistyped_base_URI_never_shows_its_user_info(string typed, string shown)
    {
        var message = Problems(new Hashtable { ["Queries"] = Query("k", "x"), ["Infojobs"] = new Hashtable { ["BaseUri"] = typed } });

        Assert.Contains($"Infojobs.BaseUri: '{shown}' is not an absolute http or https URI", message);
        Assert.DoesNotContain("S3CRETTOKEN", message);
    }

    [Fact]
    public void Resolves_paths_from_the_files_folder_and_tilde_from_the_home_folder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "cfg");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var config = PipelineConfig.FromDictionary(new Hashtable
        {
            ["Queries"] = Query("k", "x"),
            ["DatabasePath"] = "~/jobsignal/store.db",
            ["CatalogPath"] = "../catalog.json",
            ["Sheet"] = new Hashtable { ["CredentialPath"] = "~" },
        }, "x").WithPathsRelativeTo(folder);

        Assert.Equal(Path.Combine(home, "jobsignal", "store.db"), config.DatabasePath);
        Assert.Equal(Path.Combine(Path.GetTempPath(), "catalog.json"), config.CatalogPath);
        Assert.Equal(Path.GetFullPath(home), config.Sheet.CredentialPath);
        Assert.Equal(Path.Combine(folder, "~x.db"), PipelineConfig.ResolvePath("~x.db", folder));
        var absolute = Path.Combine(Path.GetTempPath(), "abs.db");
        Assert.Equal(absolute, PipelineConfig.ResolvePath(absolute, folder));
        Assert.Null(PipelineConfig.ResolvePath(null, folder));
    }
}

using System.Text.Json.Nodes;
using JobSignal.Core.Catalog;
using JobSignal.Core.Signal;
using JobSignal.Core.Tests.Signal;

namespace JobSignal.Core.Tests.Catalog;

public sealed class CatalogLoaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("jobsignal-catalog-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void Keys_tier_weights_by_text_and_reads_lists_as_their_ids()
    {
        // ConvertTo-Json refuses dictionaries keyed by anything but strings; Export-Csv shows a list by its ToString.
        var catalog = CatalogLoader.Load(SignalTestData.DefaultCatalogPath);
        Assert.Equal(new[] { "1", "2", "3" }, catalog.Scoring.TierWeights.Keys.Order());
        Assert.IsAssignableFrom<IDictionary<string, decimal>>(catalog.Scoring.PhraseTierWeights);
        Assert.Equal("1=1.0, 2=2.5, 3=4.0", catalog.Scoring.TierWeights.ToString());
        Assert.StartsWith("cat_fx_currency_ops, cat_fx_crossborder_payments, ", catalog.Categories.ToString());
        Assert.StartsWith("kw_usd_currency, kw_gbp_currency, ", catalog.Keywords.ToString());
        Assert.StartsWith(catalog.Phrases[0].Id + ", ", catalog.Phrases.ToString());
        Assert.Equal("strong >= 6 of 10, fxCore >= 2.0, synergy max 1.8, no fxCore cap 5.0", catalog.Scoring.ToString());
        Assert.Equal("no, sin, not, without (8 before, 2 after)", catalog.Negation.ToString());
    }

    [Fact]
    public void Loads_the_default_catalog_with_every_section()
    {
        var catalog = CatalogLoader.Load(SignalTestData.DefaultCatalogPath);
        Assert.Equal("2.4.0", catalog.Version);
        Assert.Equal(SignalTestData.DefaultCatalogPath, catalog.SourcePath);
        Assert.Equal(4.0m, catalog.Scoring.TierWeights[3]);
        Assert.Equal(0.6m, catalog.Scoring.PhraseTierWeights[1]);
        Assert.Equal(1.5m, catalog.Scoring.FieldWeights["title"]);
        Assert.Equal(2.5m, catalog.Scoring.BucketCaps[SignalBuckets.BusinessModel]);
        Assert.Equal((2.0m, 5.0m, 6, 10, 1.8m), (catalog.Scoring.FxCoreThreshold, catalog.Scoring.NoFxCoreCap,
            catalog.Scoring.StrongThreshold, catalog.Scoring.MaxScore, catalog.Scoring.Synergy.Max));
        Assert.Equal(new[] { "no", "sin", "not", "without" }, catalog.Negation.Cues);
        Assert.Equal((8, 2), (catalog.Negation.WindowBefore, catalog.Negation.WindowAfter));
        var import = catalog.Keywords.Single(k => k.Id == "kw_export_import").Exclude;
        Assert.Equal([2, 4], import.Select(e => e.Window));
        Assert.Contains("excel", import[0].Near);
        Assert.Contains("data", import[1].Near);
        Assert.All(import, e => Assert.Contains("import", e.Aliases));
    }

    [Fact]
    public void Keeps_every_keyword_alias_and_phrase_of_the_reference_catalog_and_maps_buckets_by_prefix()
    {
        var reference = JsonNode.Parse(File.ReadAllText(SignalTestData.ReferenceCatalogPath))!;
        var catalog = CatalogLoader.Load(SignalTestData.DefaultCatalogPath);
        var kept = reference["keywords"]!.AsArray();
        // The reference keywords first, in their order, each starting with the reference's aliases as the matcher
        // reads them (2.4.0 dropped 'cross border payments', read as 'cross-border payments'; later versions add
        // aliases at the end); then the keywords later versions added.
        static string[] Read(JsonNode keyword) =>
            keyword["aliases"]!.AsArray().Select(a => Tokenizer.Normalize(a!.GetValue<string>())).Distinct().ToArray();
        Assert.Equal(
            kept.Select(k => (k!["id"]!.GetValue<string>(), k["categoryId"]!.GetValue<string>(), string.Join("|", Read(k)))),
            catalog.Keywords.Zip(kept, (k, r) => (k.Id, k.CategoryId,
                string.Join("|", k.Aliases.Select(Tokenizer.Normalize).Take(Read(r!).Length)))));
        Assert.Equal(["kw_usd_words", "kw_gbp_words", "kw_foreign_trade", "kw_usa_market_es", "kw_uk_market_es", "kw_mxn_currency", "kw_brl_currency"],
            catalog.Keywords.Skip(kept.Count).Select(k => k.Id));
        Assert.Equal(
            reference["phrases"]!.AsArray().Select(p => (p!["id"]!.GetValue<string>(), p["phrase"]!.GetValue<string>(), p["tier"]!.GetValue<int>())),
            catalog.Phrases.Select(p => (p.Id, p.Phrase, p.Tier)));
        var prefixes = new Dictionary<string, string>
        {
            ["fx"] = SignalBuckets.DirectFx, ["intl"] = SignalBuckets.IntlFootprint,
            ["biz"] = SignalBuckets.BusinessModel, ["proxy"] = SignalBuckets.TechProxy,
        };
        Assert.All(catalog.Categories, c => Assert.Equal(prefixes[c.Id.Split('_')[1]], c.Bucket));
    }

    [Fact]
    public void Reports_a_missing_file_as_catalog_not_found()
    {
        var missing = Path.Combine(_directory, "missing.json");
        var ex = Assert.Throws<CatalogException>(() => CatalogLoader.Load(missing));
        Assert.Equal(CatalogException.NotFound, ex.ErrorId);
        Assert.Equal(missing, ex.Target);
        Assert.Contains("does not exist", ex.Message);
        Assert.Equal(CatalogException.NotFound, Assert.Throws<CatalogException>(() => CatalogLoader.Read(Path.Combine(_directory, "no", "x.json"))).ErrorId);
    }

    [Fact]
    public void Reports_a_folder_as_catalog_not_found()
    {
        Assert.Equal(CatalogException.NotFound, Assert.Throws<CatalogException>(() => CatalogLoader.Read(_directory)).ErrorId);
    }

    [Fact]
    public void Names_the_line_and_position_of_invalid_json()
    {
        var path = Write("bad.json", "{\n  \"version\": \"1\",\n  \"categories\": [ oops ]\n}");
        var ex = Assert.Throws<CatalogException>(() => CatalogLoader.Load(path));
        Assert.Equal(CatalogException.Invalid, ex.ErrorId);
        var issue = Assert.Single(ex.Issues);
        Assert.Equal("$", issue.Path);
        Assert.Equal("invalid JSON at line 3, position 19: 'o' is an invalid start of a value.", issue.Message);
        Assert.Contains("line 3, position 19", ex.Message);
    }

    [Fact]
    public void Accepts_comments_and_trailing_commas()
    {
        var json = CatalogTestJson.Default().ToJsonString().Replace("\"version\":\"2.4.0\",", "// tuned\n\"version\":\"2.4.1\",")
            .Replace("\"maxScore\":10", "\"maxScore\":10,");
        var path = Write("commented.json", json);
        Assert.Equal("2.4.1", CatalogLoader.Load(path).Version);
    }

    [Fact]
    public void Lists_every_issue_in_the_invalid_catalog_error()
    {
        var json = CatalogTestJson.Default();
        CatalogTestJson.Category(json, 0)["bucket"] = "x";
        CatalogTestJson.Keyword(json, 0)["aliases"]![0] = "";
        var path = Write("two.json", json.ToJsonString());
        var ex = Assert.Throws<CatalogException>(() => CompiledCatalog.Load(path));
        Assert.Equal(2, ex.Issues.Count);
        Assert.Contains("(2 errors)", ex.Message);
        Assert.Contains("keywords[0].aliases[0]: empty alias", ex.Message);
        Assert.NotNull(ex.RecommendedAction);
    }

    [Fact]
    public void Refuses_to_compile_an_invalid_model()
    {
        var model = SignalTestData.DefaultModel();
        model.Keywords[0].CategoryId = "nowhere";
        var ex = Assert.Throws<CatalogException>(() => CatalogCompiler.Compile(model));
        Assert.Equal("keywords[0].categoryId", Assert.Single(ex.Issues).Path);
    }

    [Fact]
    public void Compiles_aliases_into_a_trie_that_shares_prefixes()
    {
        var compiled = SignalTestData.DefaultCatalog;
        // 101 aliases and 14 phrases, many sharing first tokens ("google", "clientes", "pagos"...).
        Assert.InRange(compiled.NodeCount, 100, 170);
        Assert.Equal(55, compiled.Terms.Count);
        Assert.Equal(SignalTermKind.Phrase, compiled.TermsById["phrase_usd"].Kind);
    }
}

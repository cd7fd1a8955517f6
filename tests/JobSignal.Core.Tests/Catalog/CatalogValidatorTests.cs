using System.Text.Json.Nodes;
using JobSignal.Core.Catalog;
using JobSignal.Core.Tests.Signal;
using static JobSignal.Core.Tests.Catalog.CatalogTestJson;

namespace JobSignal.Core.Tests.Catalog;

/// <summary>One test per validation rule of SPEC 5.1, each asserting the JSON path and the message.</summary>
public class CatalogValidatorTests
{
    private static string Only(IReadOnlyList<CatalogIssue> issues) => Assert.Single(issues).ToString();

    [Fact]
    public void Accepts_the_default_catalog()
    {
        var report = CatalogValidator.Validate(CatalogLoader.Read(SignalTestData.DefaultCatalogPath));
        Assert.Empty(report.Issues);
        Assert.Equal((10, 41, 101, 14), (report.CategoryCount, report.KeywordCount, report.AliasCount, report.PhraseCount));
        Assert.Equal("2.4.0", report.Version);
    }

    [Fact]
    public void Rejects_a_root_that_is_not_an_object()
    {
        Assert.Equal("$: expected an object, got an array", Only(CatalogValidator.Validate(CatalogLoader.Parse("[]")).Issues));
    }

    [Fact]
    public void Reports_missing_sections()
    {
        var issues = IssuesAfter(c => { c.Remove("scoring"); c.Remove("categories"); });
        Assert.Equal(new[] { "categories: missing", "scoring: missing" }, issues.Select(i => i.ToString()));
    }

    [Fact]
    public void Reports_a_blank_version()
    {
        Assert.Equal("version: blank version", Only(IssuesAfter(c => c["version"] = " ")));
    }

    [Fact]
    public void Reports_wrong_types_with_their_path()
    {
        var issues = IssuesAfter(c =>
        {
            Category(c, 2)["tier"] = "3";
            Keyword(c, 4)["aliases"] = "divisa";
            Keyword(c, 5)["aliases"]![0] = 7;
            Scoring(c)["maxScore"] = 9.5;
        });
        Assert.Equal(new[]
        {
            "categories[2].tier: expected a whole number, got a string",
            "keywords[4].aliases: expected an array, got a string",
            "keywords[5].aliases[0]: expected a string, got the number 7",
            "scoring.maxScore: expected a whole number, got the number 9.5",
        }, issues.Select(i => i.ToString()));
    }

    [Fact]
    public void Reports_numbers_too_large_as_out_of_range_not_as_the_wrong_kind()
    {
        var issues = IssuesAfter(c =>
        {
            Category(c, 0)["tier"] = JsonNode.Parse("12345678901");
            Scoring(c)["maxScore"] = JsonNode.Parse("1e300");
            Scoring(c)["tierWeights"]!["3"] = JsonNode.Parse("1e300");
        });
        Assert.Equal(new[]
        {
            "categories[0].tier: 12345678901 is out of range (at most 2147483647)",
            "scoring.tierWeights.3: 1e300 is out of range for a weight, cap or threshold",
            "scoring.maxScore: 1e300 is out of range (at most 2147483647)",
        }, issues.Select(i => i.ToString()));
    }

    [Fact]
    public void Accepts_whole_numbers_written_with_a_fraction_of_zero()
    {
        // Python's json.dumps writes 3.0 for a float 3: the value is whole, so it is a tier like 3.
        var json = Default();
        Category(json, 0)["tier"] = JsonNode.Parse("3.0");
        Scoring(json)["maxScore"] = JsonNode.Parse("10.00");
        Scoring(json)["strongThreshold"] = JsonNode.Parse("6e0");
        var read = CatalogLoader.Parse(json.ToJsonString());

        Assert.Empty(CatalogValidator.Validate(read).Issues);
        Assert.Equal((3, 10, 6), (read.Catalog!.Categories[0].Tier, read.Catalog.Scoring.MaxScore, read.Catalog.Scoring.StrongThreshold));
    }

    [Fact]
    public void Reports_unknown_properties_and_suggests_the_right_spelling()
    {
        var issues = IssuesAfter(c =>
        {
            Keyword(c, 0)["CategoryID"] = "x";
            Category(c, 0)["weight"] = 2;
            c["_comment"] = "ignored";
        });
        Assert.Equal("keywords[0].CategoryID: unknown property (did you mean 'categoryId'?)", issues[1].ToString());
        Assert.StartsWith("categories[0].weight: unknown property (expected one of: id, name, tier, bucket)", issues[0].ToString());
        Assert.Equal(2, issues.Count);
    }

    [Fact]
    public void Reports_blank_ids()
    {
        var issues = IssuesAfter(c =>
        {
            Category(c, 1)["id"] = "";
            Keyword(c, 2)["id"] = "  ";
            Phrase(c, 3).Remove("id");
        });
        Assert.Contains("categories[1].id: blank id", issues.Select(i => i.ToString()));
        Assert.Contains("keywords[2].id: blank id", issues.Select(i => i.ToString()));
        Assert.Contains("phrases[3].id: missing", issues.Select(i => i.ToString()));
    }

    [Fact]
    public void Reports_duplicate_ids_among_categories_and_among_keywords_and_phrases()
    {
        var issues = IssuesAfter(c =>
        {
            Category(c, 1)["id"] = "cat_fx_currency_ops";
            Phrase(c, 0)["id"] = "kw_swift";
        });
        Assert.Contains("categories[1].id: duplicate id 'cat_fx_currency_ops' (first used by categories[0])", issues.Select(i => i.ToString()));
        Assert.Contains("phrases[0].id: duplicate id 'kw_swift' (first used by keywords[8])", issues.Select(i => i.ToString()));
    }

    [Fact]
    public void Reports_a_keyword_of_an_unknown_category()
    {
        Assert.Equal("keywords[3].categoryId: unknown category 'cat_nope'", Only(IssuesAfter(c => Keyword(c, 3)["categoryId"] = "cat_nope")));
    }

    [Fact]
    public void Reports_alias_collisions_across_keywords_after_normalization()
    {
        Assert.Equal("keywords[9].aliases[0]: alias 'Pagos Internacionales' collides with keywords[6].aliases[1] of keyword 'kw_international_payments'",
            Only(IssuesAfter(c => Keyword(c, 9)["aliases"]![0] = "Pagos Internacionales")));
    }

    [Theory]
    [InlineData(13, "clientes en EEUU", "keywords[13].aliases[3]: alias 'clientes en EEUU' matches the same text as keywords[12].aliases[0] of keyword 'kw_usa_market' (both match \"clientes en eeuu\")")]
    [InlineData(13, "clientes en us", "keywords[13].aliases[3]: alias 'clientes en us' matches the same text as keywords[12].aliases[0] of keyword 'kw_usa_market' (both match \"clientes en eeuu\")")]
    [InlineData(13, "clientes en U.S.", "keywords[13].aliases[3]: alias 'clientes en U.S.' matches the same text as keywords[12].aliases[0] of keyword 'kw_usa_market' (both match \"clientes en u s\")")]
    [InlineData(1, "$", "keywords[1].aliases[1]: alias '$' matches the same text as keywords[0].aliases[0] of keyword 'kw_usd_currency' (both match \"$\")")]
    public void Reports_aliases_that_match_the_same_text_through_equivalent_readings(int keyword, string alias, string expected)
    {
        // SPEC 5.2 reads EEUU and U.S. as us/usa, $ as usd, latinoamerica as latam: such aliases of two keywords
        // split one text between them however differently they are written.
        Assert.Equal(expected, Only(IssuesAfter(c => Keyword(c, keyword)["aliases"]!.AsArray().Add(alias))));
    }

    [Fact]
    public void Reports_an_equivalent_reading_at_the_later_alias_whichever_way_it_is_found()
    {
        // Found from the earlier alias's spellings ("latinoamerica" reads as latam), reported at the later one.
        Assert.Equal("keywords[14].aliases[0]: alias 'latam' matches the same text as keywords[4].aliases[7] of keyword 'kw_divisa' (both match \"latinoamerica\")",
            Only(IssuesAfter(c =>
            {
                Keyword(c, 14)["aliases"] = new JsonArray("latam", "chile");
                Keyword(c, 4)["aliases"]!.AsArray().Add("latinoamerica");
            })));
    }

    [Fact]
    public void Does_not_report_readings_that_no_text_shares()
    {
        // "EEUU" reads as us/usa and "U.S." as us/usa, but no text reads as both eeuu and "u s".
        Assert.Empty(IssuesAfter(c =>
        {
            Keyword(c, 12)["aliases"] = new JsonArray("en eeuu");
            Keyword(c, 13)["aliases"] = new JsonArray("en U.S.");
        }));
    }

    [Fact]
    public void Reports_an_alias_or_phrase_that_is_a_negation_cue()
    {
        var issues = IssuesAfter(c =>
        {
            Keyword(c, 0)["aliases"]!.AsArray().Add("No");
            Phrase(c, 0)["phrase"] = "without";
        });
        Assert.Equal(new[]
        {
            "keywords[0].aliases[1]: alias 'No' is a negation cue (negation.cues[0]): it would match every 'no' of an offer",
            "phrases[0].phrase: phrase 'without' is a negation cue (negation.cues[3]): it would match every 'without' of an offer",
        }, issues.Select(i => i.ToString()));
    }

    [Fact]
    public void Warns_about_parts_that_can_never_score_or_repeat_without_making_the_catalog_invalid()
    {
        var json = Default();
        json["categories"]!.AsArray().Add(new JsonObject { ["id"] = "cat_empty", ["name"] = "Empty", ["tier"] = 1, ["bucket"] = "tech_proxy" });
        Keyword(json, 0)["aliases"]!.AsArray().Add("usd");
        Scoring(json)["synergy"]!["bonuses"]!.AsArray().Add(new JsonObject { ["bucket"] = "intl_footprint", ["threshold"] = 0.5, ["amount"] = 0.5 });

        var report = CatalogValidator.Validate(CatalogLoader.Parse(json.ToJsonString()));

        Assert.Equal(new[]
        {
            "categories[10]: warning: category 'cat_empty' has no keywords: it can never score",
            "keywords[0].aliases[1]: warning: alias 'usd' repeats keywords[0].aliases[0]",
            "scoring.synergy.bonuses[2].bucket: warning: a second bonus for 'intl_footprint' (first: scoring.synergy.bonuses[0]): both are added when the bucket reaches their thresholds",
        }, report.Issues.Select(i => i.ToString()));
        Assert.All(report.Issues, i => Assert.Equal(CatalogIssueSeverity.Warning, i.Severity));
        Assert.True(report.IsValid);
        Assert.Equal((0, 3), (report.ErrorCount, report.WarningCount));
        CatalogCompiler.Compile(CatalogLoader.Parse(json.ToJsonString()).Catalog!); // warnings never stop a catalog
    }

    [Fact]
    public void Reports_a_catalog_without_keywords_once()
    {
        Assert.Equal("keywords: no keywords", Only(IssuesAfter(c => c["keywords"] = new JsonArray())));
    }

    [Fact]
    public void Warns_about_spellings_of_one_keyword_that_the_matcher_reads_alike()
    {
        // Compared as the matcher reads them (case, accents, punctuation): each repeats an alias that matches the same text.
        var issues = IssuesAfter(c =>
        {
            Keyword(c, 24)["aliases"] = new JsonArray("adyen", "Adyen", "ádyen");
            Keyword(c, 7)["aliases"]!.AsArray().Add("cross border payments");
            Keyword(c, 8)["aliases"]!.AsArray().Add("Swift!");
        });
        Assert.Equal(new[]
        {
            "keywords[7].aliases[2]: warning: alias 'cross border payments' repeats keywords[7].aliases[0] 'cross-border payments' (both read as 'cross border payments')",
            "keywords[8].aliases[1]: warning: alias 'Swift!' repeats keywords[8].aliases[0] 'swift' (both read as 'swift')",
            "keywords[24].aliases[1]: warning: alias 'Adyen' repeats keywords[24].aliases[0] 'adyen' (both read as 'adyen')",
            "keywords[24].aliases[2]: warning: alias 'ádyen' repeats keywords[24].aliases[0] 'adyen' (both read as 'adyen')",
        }, issues.Select(i => i.ToString()));
    }

    [Fact]
    public void Warns_about_a_case_sensitive_alias_a_plain_alias_or_the_same_spelling_already_matches()
    {
        var issues = IssuesAfter(c =>
        {
            Keyword(c, 2)["caseSensitiveAliases"] = new JsonArray("CHF", "Chf", "CHF");
            Keyword(c, 1)["caseSensitiveAliases"] = new JsonArray("GBP");
        });
        Assert.Equal(new[]
        {
            "keywords[1].caseSensitiveAliases[0]: warning: alias 'GBP' is matched in any case by keywords[1].aliases[0] 'gbp'",
            "keywords[2].caseSensitiveAliases[0]: warning: alias 'CHF' is matched in any case by keywords[2].aliases[0] 'chf'",
            "keywords[2].caseSensitiveAliases[1]: warning: alias 'Chf' is matched in any case by keywords[2].aliases[0] 'chf'",
            "keywords[2].caseSensitiveAliases[2]: warning: alias 'CHF' is matched in any case by keywords[2].aliases[0] 'chf'",
        }, issues.Select(i => i.ToString()));
        Assert.Equal("keywords[2].caseSensitiveAliases[2]: warning: alias 'CHF' repeats keywords[2].caseSensitiveAliases[0]",
            Only(IssuesAfter(c =>
            {
                Keyword(c, 2)["aliases"] = new JsonArray("swiss francs");
                Keyword(c, 2)["caseSensitiveAliases"] = new JsonArray("CHF", "Chf", "CHF");
            })));
    }

    [Fact]
    public void Treats_case_sensitive_aliases_as_colliding_only_with_the_same_spelling_or_a_plain_alias()
    {
        var plainVsExact = IssuesAfter(c => Keyword(c, 1)["caseSensitiveAliases"] = new JsonArray("USD"));
        Assert.Equal("keywords[1].caseSensitiveAliases[0]: alias 'USD' collides with keywords[0].aliases[0] of keyword 'kw_usd_currency'", Only(plainVsExact));
        Assert.Empty(IssuesAfter(c =>
        {
            Keyword(c, 1)["caseSensitiveAliases"] = new JsonArray("CAD");
            Keyword(c, 2)["caseSensitiveAliases"] = new JsonArray("Cad");
        }));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void Reports_tiers_outside_1_to_3(int tier)
    {
        var issues = IssuesAfter(c => { Category(c, 0)["tier"] = tier; Phrase(c, 1)["tier"] = tier; });
        Assert.Equal(new[] { $"categories[0].tier: tier {tier} outside 1-3", $"phrases[1].tier: tier {tier} outside 1-3" },
            issues.Select(i => i.ToString()));
    }

    [Fact]
    public void Reports_unknown_and_missing_buckets()
    {
        var issues = IssuesAfter(c => { Category(c, 0)["bucket"] = "fx"; Category(c, 1).Remove("bucket"); });
        Assert.Equal(new[]
        {
            "categories[0].bucket: unknown bucket 'fx' (known: direct_fx, intl_footprint, business_model, tech_proxy)",
            "categories[1].bucket: missing",
        }, issues.Select(i => i.ToString()));
    }

    [Fact]
    public void Reports_an_empty_alias()
    {
        Assert.Equal("keywords[3].aliases[1]: empty alias", Only(IssuesAfter(c => Keyword(c, 3)["aliases"]![1] = "")));
    }

    [Theory]
    [InlineData("--")]
    [InlineData("¿?")]
    [InlineData("https://stripe.com")]
    public void Reports_an_alias_that_normalizes_to_no_tokens(string alias)
    {
        Assert.Equal($"keywords[23].aliases[0]: alias '{alias}' normalizes to no tokens",
            Only(IssuesAfter(c => Keyword(c, 23)["aliases"]![0] = alias)));
    }

    [Fact]
    public void Reports_a_keyword_without_aliases()
    {
        Assert.Equal("keywords[2].aliases: no aliases", Only(IssuesAfter(c => Keyword(c, 2)["aliases"] = new JsonArray())));
    }

    [Fact]
    public void Reports_phrases_that_are_empty_or_repeated()
    {
        var issues = IssuesAfter(c => { Phrase(c, 2)["phrase"] = " "; Phrase(c, 4)["phrase"] = "Multidivisa"; });
        Assert.Equal(new[]
        {
            "phrases[2].phrase: empty phrase",
            "phrases[5].phrase: 'multidivisa' is the same phrase as phrases[4]",
        }, issues.Select(i => i.ToString()));
    }

    [Fact]
    public void Reports_bad_exclusion_rules()
    {
        var issues = IssuesAfter(c => Keyword(c, 26)["exclude"] = JsonNode.Parse(
            """[{ "near": ["lambda calculus", ""], "window": 0, "aliases": ["aws lambda"] }, { "near": [], "window": 99 }]"""));
        Assert.Equal(new[]
        {
            "keywords[26].exclude[0].near[0]: 'lambda calculus' must be exactly one token (it normalizes to 2)",
            "keywords[26].exclude[0].near[1]: empty token",
            "keywords[26].exclude[0].window: window 0 outside 1-50",
            "keywords[26].exclude[0].aliases[0]: 'aws lambda' is not an alias of this entry",
            "keywords[26].exclude[1].near: no tokens",
            "keywords[26].exclude[1].window: window 99 outside 1-50",
        }, issues.Select(i => i.ToString()));
    }

    [Fact]
    public void Reports_an_exclusion_direction_other_than_both_before_or_after()
    {
        Assert.Equal("keywords[26].exclude[0].direction: unknown direction 'left' (known: both, before, after)",
            Only(IssuesAfter(c => Keyword(c, 26)["exclude"]![0]!["direction"] = "left")));
        Assert.Empty(IssuesAfter(c => Keyword(c, 26)["exclude"]![0]!["direction"] = "before"));
    }

    [Fact]
    public void Reports_only_with_ids_that_name_no_other_keyword_or_phrase()
    {
        var issues = IssuesAfter(c =>
        {
            Keyword(c, 2)["onlyWith"] = new JsonArray("kw_usd_currency", "phrase_usd", "kw_nope", " ", "kw_chf_currency");
            Phrase(c, 2)["onlyWith"] = 7;
        });
        Assert.Equal(new[]
        {
            "keywords[2].onlyWith[2]: unknown keyword or phrase 'kw_nope'",
            "keywords[2].onlyWith[3]: blank id",
            "keywords[2].onlyWith[4]: 'kw_chf_currency' is this entry itself: it would count only beside itself",
            "phrases[2].onlyWith: expected an array, got the number 7",
        }, issues.Select(i => i.ToString()));
    }

    [Fact]
    public void Reports_an_only_with_id_whose_entry_is_conditional_itself()
    {
        // phrase_eur counts only beside another currency; a keyword conditional on it would depend on check order.
        var issues = IssuesAfter(c => Keyword(c, 6)["onlyWith"] = new JsonArray("kw_usd_currency", "phrase_eur"));
        Assert.Equal(new[] { "keywords[6].onlyWith[1]: 'phrase_eur' has an onlyWith of its own: name entries that count unconditionally" },
            issues.Select(i => i.ToString()));
    }

    [Fact]
    public void Reports_bad_negation_rules()
    {
        var issues = IssuesAfter(c => c["negation"] = JsonNode.Parse("""{ "cues": ["no", "no way"], "windowBefore": -1, "windowAfter": 51 }"""));
        Assert.Equal(new[]
        {
            "negation.cues[1]: 'no way' must be exactly one token (it normalizes to 2)",
            "negation.windowBefore: window -1 outside 0-50",
            "negation.windowAfter: window 51 outside 0-50",
        }, issues.Select(i => i.ToString()));
    }

    [Fact]
    public void Reports_a_within_sentence_flag_that_is_not_true_or_false()
    {
        var issues = IssuesAfter(c => Keyword(c, 8)["exclude"] = JsonNode.Parse("""[{ "near": ["ios"], "window": 5, "withinSentence": "yes" }]"""));
        Assert.Equal(["keywords[8].exclude[0].withinSentence: expected true or false, got a string"], issues.Select(i => i.ToString()));
    }

    [Fact]
    public void Reports_negation_idioms_that_do_not_start_with_a_cue()
    {
        var issues = IssuesAfter(c => c["negation"] = JsonNode.Parse(
            """{ "cues": ["no", "sin"], "windowBefore": 8, "windowAfter": 2, "idioms": ["sin embargo", "embargo", "a pesar de", "No obstante"] }"""));
        Assert.Equal(new[]
        {
            "negation.idioms[1]: 'embargo' must be a negation cue followed by at least one word",
            "negation.idioms[2]: 'a pesar de' must be a negation cue followed by at least one word",
        }, issues.Select(i => i.ToString()));
    }

    [Fact]
    public void Reports_bad_scoring_numbers()
    {
        var issues = IssuesAfter(c =>
        {
            var scoring = Scoring(c);
            scoring["tierWeights"]!.AsObject().Remove("2");
            scoring["tierWeights"]!["x"] = 1;
            scoring["phraseTierWeights"]!["3"] = -2;
            scoring["fieldWeights"]!.AsObject().Remove("title");
            scoring["fieldWeights"]!["body"] = 1;
            scoring["bucketCaps"]!["growth"] = 1;
            scoring["fxCoreThreshold"] = -0.5;
            scoring["synergy"]!["bonuses"]![1]!["bucket"] = "business";
            scoring["noFxCoreCap"] = "5";
            scoring["strongThreshold"] = 11;
        });
        Assert.Equal(new[]
        {
            "scoring.tierWeights.x: 'x' is not a tier: use \"1\", \"2\" or \"3\"",
            "scoring.noFxCoreCap: expected a number, got a string",
            "scoring.tierWeights.2: missing",
            "scoring.phraseTierWeights.3: -2 must not be negative",
            "scoring.fieldWeights.title: missing",
            "scoring.fieldWeights.body: unknown field 'body' (known: title, description, requirements)",
            "scoring.bucketCaps.growth: unknown bucket 'growth' (known: direct_fx, intl_footprint, business_model, tech_proxy)",
            "scoring.fxCoreThreshold: -0.5 must not be negative",
            "scoring.synergy.bonuses[1].bucket: unknown bucket 'business' (known: direct_fx, intl_footprint, business_model, tech_proxy)",
            "scoring.strongThreshold: strongThreshold 11 outside 1-10",
        }, issues.Select(i => i.ToString()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    [InlineData(20)]
    public void Reports_a_max_score_the_store_cannot_keep(int maxScore)
    {
        // The store's matches keep scores of 0-10: with maxScore 20 every offer scored above 10 failed to store.
        Assert.Equal($"scoring.maxScore: maxScore {maxScore} outside 1-10 (the store keeps scores of 0-10)",
            Only(IssuesAfter(c => Scoring(c)["maxScore"] = maxScore)));
    }

    [Fact]
    public void Reports_a_strong_threshold_of_0()
    {
        Assert.Equal("scoring.strongThreshold: strongThreshold 0 outside 1-10",
            Only(IssuesAfter(c => Scoring(c)["strongThreshold"] = 0)));
    }

    [Fact]
    public void Warns_that_an_fx_core_threshold_of_0_gives_every_offer_fx_core()
    {
        var issue = Assert.Single(IssuesAfter(c => Scoring(c)["fxCoreThreshold"] = 0));
        Assert.Equal(("scoring.fxCoreThreshold", CatalogIssueSeverity.Warning), (issue.Path, issue.Severity));
        Assert.StartsWith("fxCoreThreshold 0 gives every offer fxCore", issue.Message);
    }

    [Fact]
    public void Reports_every_error_of_a_catalog_at_once()
    {
        var issues = IssuesAfter(c =>
        {
            c["version"] = "";
            Category(c, 0)["bucket"] = "fx_direct";
            Keyword(c, 1)["id"] = "kw_usd_currency";
            Keyword(c, 3)["aliases"]![1] = "";
            Keyword(c, 7)["categoryId"] = "cat_unknown";
            Phrase(c, 0)["tier"] = 5;
            Scoring(c)["maxScore"] = 0;
        });
        Assert.Equal(new[]
        {
            "version", "categories[0].bucket", "keywords[1].id", "keywords[3].aliases[1]", "keywords[7].categoryId",
            // The EUR phrase counts only beside 'kw_gbp_currency', an id no keyword has any more.
            "phrases[0].tier", "phrases[2].onlyWith[1]", "scoring.maxScore",
        }, issues.Select(i => i.Path));
    }

    [Fact]
    public void Finds_the_reference_catalog_lacks_buckets_scoring_and_negation_and_repeats_an_alias()
    {
        var issues = CatalogValidator.Validate(CatalogLoader.Read(SignalTestData.ReferenceCatalogPath)).Issues;
        Assert.Equal(13, issues.Count);
        Assert.All(issues.Take(10), i => Assert.Matches(@"^categories\[\d\]\.bucket: missing$", i.ToString()));
        // And a warning: two of its aliases read alike.
        Assert.Equal(new[]
        {
            "keywords[7].aliases[1]: warning: alias 'cross border payments' repeats keywords[7].aliases[0] 'cross-border payments' (both read as 'cross border payments')",
            "scoring: missing", "negation: missing",
        }, issues.Skip(10).Select(i => i.ToString()));
    }

    [Fact]
    public void Validates_a_model_built_in_code()
    {
        var model = SignalTestData.DefaultModel();
        model.Keywords[0].Aliases.Add("   ");
        model.Categories[2].Tier = 7;
        var issues = CatalogValidator.Validate(model).Issues.Select(i => i.ToString());
        Assert.Equal(new[] { "categories[2].tier: tier 7 outside 1-3", "keywords[0].aliases[1]: empty alias" }, issues);
    }
}

using JobSignal.Core.Catalog;
using JobSignal.Core.Signal;

namespace JobSignal.Core.Tests.Signal;

public class KeywordMatcherTests
{
    private static readonly KeywordMatcher Default = new(SignalTestData.DefaultCatalog);

    private static IReadOnlyList<SignalHit> Match(string text, SignalField field = SignalField.Description) =>
        Default.Match(text, field);

    private static KeywordMatcher MatcherWith(params CatalogKeyword[] keywords)
    {
        var model = SignalTestData.DefaultModel();
        model.Keywords.AddRange(keywords);
        return new KeywordMatcher(CatalogCompiler.Compile(model));
    }

    private static CatalogKeyword Keyword(string id, params string[] aliases) =>
        new() { Id = id, CategoryId = "cat_intl_market_presence", Canonical = id, Aliases = [.. aliases] };

    [Theory]
    [InlineData("awsome team")]
    [InlineData("awss and saws")]
    [InlineData("laws of physics")]
    public void Matches_whole_tokens_only(string text)
    {
        Assert.DoesNotContain(Match(text), h => h.Id == "kw_aws");
    }

    [Theory]
    [InlineData("AWS.")]
    [InlineData("(AWS)")]
    [InlineData("experiencia en AWS/Azure")]
    public void Matches_a_token_between_separators(string text)
    {
        Assert.Contains(Match(text), h => h.Id == "kw_aws");
    }

    [Fact]
    public void Matches_multi_token_aliases_at_both_ends_of_a_field()
    {
        var alone = Assert.Single(Match("international payments"), h => h.Kind == SignalTermKind.Keyword);
        Assert.Equal((0, 2), (alone.Position, alone.TokenCount));
        var atEnd = Assert.Single(Match("we do international payments"), h => h.Kind == SignalTermKind.Keyword);
        Assert.Equal(2, atEnd.Position);
        Assert.Empty(Match("payments international"));
        Assert.Empty(Match("we do international"));
    }

    [Fact]
    public void Keeps_the_longest_alias_of_a_keyword_at_one_position()
    {
        var hit = Assert.Single(Match("Google Cloud Platform"));
        Assert.Equal(("kw_gcp", 3, "Google Cloud Platform"), (hit.Id, hit.TokenCount, hit.Text));
    }

    [Fact]
    public void Matches_aliases_through_injected_alternatives()
    {
        // Two keywords with these aliases would be a catalog error (they match the same text): one at a time.
        const string text = "Growing the U.S. market leader fast";
        var hits = MatcherWith(Keyword("kw_test_us", "us market leader")).Match(text, SignalField.Description);
        Assert.Contains(hits, h => h.Id == "kw_test_us" && h.Position == 2 && h.TokenCount == 4 && h.Text == "U.S. market leader");
        var usaHits = MatcherWith(Keyword("kw_test_usa", "usa market leader")).Match(text, SignalField.Description);
        Assert.Contains(usaHits, h => h.Id == "kw_test_usa" && h.Position == 2 && h.TokenCount == 4);
        // The original keyword of the catalog has both aliases: one hit only.
        Assert.Single(hits, h => h.Id == "kw_usa_market");
    }

    [Theory]
    [InlineData("clientes en EE.UU.", "kw_usa_market")]
    [InlineData("clientes en EEUU", "kw_usa_market")]
    [InlineData("the U.K. market", "kw_uk_market")]
    [InlineData("salario de $100K", "kw_usd_currency")]
    [InlineData("expansión a Latinoamérica", "kw_latam")]
    public void Matches_spanish_and_symbol_forms(string text, string id)
    {
        Assert.Single(Match(text), h => h.Id == id);
    }

    [Fact]
    public void Hit_text_and_evidence_are_original_text()
    {
        var hit = Assert.Single(Match("Gestión de la Tesorería del grupo"));
        Assert.Equal("Tesorería", hit.Text);
        Assert.Equal(14, hit.Offset);
        Assert.Equal("Gestión de la Tesorería del grupo", hit.Evidence);
        Assert.Equal(SignalField.Description, hit.Field);
    }

    [Fact]
    public void Evidence_is_about_120_characters_around_the_hit_on_one_line()
    {
        var filler = string.Join(' ', Enumerable.Repeat("palabra", 60));
        var hit = Assert.Single(Match(filler + "\nfacturamos en USD\r\nal mes " + filler), h => h.Kind == SignalTermKind.Keyword);
        Assert.InRange(hit.Evidence.Length, 80, 122);
        Assert.StartsWith("\u2026", hit.Evidence);
        Assert.EndsWith("\u2026", hit.Evidence);
        Assert.Contains("palabra facturamos en USD al mes palabra", hit.Evidence);
    }

    [Theory]
    [InlineData("no w1 w2 w3 w4 w5 w6 w7 aws", true, -8)]
    [InlineData("no w1 w2 w3 w4 w5 w6 w7 w8 aws", false, null)]
    [InlineData("aws w1 no", true, 2)]
    [InlineData("aws w1 w2 no", false, null)]
    [InlineData("sin AWS", true, -1)]
    [InlineData("AWS not required", true, 1)]
    [InlineData("without Amazon Web Services", true, -1)]
    public void Negates_a_hit_with_a_cue_within_8_before_or_2_after(string text, bool negated, int? distance)
    {
        var hit = Assert.Single(Match(text));
        Assert.Equal(negated, hit.Negated);
        Assert.Equal(distance, hit.NegationDistance);
        Assert.Equal(negated ? hit.NegationCue : null, hit.NegationCue);
    }

    [Fact]
    public void Counts_the_window_after_from_the_last_token_of_a_multi_token_hit()
    {
        Assert.True(Assert.Single(Match("google cloud platform x no")).Negated);
        Assert.False(Assert.Single(Match("google cloud platform x y no")).Negated);
    }

    [Theory]
    [InlineData("Formación sin coste. Gestión de cobros en AWS", false)]
    [InlineData("Inglés: no requerido. Despliegues en AWS", false)]
    [InlineData("Ref. No. 1234: AWS", false)]
    [InlineData("¿Sin experiencia? ¡Te formamos en AWS!", false)]
    [InlineData("Sin experiencia\nAWS y Azure", false)]
    [InlineData("AWS. No es imprescindible el inglés", false)]
    [InlineData("Sin experiencia previa en AWS, ni en Azure", true)]
    [InlineData("No se requiere AWS; valoramos Azure", true)]
    [InlineData("No trabajamos con la versión 3.5 de AWS", true)]
    [InlineData("AWS, no imprescindible", true)]
    public void Negates_only_within_the_sentence_of_the_hit(string text, bool negated) =>
        Assert.Equal(negated, Match(text).Single(h => h.Id == "kw_aws").Negated);

    [Fact]
    public void Counts_an_exclusion_context_across_sentence_ends()
    {
        var swift = Match("Swift. Experiencia con Xcode").Single(h => h.Id == "kw_swift");
        Assert.NotNull(swift.ExclusionReason);
    }

    [Fact]
    public void Does_not_carry_negation_across_fields()
    {
        var hits = Default.MatchOffer("Sin experiencia previa", "AWS");
        Assert.False(Assert.Single(hits).Negated);
    }

    [Theory]
    [InlineData("Sin embargo, gestionarás pagos internacionales.")]
    [InlineData("No obstante, gestionarás la tesorería y los pagos internacionales.")]
    [InlineData("No solo gestionarás pagos internacionales, también la tesorería.")]
    [InlineData("No dudes en aplicar si tienes experiencia con pagos internacionales.")]
    [InlineData("Not only international payments but also treasury.")]
    public void A_cue_that_starts_an_idiom_of_the_catalog_negates_nothing(string text)
    {
        var hits = Match(text);
        Assert.NotEmpty(hits);
        Assert.All(hits, h => Assert.False(h.Negated, $"{h.Id} negated by '{h.NegationCue}'"));
    }

    [Theory]
    [InlineData("Sin experiencia en pagos internacionales.")]
    [InlineData("No se requieren pagos internacionales, solo nacionales.")]
    [InlineData("Sin embargo no hay pagos internacionales.")]
    public void The_same_cue_outside_an_idiom_still_negates(string text)
    {
        Assert.Contains(Match(text), h => h.Id == "kw_international_payments" && h.Negated);
    }

    [Theory]
    [InlineData("Join us! Market leader in logistics.")]
    [InlineData("Trabaja con nosotros en USA; mercado laboral")]
    [InlineData("Clientes en\nUSA y Europa")]
    [InlineData("¿Dudas con los pagos? Internacionales o no, te ayudamos")]
    public void Never_matches_an_alias_of_several_words_across_a_break(string text)
    {
        Assert.DoesNotContain(Match(text), h => h.TokenCount > 1);
    }

    [Theory]
    [InlineData("Experiencia con el U.S. market y clientes en EE.UU.", "kw_usa_market")]
    [InlineData("Gestión de pagos, internacionales y nacionales", "kw_international_payments")]
    public void Matches_an_alias_of_several_words_across_dots_and_commas(string text, string id)
    {
        Assert.Contains(Match(text), h => h.Id == id && h.TokenCount > 1);
    }

    [Theory]
    [InlineData("import data from CSV files", "kw_export_import", "'data' 1 token after")]
    [InlineData("exportación de datos a Excel", "kw_export_import", "'datos' 2 tokens after")]
    [InlineData("lambda expressions in Java", "kw_aws", "'expressions' 1 token after")]
    [InlineData("salsa de chile picante", "kw_latam", "'picante' 1 token after")]
    [InlineData("iOS developer with Swift and SwiftUI", "kw_swift", "'swiftui' 2 tokens after")]
    public void Excludes_a_hit_in_a_vetoing_context(string text, string id, string reason)
    {
        var hit = Assert.Single(Match(text), h => h.Id == id);
        Assert.True(hit.Excluded);
        Assert.Equal(reason, hit.ExclusionReason);
        Assert.False(hit.Counts);
    }

    [Theory]
    [InlineData("importación de maquinaria", "kw_export_import")]
    [InlineData("AWS Lambda y S3", "kw_aws")]
    [InlineData("clientes en Chile y Colombia", "kw_latam")]
    [InlineData("transferencias SWIFT y SEPA", "kw_swift")]
    public void Keeps_the_same_alias_in_other_contexts(string text, string id)
    {
        var hits = Match(text).Where(h => h.Id == id).ToList();
        Assert.NotEmpty(hits);
        Assert.All(hits, h => Assert.False(h.Excluded));
    }

    [Fact]
    public void Applies_an_exclusion_only_to_the_aliases_it_names()
    {
        // The lambda rule names only "lambda": AWS next to "expressions" still counts.
        Assert.False(Assert.Single(Match("AWS expressions")).Excluded);
    }

    /// <summary>A keyword 'widget' vetoed by 'rueda'/'ruedas' within <paramref name="window"/> tokens.</summary>
    private static KeywordMatcher WidgetMatcher(int window = 3, string direction = ExclusionDirections.Both,
        bool withinSentence = false, bool withinField = false) =>
        MatcherWith(new CatalogKeyword
        {
            Id = "kw_widget", CategoryId = "cat_intl_market_presence", Canonical = "Widget", Aliases = ["widget"],
            Exclude =
            [
                new ExclusionRule
                {
                    Near = ["rueda", "ruedas"], Window = window, Direction = direction, WithinSentence = withinSentence,
                    WithinField = withinField,
                },
            ],
        });

    [Theory]
    [InlineData(ExclusionDirections.Before, "ruedas para el widget", "'ruedas' 3 tokens before")]
    [InlineData(ExclusionDirections.Before, "el widget de ruedas", null)]
    [InlineData(ExclusionDirections.After, "el widget de ruedas", "'ruedas' 2 tokens after")]
    [InlineData(ExclusionDirections.After, "ruedas para el widget", null)]
    [InlineData(ExclusionDirections.Both, "ruedas para el widget", "'ruedas' 3 tokens before")]
    [InlineData(ExclusionDirections.Both, "el widget de ruedas", "'ruedas' 2 tokens after")]
    public void Looks_only_at_the_side_of_the_hit_an_exclusion_names(string direction, string text, string? reason)
    {
        var hit = Assert.Single(WidgetMatcher(direction: direction).Match(text, SignalField.Description));
        Assert.Equal(reason, hit.ExclusionReason);
    }

    [Fact]
    public void A_context_word_of_the_title_vetoes_hits_in_the_other_fields()
    {
        // The title names the role: its words say what the description's and requirements' terms are.
        var hits = WidgetMatcher().MatchOffer("Técnico de ruedas", "Montaje y mantenimiento de cualquier widget.", "Un widget más.");
        Assert.Equal(["'ruedas' in the title", "'ruedas' in the title"], hits.Select(h => h.ExclusionReason));
        // Not for a rule on the hit's own sentence or field, nor for one that looks only after the hit, nor in one field alone.
        Assert.All(WidgetMatcher(withinSentence: true).MatchOffer("Técnico de ruedas", "Montaje de widget."), h => Assert.False(h.Excluded));
        Assert.All(WidgetMatcher(withinField: true).MatchOffer("Técnico de ruedas", "Montaje de widget."), h => Assert.False(h.Excluded));
        // Within its field, such a rule reads across a dot ("Avda. de México").
        Assert.True(Assert.Single(WidgetMatcher(withinField: true).Match("Ruedas. El widget", SignalField.Description)).Excluded);
        Assert.False(Assert.Single(WidgetMatcher(withinSentence: true).Match("Ruedas. El widget", SignalField.Description)).Excluded);
        Assert.All(WidgetMatcher(direction: ExclusionDirections.After).MatchOffer("Técnico de ruedas", "Montaje de widget."), h => Assert.False(h.Excluded));
        Assert.All(WidgetMatcher().Match("Montaje de widget.", SignalField.Description), h => Assert.False(h.Excluded));
    }

    [Theory]
    [InlineData(3, "'ruedas' 3 tokens after, in the description")]
    [InlineData(2, null)]
    public void The_description_reads_on_from_a_hit_at_the_end_of_the_title(int window, string? reason)
    {
        var hits = WidgetMatcher(window).MatchOffer("Montador de widget", "Para las ruedas de coche.");
        Assert.Equal(reason, Assert.Single(hits).ExclusionReason);
        Assert.False(Assert.Single(WidgetMatcher(window, withinSentence: true).MatchOffer("Montador de widget", "Para las ruedas de coche.")).Excluded);
    }

    [Fact]
    public void A_term_that_counts_only_beside_others_is_excluded_without_one_of_them_counting_in_the_offer()
    {
        var model = SignalTestData.DefaultModel();
        model.Keywords.Add(Keyword("kw_alfa", "alfa"));
        var beta = Keyword("kw_beta", "beta");
        beta.OnlyWith = ["kw_alfa", "kw_usd_currency"];
        model.Keywords.Add(beta);
        var matcher = new KeywordMatcher(CatalogCompiler.Compile(model));

        var alone = Assert.Single(matcher.MatchOffer("Analista", "Pagos en beta"));
        Assert.Equal("counts only beside kw_alfa, USD, and none of them counts in the offer", alone.ExclusionReason);
        Assert.All(matcher.MatchOffer("Analista", "Pagos en beta y alfa"), h => Assert.True(h.Counts));
        Assert.All(matcher.MatchOffer("Analista de alfa", "Pagos en beta"), h => Assert.True(h.Counts));
        Assert.All(matcher.MatchOffer(null, "Pagos en beta", "USD"), h => Assert.True(h.Counts));
        // A companion that does not count itself (negated here) does not make the term count.
        var negated = matcher.MatchOffer(null, "Pagos en beta. Sin alfa.");
        Assert.True(Assert.Single(negated, h => h.Id == "kw_beta").Excluded);
    }

    [Fact]
    public void Matches_text_with_html_references_and_shows_its_evidence_decoded()
    {
        const string text = "Gesti&oacute;n de pagos&nbsp;internacionales y clientes en&nbsp;USA.";
        var hits = Match(text);
        var payments = Assert.Single(hits, h => h.Id == "kw_international_payments");
        Assert.Equal("pagos&nbsp;internacionales", text.Substring(payments.Offset, payments.Length));
        Assert.Equal(("pagos internacionales", "Gestión de pagos internacionales y clientes en USA."), (payments.Text, payments.Evidence));
        Assert.Contains(hits, h => h.Id == "kw_usa_market");
    }

    [Theory]
    [InlineData("Formación sin coste.&nbsp;Pagos en USD", false)]
    [InlineData("Sin experiencia&#59; pagos en USD", false)]
    [InlineData("Sin experiencia&nbsp;en pagos en USD", true)]
    public void Reads_sentence_ends_through_html_references(string text, bool negated) =>
        Assert.Equal(negated, Match(text).Single(h => h.Id == "kw_usd_currency").Negated);

    [Fact]
    public void Matches_case_sensitive_aliases_only_as_spelled()
    {
        var matcher = MatcherWith(new CatalogKeyword
        {
            Id = "kw_cad", CategoryId = "cat_fx_currency_ops", Canonical = "CAD", CaseSensitiveAliases = ["CAD"],
        });
        Assert.Single(matcher.Match("pagos en CAD y USD", SignalField.Description), h => h.Id == "kw_cad");
        Assert.DoesNotContain(matcher.Match("diseño CAD", SignalField.Description).Concat(
            matcher.Match("software cad y Cad", SignalField.Description)), h => h.Id == "kw_cad" && h.Text != "CAD");
        Assert.Empty(matcher.Match("software cad y Cad", SignalField.Description));
    }

    [Fact]
    public void Matches_each_field_and_labels_it()
    {
        var hits = Default.MatchOffer("Treasury Analyst", "Pagos en USD", "Experiencia con SAP y AWS");
        Assert.Equal(new[] { SignalField.Title, SignalField.Description, SignalField.Description, SignalField.Requirements },
            hits.Select(h => h.Field));
    }

    [Fact]
    public void Returns_no_hits_for_empty_text()
    {
        Assert.Empty(Default.MatchOffer(null, "", "   "));
    }
}

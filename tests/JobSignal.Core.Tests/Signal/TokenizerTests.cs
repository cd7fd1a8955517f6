using JobSignal.Core.Signal;

namespace JobSignal.Core.Tests.Signal;

public class TokenizerTests
{
    private static string[] Values(string text) => Tokenizer.Tokenize(text).Tokens.Select(t => t.Value).ToArray();

    private static string[] Alternatives(string text) =>
        Tokenizer.Tokenize(text).Alternatives.Select(a => $"{a.Value}@{a.Slot}+{a.SlotCount}").ToArray();

    [Fact]
    public void Lowercases_and_strips_diacritics()
    {
        Assert.Equal(new[] { "ingenieria", "economica", "espana", "tesoreria" }, Values("Ingeniería ECONÓMICA España tesorería"));
    }

    [Fact]
    public void Drops_combining_marks_of_decomposed_input()
    {
        Assert.Equal(new[] { "cafe", "nino" }, Values("Cafe\u0301 nin\u0303o"));
    }

    [Fact]
    public void Keeps_offsets_into_the_original_text()
    {
        var text = Tokenizer.Tokenize("Diseño  de Tesorería.");
        var token = text.Tokens[2];
        Assert.Equal("tesoreria", token.Value);
        Assert.Equal("Tesorería", text.Text[token.Start..token.End]);
        Assert.Equal("Diseño de", text.Text[text.Tokens[0].Start..text.Tokens[0].End] + " " + text.OriginalText(1, 1));
        Assert.Equal("de Tesorería", text.OriginalText(1, 2));
    }

    [Fact]
    public void Splits_on_every_listed_separator()
    {
        Assert.Equal(new[] { "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u" },
            Values("a/b\\c|d(e)f[g]h{i}j,k;l:m.n!o?p\"q'r-s_t u"));
    }

    [Fact]
    public void Splits_on_curly_quotes_guillemets_dashes_and_bullets()
    {
        Assert.Equal(new[] { "aws", "gcp", "stripe", "paypal", "sap", "excel", "usd" },
            Values("\u201CAWS\u201D \u2018GCP\u2019 \u00ABStripe\u00BB \u2039PayPal\u203A SAP\u2014Excel \u2022USD"));
    }

    [Fact]
    public void Keeps_programming_names_whole_and_splits_dotted_ones()
    {
        Assert.Equal(new[] { "c++", "c#", "node", "js", "y", "asp", "net" }, Values("C++, C#, Node.js y ASP.NET"));
    }

    [Fact]
    public void Injects_usd_for_a_dollar_token_as_an_alternative_of_its_slot()
    {
        var text = Tokenizer.Tokenize("Salario $100K anual");
        Assert.Equal(new[] { "salario", "$100k", "anual" }, text.Tokens.Select(t => t.Value));
        Assert.Equal(new[] { "usd@1+1" }, Alternatives("Salario $100K anual"));
    }

    [Theory]
    [InlineData("£50", "gbp@0+1")]
    [InlineData("50€", "eur@0+1")]
    [InlineData("US$ 20", "usd@0+1")]
    public void Injects_the_currency_of_a_symbol(string text, string expected)
    {
        Assert.Equal(new[] { expected }, Alternatives(text));
    }

    [Theory]
    [InlineData("Dominio de PHP 8 ($this, $_POST, $_SESSION), jQuery ($.ajax) y Bash ($HOME, $(date))")]
    [InlineData("template literals ${variable} y $scope en AngularJS")]
    public void A_dollar_sign_that_starts_a_name_in_code_is_no_currency(string text)
    {
        Assert.Empty(Alternatives(text));
    }

    [Theory]
    [InlineData("Salario 5$.", "usd@1+1")]
    [InlineData("Pagos en dólares ($)", "usd@3+1")]
    [InlineData("Facturas en $USD", "usd@2+1")]
    [InlineData("$5M ARR", "usd@0+1")]
    [InlineData("Sueldo U$S 2.000", "usd@1+1")]
    [InlineData("cobro en u$s", "usd@2+1")]
    [InlineData("Precio $US 1.500", "usd@1+1")]
    public void A_dollar_sign_next_to_an_amount_or_alone_is_usd(string text, string expected)
    {
        Assert.Equal(new[] { expected }, Alternatives(text));
    }

    [Fact]
    public void Injects_us_and_usa_over_u_s()
    {
        Assert.Equal(new[] { "u", "s", "market" }, Values("U.S. market"));
        Assert.Equal(new[] { "us@0+2", "usa@0+2" }, Alternatives("U.S. market"));
    }

    [Fact]
    public void Injects_usa_over_u_s_a()
    {
        Assert.Contains("usa@0+3", Alternatives("U.S.A. clients"));
    }

    [Fact]
    public void Injects_uk_over_u_k()
    {
        Assert.Equal(new[] { "uk@1+2" }, Alternatives("the U.K. market"));
    }

    [Theory]
    [InlineData("EE.UU.", "us@0+2", "usa@0+2")]
    [InlineData("EEUU", "us@0+1", "usa@0+1")]
    public void Injects_us_and_usa_for_the_spanish_abbreviation(string text, string first, string second)
    {
        Assert.Equal(new[] { first, second }, Alternatives(text));
    }

    [Fact]
    public void Injects_latam_for_latinoamerica()
    {
        Assert.Equal(new[] { "latam@1+1" }, Alternatives("clientes Latinoamérica"));
    }

    [Fact]
    public void Does_not_inject_for_lone_letters_or_other_words()
    {
        Assert.Empty(Alternatives("u otra s, usa, k"));
    }

    [Theory]
    [InlineData("Apply here: https://stripe.com/jobs/apply?id=12345 now")]
    [InlineData("Apply here (http://stripe.com/jobs) now")]
    [InlineData("Apply here www.stripe.com/jobs now")]
    [InlineData("Apply here jobs.team@stripe.com now")]
    [InlineData("Apply here:ftp://stripe.io now")]
    [InlineData("Apply here stripe.com/jobs now")]
    [InlineData("Apply here (empresa.es/pagos-internacionales) now")]
    [InlineData("Apply here:careers.stripe.co.uk/es/ now")]
    [InlineData("Apply here Stripe.com/ now")]
    [InlineData("Apply here https://stripe.com/jobs?a=1&amp;b=2&nbsp;now")]
    public void Drops_urls_and_email_addresses(string text)
    {
        Assert.Equal(new[] { "apply", "here", "now" }, Values(text));
    }

    [Theory]
    [InlineData("Salesforce.com y HubSpot", new[] { "salesforce", "com", "y", "hubspot" })]
    [InlineData("Node.js/React y Vue.js/Nuxt", new[] { "node", "js", "react", "y", "vue", "js", "nuxt" })]
    [InlineData("ASP.NET/C# y VB.NET/Azure", new[] { "asp", "net", "c#", "y", "vb", "net", "azure" })]
    [InlineData("ASP.Net/C# y Socket.IO/Redis", new[] { "asp", "net", "c#", "y", "socket", "io", "redis" })]
    [InlineData("Import/export, S.L./S.A. y 3.5/5", new[] { "import", "export", "s", "l", "s", "a", "y", "3", "5", "5" })]
    [InlineData("deploy.sh/build.py/a/b.com/x", new[] { "deploy", "sh", "build", "py", "a", "b", "com", "x" })]
    public void Keeps_dotted_words_that_are_no_domain_with_a_path(string text, string[] expected)
    {
        // A bare domain is a URL only when a path follows it; file names and frameworks are not domains.
        Assert.Equal(expected, Values(text));
    }

    [Theory]
    [InlineData("pagos&nbsp;internacionales", new[] { "pagos", "internacionales" })]
    [InlineData("P&amp;L y M&amp;A", new[] { "p&l", "y", "m&a" })]
    [InlineData("Gesti&oacute;n de &#233;xito y &#xE9;xito", new[] { "gestion", "de", "exito", "y", "exito" })]
    [InlineData("&quot;USD&quot;&lt;br&gt;GBP&#39;s", new[] { "usd", "br", "gbp", "s" })]
    [InlineData("AT&T, &foo; &#0; &#xD800; &#;", new[] { "at&t", "&foo", "&#0", "&#xd800", "&#" })]
    public void Reads_html_references_as_the_characters_they_stand_for(string text, string[] expected)
    {
        Assert.Equal(expected, Values(text));
    }

    [Fact]
    public void Keeps_offsets_of_a_token_with_html_references_in_the_original_text()
    {
        var text = Tokenizer.Tokenize("Gesti&oacute;n&nbsp;P&amp;L &euro;");
        Assert.Equal(["gestion", "p&l", "\u20AC"], text.Tokens.Select(t => t.Value));
        Assert.Equal(["Gesti&oacute;n", "P&amp;L", "&euro;"], text.Tokens.Select(t => text.Text[t.Start..t.End]));
        // "&euro;" is the euro sign, read as eur too.
        Assert.Equal(["eur@2+1"], text.Alternatives.Select(a => $"{a.Value}@{a.Slot}+{a.SlotCount}"));
        Assert.Equal("pagos internacionales", Tokenizer.Normalize("pagos&nbsp;internacionales"));
    }

    [Fact]
    public void Keeps_words_around_an_at_sign_that_is_not_an_address()
    {
        Assert.Equal(new[] { "ventas", "@empresa", "stripe" }, Values("ventas @empresa stripe"));
    }

    [Fact]
    public void Treats_controls_lone_surrogates_and_symbols_as_separators()
    {
        Assert.Equal(new[] { "aws", "azure", "gcp", "stripe", "adyen" },
            Values("AWS\u0000Azure\uD800GCP\uDC00Stripe\U0001F680Adyen"));
    }

    [Fact]
    public void Ignores_soft_hyphens_and_keeps_supplementary_letters()
    {
        Assert.Equal(new[] { "aws", "\U00010428x" }, Values("AW\u00ADS \U00010400X"));
    }

    [Fact]
    public void Returns_nothing_for_empty_or_separator_only_text()
    {
        Assert.Empty(Values(""));
        Assert.Empty(Values(" \t\n.,;-- ¿? "));
        Assert.Empty(Tokenizer.Tokenize(null).Tokens);
    }

    [Fact]
    public void Normalized_tokens_are_the_original_tokens_of_the_lattice()
    {
        const string text = "Gestión de pagos en U.S. y EE.UU. ($100K) — https://x.com ok";
        Assert.Equal(Values(text), Tokenizer.NormalizedTokens(text));
        Assert.Equal(string.Join(' ', Values(text)), Tokenizer.Normalize(text));
        Assert.Equal("ingeniero a de datos", Tokenizer.Normalize("Ingeniero/a de DATOS"));
    }

    [Fact]
    public void Tokenizes_a_megabyte_token_without_whitespace()
    {
        var text = new string('a', 1 << 20);
        var token = Assert.Single(Tokenizer.Tokenize(text).Tokens);
        Assert.Equal(1 << 20, token.Length);
    }

    [Fact]
    public void A_rented_tokenization_equals_the_plain_one_until_it_is_given_back()
    {
        const string text = "Pagos en U.S. dollars ($) y EEUU; latinoamérica, C++ y más";
        var plain = Tokenizer.Tokenize(text);
        var rented = Tokenizer.TokenizeRented(text);

        Assert.Equal(plain.Tokens, rented.Tokens);
        Assert.Equal(plain.Count, rented.Tokens.Count);
        Assert.Equal(plain.TokenHashes.ToArray(), rented.TokenHashes.ToArray());
        Assert.Equal(plain.Alternatives, rented.Alternatives);
        for (var slot = 0; slot < plain.Count; slot++) Assert.Equal(plain.AlternativesAt(slot).ToArray(), rented.AlternativesAt(slot).ToArray());
        Assert.Equal(plain.OriginalText(2, 2), rented.OriginalText(2, 2));

        rented.ReturnRented();
        Assert.Equal(0, rented.Count);
        Assert.Empty(rented.Tokens);
        Assert.True(rented.AlternativesAt(0).IsEmpty);
        rented.ReturnRented(); // once only: a second call must not give the arrays to the pool again
        Assert.Equal(["pagos", "en", "u", "s", "dollars", "$", "y", "eeuu", "latinoamerica", "c++", "y", "mas"], plain.Tokens.Select(t => t.Value));
    }

    [Fact]
    public void The_tokens_of_a_rented_tokenization_outlive_its_arrays()
    {
        // Sixteen tokens: the pool's array is exactly as long, so only a copy keeps them once it goes back.
        var words = Enumerable.Range(1, 16).Select(i => "w" + i).ToArray();
        var rented = Tokenizer.TokenizeRented(string.Join(" ", words));
        var tokens = rented.Tokens;

        rented.ReturnRented();

        Assert.Equal(words, tokens.Select(t => t.Value));
    }

    [Theory]
    [InlineData("us")]
    [InlineData("usa")]
    [InlineData("uk")]
    [InlineData("latam")]
    [InlineData("usd")]
    [InlineData("gbp")]
    [InlineData("eur")]
    public void Every_spelling_said_to_read_as_a_token_does(string token)
    {
        // Catalog validation relies on this reverse table: it must stay in step with the injections.
        Assert.NotEmpty(Tokenizer.SpellingsReadAs(token));
        foreach (var spelling in Tokenizer.SpellingsReadAs(token))
            Assert.Contains(token, Tokenizer.Readings(spelling, 64));
    }

    [Fact]
    public void Lists_every_reading_of_a_text()
    {
        Assert.Equal(new[] { "u s market", "us market", "usa market" }, Tokenizer.Readings("U.S. market", 64).Order());
    }
}

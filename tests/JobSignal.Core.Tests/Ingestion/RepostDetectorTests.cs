using System.Security.Cryptography;
using System.Text;
using JobSignal.Core.Common;
using JobSignal.Core.Ingestion;
using JobSignal.Core.Signal;

namespace JobSignal.Core.Tests.Ingestion;

public class RepostDetectorTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 30, 12, 0, 0, TimeSpan.Zero);

    internal static string[] Tokens(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    internal static ContentSignature Signature(string title, string description) =>
        RepostDetector.BuildSignature(Tokens(title), Tokens(description));

    /// <summary>A description of <paramref name="length"/> distinct words "w0 w1 ...", optionally starting at another word.</summary>
    internal static string Words(int length, int from = 0, string stem = "w") =>
        string.Join(' ', Enumerable.Range(from, length).Select(i => $"{stem}{i}"));

    private static CanonicalOfferSignature Candidate(long id, ContentSignature signature, double daysAgo) =>
        new(id, signature, Now.AddDays(-daysAgo));

    private static RepostDecision Decide(ContentSignature incoming, params CanonicalOfferSignature[] candidates) =>
        RepostDetector.Decide(incoming, candidates, Now);

    [Fact]
    public void Fingerprint_is_sha256_of_title_line_feed_and_description_tokens()
    {
        var signature = Signature("contable senior", "experiencia en usd y sap");

        var expected = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("contable senior\nexperiencia en usd y sap")))
            .ToLowerInvariant();
        Assert.Equal(expected, signature.Fingerprint);
        Assert.Equal("contable senior", signature.NormalizedTitle);
        Assert.Equal(5, signature.DescriptionTokenCount);
        Assert.True(signature.HasDescription);
    }

    [Fact]
    public void Signature_from_raw_text_uses_the_matchers_tokenizer()
    {
        var fromText = RepostDetector.BuildSignature("Administrativo/a (Contabilidad)", "Gestión de cobros en USD: https://acme.es/jobs");

        Assert.Equal("administrativo a contabilidad", fromText.NormalizedTitle);
        Assert.Equal(RepostDetector.BuildSignature(
            Tokenizer.NormalizedTokens("Administrativo/a (Contabilidad)"),
            Tokenizer.NormalizedTokens("Gestión de cobros en USD: https://acme.es/jobs")), fromText);
        Assert.Equal(fromText.Fingerprint,
            RepostDetector.BuildSignature("ADMINISTRATIVO-A  contabilidad", "gestion de  COBROS en usd").Fingerprint);
        Assert.False(RepostDetector.BuildSignature("Mozo", "   ").HasDescription);
        Assert.False(RepostDetector.BuildSignature("Mozo", null).HasDescription);
    }

    [Fact]
    public void Signature_from_tokenized_text_is_the_one_from_raw_text()
    {
        const string title = "Administrativo/a (Contabilidad) U.S.";
        const string description = "Gestión de cobros en USD: https://acme.es/jobs, $100k y u.s. GAAP; ñandú café €.";

        Assert.Equal(RepostDetector.BuildSignature(title, description),
            RepostDetector.BuildSignature(Tokenizer.Tokenize(title), Tokenizer.Tokenize(description)));
        Assert.Equal(RepostDetector.BuildSignature("Mozo", null), RepostDetector.BuildSignature(Tokenizer.Tokenize("Mozo"), Tokenizer.Tokenize(null)));
    }

    [Fact]
    public void Signature_without_description()
    {
        var signature = Signature("administrativo a", "");

        Assert.False(signature.HasDescription);
        Assert.Equal(0, signature.DescriptionTokenCount);
        var expected = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("administrativo a\n"))).ToLowerInvariant();
        Assert.Equal(expected, signature.Fingerprint);
    }

    [Fact]
    public void Similarity_counts_repeats_over_the_longer_description()
    {
        Assert.Equal(0.75, RepostDetector.DescriptionSimilarity(Signature("t", "a a a b"), Signature("t", "b a b a")));
        Assert.Equal(0.5, RepostDetector.DescriptionSimilarity(Signature("t", "a b"), Signature("t", "a b c d")));
        Assert.Equal(1.0, RepostDetector.DescriptionSimilarity(Signature("t", "b a"), Signature("x", "a b")));
        Assert.Equal(0.0, RepostDetector.DescriptionSimilarity(Signature("t", ""), Signature("t", "a b")));
        Assert.Equal(0.0, RepostDetector.DescriptionSimilarity(Signature("t", ""), Signature("t", "")));
    }

    [Fact]
    public void Rule_a_equal_fingerprint_is_a_repost()
    {
        var content = Signature("contable", Words(40));

        var decision = Decide(Signature("contable", Words(40)), Candidate(7, content, 10));

        Assert.Equal(new RepostDecision(RepostRule.Fingerprint, 7, 1.0), decision);
        Assert.True(decision.IsRepost);
    }

    [Theory]
    [InlineData(85, RepostRule.TitleAndDescription)]
    [InlineData(84, RepostRule.None)]
    public void Rule_b_same_title_at_085_similarity_boundary(int shared, RepostRule expected)
    {
        // 100 tokens each, `shared` of them in common: similarity shared / 100, below the 0.90 of rule (c).
        var stored = Signature("administrativo a", Words(100));
        var incoming = Signature("administrativo a", Words(shared) + " " + Words(100 - shared, stem: "new"));

        var decision = Decide(incoming, Candidate(3, stored, 5));

        Assert.Equal(expected, decision.Rule);
        Assert.Equal(expected == RepostRule.None ? null : 3, decision.CanonicalOfferId);
        Assert.Equal(expected == RepostRule.None ? null : shared / 100.0, decision.Similarity);
    }

    [Fact]
    public void Rule_b_boundary_with_unequal_lengths_divides_by_the_longer()
    {
        // 17 of 20 stored tokens in a 17-token offer: 17 / 20 = 0.85 exactly.
        var stored = Signature("cajero", Words(20));
        Assert.Equal(RepostRule.TitleAndDescription, Decide(Signature("cajero", Words(17)), Candidate(1, stored, 1)).Rule);
        Assert.Equal(RepostRule.None, Decide(Signature("cajero", Words(16)), Candidate(1, stored, 1)).Rule);
    }

    [Theory]
    [InlineData(90, RepostRule.Description)]
    [InlineData(89, RepostRule.None)]
    public void Rule_c_any_title_at_090_similarity_boundary(int shared, RepostRule expected)
    {
        var stored = Signature("tesorero", Words(100));
        var incoming = Signature("responsable de tesoreria", Words(shared) + " " + Words(100 - shared, stem: "new"));

        var decision = Decide(incoming, Candidate(4, stored, 5));

        Assert.Equal(expected, decision.Rule);
        Assert.Equal(expected == RepostRule.None ? null : shared / 100.0, decision.Similarity);
    }

    [Fact]
    public void Rule_c_boundary_counts_repeated_tokens()
    {
        // Stored: "usd" x 10; incoming: "usd" x 9 + "eur": 9 / 10 = 0.90.
        var stored = Signature("a", string.Join(' ', Enumerable.Repeat("usd", 10)));
        var incoming = Signature("b", string.Join(' ', Enumerable.Repeat("usd", 9)) + " eur");
        Assert.Equal(new RepostDecision(RepostRule.Description, 1, 0.9), Decide(incoming, Candidate(1, stored, 1)));
    }

    [Fact]
    public void Same_generic_title_with_different_descriptions_is_not_merged()
    {
        var stored = Signature("administrativo a", "gestion de facturas de proveedores y conciliacion bancaria en sap para el area financiera");
        var incoming = Signature("administrativo a", "atencion telefonica a clientes recepcion de visitas y gestion de agenda de la direccion general");

        var decision = Decide(incoming, Candidate(1, stored, 2));

        Assert.Equal(RepostDecision.NotRepost, decision);
        Assert.Null(decision.Similarity);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(29.9, true)]
    [InlineData(30, true)]
    [InlineData(30.01, false)]
    [InlineData(100, false)]
    public void Rule_d_offer_without_description_compares_titles_within_30_days(double daysAgo, bool repost)
    {
        var stored = Signature("Administrativo a", Words(50));

        var decision = Decide(Signature("Administrativo a", ""), Candidate(9, stored, daysAgo));

        Assert.Equal(repost ? new RepostDecision(RepostRule.TitleOnly, 9, null) : RepostDecision.NotRepost, decision);
    }

    [Fact]
    public void Rule_d_offer_without_description_is_not_matched_by_fingerprint_beyond_30_days()
    {
        var stored = Signature("mozo de almacen", "");

        Assert.Equal(RepostRule.None, Decide(Signature("mozo de almacen", ""), Candidate(1, stored, 45)).Rule);
        Assert.Equal(RepostRule.TitleOnly, Decide(Signature("mozo de almacen", ""), Candidate(1, stored, 15)).Rule);
    }

    [Fact]
    public void Rule_d_needs_a_title_and_other_titles_do_not_match()
    {
        Assert.False(Decide(Signature("", ""), Candidate(1, Signature("", Words(5)), 1)).IsRepost);
        Assert.False(Decide(Signature("mozo", ""), Candidate(1, Signature("mozo de almacen", ""), 1)).IsRepost);
    }

    [Fact]
    public void Offer_with_description_is_not_a_title_only_repost_of_one_without()
    {
        var stored = Signature("mozo de almacen", "");
        Assert.False(Decide(Signature("mozo de almacen", Words(30)), Candidate(1, stored, 1)).IsRepost);
    }

    [Theory]
    [InlineData(179.9, true)]
    [InlineData(180, true)]
    [InlineData(180.01, false)]
    public void Candidates_are_limited_to_the_180_day_window(double daysAgo, bool repost)
    {
        var content = Signature("contable", Words(40));
        Assert.Equal(repost, Decide(Signature("contable", Words(40)), Candidate(1, content, daysAgo)).IsRepost);
    }

    [Fact]
    public void Window_and_thresholds_come_from_the_options()
    {
        var options = new RepostOptions
        {
            CandidateWindow = TimeSpan.FromDays(10),
            TitleOnlyWindow = TimeSpan.FromDays(2),
            DescriptionSimilarity = 0.5,
        };
        var stored = Signature("a", Words(10));

        Assert.False(RepostDetector.Decide(Signature("a", Words(10)), [Candidate(1, stored, 11)], Now, options).IsRepost);
        Assert.Equal(RepostRule.Description,
            RepostDetector.Decide(Signature("b", Words(5)), [Candidate(1, stored, 1)], Now, options).Rule);
        Assert.False(RepostDetector.Decide(Signature("a", ""), [Candidate(1, stored, 3)], Now, options).IsRepost);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(1.01)]
    [InlineData(double.NaN)]
    public void Thresholds_outside_0_to_1_are_rejected(double threshold)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RepostOptions { TitleMatchSimilarity = threshold });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RepostOptions { DescriptionSimilarity = threshold });
    }

    [Fact]
    public void Rules_apply_in_order_then_similarity_then_recency_then_oldest_id()
    {
        var incoming = Signature("analista", Words(100));
        var sameTitleAt086 = Candidate(1, Signature("analista", Words(86) + " " + Words(14, stem: "x")), 3);
        var otherTitleAt095 = Candidate(2, Signature("otro", Words(95) + " " + Words(5, stem: "y")), 3);
        var identicalOld = Candidate(3, Signature("analista", Words(100)), 100);
        var identicalRecent = Candidate(4, Signature("analista", Words(100)), 1);
        var identicalRecentToo = Candidate(5, Signature("analista", Words(100)), 1);

        Assert.Equal(new RepostDecision(RepostRule.TitleAndDescription, 1, 0.86), Decide(incoming, otherTitleAt095, sameTitleAt086));
        Assert.Equal(3, Decide(incoming, otherTitleAt095, sameTitleAt086, identicalOld).CanonicalOfferId);
        Assert.Equal(4, Decide(incoming, identicalOld, identicalRecentToo, identicalRecent).CanonicalOfferId);
    }

    [Fact]
    public void Between_two_rule_c_matches_the_more_similar_wins()
    {
        var incoming = Signature("a", Words(100));
        var at091 = Candidate(1, Signature("b", Words(91) + " " + Words(9, stem: "x")), 1);
        var at097 = Candidate(2, Signature("c", Words(97) + " " + Words(3, stem: "x")), 50);

        Assert.Equal(new RepostDecision(RepostRule.Description, 2, 0.97), Decide(incoming, at091, at097));
    }

    [Fact]
    public void Signature_round_trips_through_bytes()
    {
        var description = "usd usd pagos internacionales " + Words(300) + " ñandú café €";
        foreach (var signature in new[] { Signature("contable senior", description), Signature("mozo", ""), Signature("", "") })
        {
            var bytes = signature.ToBytes();
            var back = ContentSignature.FromBytes(bytes);

            Assert.Equal(signature, back);
            Assert.Equal(signature.Fingerprint, back.Fingerprint);
            Assert.Equal(signature.NormalizedTitle, back.NormalizedTitle);
            Assert.Equal(signature.DescriptionTokenCount, back.DescriptionTokenCount);
            Assert.Equal(bytes, back.ToBytes());
            if (signature.HasDescription) Assert.Equal(1.0, RepostDetector.DescriptionSimilarity(signature, back));
        }
    }

    [Fact]
    public void Signature_bytes_are_compact()
    {
        var signature = Signature("contable senior", Words(300));
        // Version + fingerprint + title + counts + about 5 bytes per distinct token.
        Assert.InRange(signature.ToBytes().Length, 300 * 2, 1 + 32 + 16 + 4 + 300 * 6);
    }

    [Fact]
    public void Signature_does_not_depend_on_description_word_order_except_the_fingerprint()
    {
        var a = Signature("t", "uno dos tres dos");
        var b = Signature("t", "dos tres dos uno");

        Assert.Equal(1.0, RepostDetector.DescriptionSimilarity(a, b));
        Assert.NotEqual(a.Fingerprint, b.Fingerprint);
    }

    [Fact]
    public void Damaged_signature_bytes_are_a_clear_error()
    {
        var bytes = Signature("contable", Words(20)).ToBytes();

        AssertInvalid(bytes[..^1]);
        AssertInvalid([.. bytes, 0]);
        AssertInvalid([]);
        var wrongVersion = bytes.ToArray();
        wrongVersion[0] = 9;
        AssertInvalid(wrongVersion);
        AssertInvalid([1, .. new byte[32], 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]);

        static void AssertInvalid(byte[] damaged)
        {
            var error = Assert.Throws<JobSignalException>(() => ContentSignature.FromBytes(damaged));
            Assert.Equal("ContentSignatureInvalid", error.ErrorId);
            Assert.Equal(FailureKind.InvalidData, error.Kind);
        }
    }
}

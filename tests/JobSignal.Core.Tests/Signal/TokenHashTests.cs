using System.Security.Cryptography;
using System.Text;
using JobSignal.Core.Catalog;
using JobSignal.Core.Ingestion;
using JobSignal.Core.Signal;

namespace JobSignal.Core.Tests.Signal;

public class TokenHashTests
{
    // Stored in every content signature: these values were computed apart from the code (FNV-1a 64 over UTF-16 code
    // units, then the MurmurHash3 finalizer, low 32 bits) and must never change.
    [Theory]
    [InlineData("usd", 2885925463u)]
    [InlineData("pagos", 3634034351u)]
    [InlineData("internacionales", 638285937u)]
    [InlineData("ñ", 1333897336u)]
    [InlineData("\U0001D400", 1374125206u)]
    [InlineData("", 3130599718u)]
    public void Token_hashes_are_stable(string token, uint expected)
    {
        Assert.Equal(expected, TokenHash.Of(token));
    }

    [Fact]
    public void The_tokenizer_gives_each_token_its_hash()
    {
        // Plain words, folded accents, letters that fold to several (Hangul syllables), a supplementary letter,
        // currency injections and a dropped URL.
        var text = Tokenizer.Tokenize("Pagos en USD y €; 한국 \U0001D400lfa, C++ https://acme.es/jobs ñandú $100k");

        Assert.Equal(text.Count, text.TokenHashes.Length);
        Assert.Contains(text.Tokens, t => t.Value == "한국".Normalize(NormalizationForm.FormD));
        for (var slot = 0; slot < text.Count; slot++) Assert.Equal(TokenHash.Of(text.Tokens[slot].Value), text.TokenHashes[slot]);
    }

    [Fact]
    public void Fingerprint_of_non_ascii_tokens_is_sha256_of_their_utf8()
    {
        var signature = RepostDetector.BuildSignature(["ingeniero", "de", "datos"], ["pagos", "en", "usd", "señor", "\U0001D400"]);

        var expected = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("ingeniero de datos\npagos en usd señor \U0001D400")));
        Assert.Equal(expected.ToLowerInvariant(), signature.Fingerprint);
    }

    [Fact]
    public void A_sealed_trie_node_finds_every_child_and_no_other_token()
    {
        var node = new TrieNode();
        var children = Enumerable.Range(0, 200).Select(i => "child" + i).ToList();
        var made = children.ToDictionary(child => child, child => node.GetOrAddChild(child, out _));
        node.Seal();

        Assert.All(children, child => Assert.True(node.TryGetChild(child, TokenHash.Of(child), out var found) && found == made[child]));
        // A token equal to a child's, but another string instance, is the same token.
        Assert.True(node.TryGetChild(new string("child7".AsSpan()), TokenHash.Of("child7"), out var copy) && copy == made["child7"]);
        var others = Enumerable.Range(0, 10_000).Select(i => "other" + i).Append("child").Append("child2000").ToList();
        Assert.All(others, other => Assert.False(node.TryGetChild(other, TokenHash.Of(other), out _)));
        Assert.Throws<InvalidOperationException>(() => node.GetOrAddChild("late", out _));
    }

    [Fact]
    public void A_token_table_keeps_colliding_tokens_apart_and_rejects_a_token_given_twice()
    {
        // 64 tokens whose hashes share their low 7 bits: a table of 64 has 128 slots, so they all start at one slot and
        // fill a single probe chain; absent tokens that start there walk all of it.
        var candidates = Enumerable.Range(0, 200_000).Select(i => "t" + i).Where(t => (TokenHash.Of(t) & 127) == 5).ToList();
        var tokens = candidates.Take(64).ToList();
        var absent = candidates.Skip(64).Take(64).ToList();
        Assert.Equal(64, absent.Count);
        var table = new TokenTable<int>(tokens.Select((t, i) => KeyValuePair.Create(t, i)).ToList());

        Assert.Equal(64, table.Count);
        Assert.All(tokens.Select((t, i) => (t, i)), e => Assert.True(table.TryGetValue(e.t, TokenHash.Of(e.t), out var v) && v == e.i));
        Assert.All(absent, t => Assert.False(table.TryGetValue(t, TokenHash.Of(t), out _)));
        Assert.Throws<ArgumentException>(() => new TokenTable<int>([KeyValuePair.Create("a", 1), KeyValuePair.Create("a", 2)]));
        var empty = new TokenSet([]);
        Assert.Equal(0, empty.Count);
        Assert.False(empty.Contains("a"));
        Assert.True(new TokenSet(["sin", "no", "sin"]).Contains("no"));
    }

    [Fact]
    public void Every_alias_of_the_default_catalog_matches_its_own_text()
    {
        var model = SignalTestData.DefaultModel();
        var matcher = new KeywordMatcher(SignalTestData.DefaultCatalog);
        var aliases = model.Keywords.SelectMany(k => k.Aliases.Concat(k.CaseSensitiveAliases).Select(a => (k.Id, Alias: a)))
            .Concat(model.Phrases.Select(p => (p.Id, Alias: p.Phrase))).ToList();

        Assert.True(aliases.Count > 50);
        Assert.All(aliases, a => Assert.Contains(matcher.Match(a.Alias, SignalField.Description), h => h.Id == a.Id));
    }
}

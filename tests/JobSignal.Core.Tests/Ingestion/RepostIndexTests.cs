using JobSignal.Core.Ingestion;
using Xunit.Abstractions;
using static JobSignal.Core.Tests.Ingestion.RepostDetectorTests;

namespace JobSignal.Core.Tests.Ingestion;

public class RepostIndexTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Now = new(2025, 6, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Finds_each_rule_and_keeps_last_seen_current()
    {
        var index = new RepostIndex(
        [
            new CanonicalOfferSignature(1, Signature("contable", Words(40)), Now.AddDays(-10)),
            new CanonicalOfferSignature(2, Signature("administrativo a", Words(100, stem: "adm")), Now.AddDays(-40)),
        ]);

        Assert.Equal(new RepostDecision(RepostRule.Fingerprint, 1, 1.0), index.FindRepost(Signature("contable", Words(40)), Now));
        Assert.Equal(RepostRule.TitleAndDescription,
            index.FindRepost(Signature("administrativo a", Words(86, stem: "adm") + " " + Words(14, stem: "z")), Now).Rule);
        Assert.Equal(RepostRule.Description,
            index.FindRepost(Signature("auxiliar", Words(36) + " " + Words(4, stem: "z")), Now).Rule);
        Assert.False(index.FindRepost(Signature("administrativo a", ""), Now).IsRepost);

        Assert.True(index.MarkSeen(2, Now.AddDays(-1)));
        Assert.Equal(new RepostDecision(RepostRule.TitleOnly, 2, null), index.FindRepost(Signature("administrativo a", ""), Now));
        Assert.False(index.MarkSeen(99, Now));
    }

    [Fact]
    public void Offers_added_during_the_run_are_found_and_old_ones_expire()
    {
        var index = new RepostIndex([new CanonicalOfferSignature(1, Signature("a", Words(30)), Now.AddDays(-181))]);
        var incoming = Signature("a", Words(30));

        Assert.False(index.FindRepost(incoming, Now).IsRepost);
        index.Add(2, incoming, Now);
        Assert.Equal(2, index.FindRepost(Signature("b", Words(29) + " extra"), Now).CanonicalOfferId);
        Assert.Equal(2, index.Count);
    }

    [Fact]
    public void Replacing_an_offers_content_forgets_the_old_content()
    {
        var index = new RepostIndex([new CanonicalOfferSignature(1, Signature("a", Words(30)), Now)]);

        index.Add(1, Signature("a", Words(30, stem: "new")), Now);

        Assert.Equal(1, index.Count);
        Assert.False(index.FindRepost(Signature("a", Words(30)), Now).IsRepost);
        Assert.False(index.FindRepost(Signature("a", ""), Now.AddDays(31)).IsRepost);
        Assert.Equal(1, index.FindRepost(Signature("b", Words(30, stem: "new")), Now).CanonicalOfferId);
        Assert.Equal(RepostRule.TitleOnly, index.FindRepost(Signature("a", ""), Now).Rule);
    }

    [Theory]
    [InlineData(true, 0.85, false)]
    [InlineData(false, 0.90, false)]
    [InlineData(true, 0.85, true)]
    [InlineData(false, 0.90, true)]
    public void Index_finds_reposts_exactly_at_the_threshold_for_every_length(bool sameTitle, double threshold, bool indexed)
    {
        for (var length = 1; length <= 150; length++)
        {
            var stored = Signature("oferta", Words(length));
            // Distractors share most words, so element frequencies and prefixes are not trivial.
            var index = new RepostIndex(
            [
                new CanonicalOfferSignature(1, stored, Now),
                new CanonicalOfferSignature(2, Signature("otra", Words(length, from: 3)), Now),
                new CanonicalOfferSignature(3, Signature("oferta", Words(length / 2) + " " + Words(length, stem: "d")), Now),
                .. Fillers(indexed),
            ]);
            Assert.Equal(indexed, index.IsIndexed);
            var atThreshold = Enumerable.Range(1, length).First(shared => (double)shared / length >= threshold);
            var title = sameTitle ? "oferta" : "distinta";

            foreach (var shared in new[] { atThreshold, atThreshold - 1 })
            {
                var incoming = Signature(title, Words(shared) + " " + Words(length - shared, stem: "n"));
                var expected = RepostDetector.Decide(incoming, [new CanonicalOfferSignature(1, stored, Now)], Now);
                Assert.Equal(shared == atThreshold, expected.IsRepost);
                Assert.Equal(expected, index.FindRepost(incoming, Now));
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Index_decides_exactly_like_checking_every_candidate(bool readBack)
    {
        var corpus = new SyntheticCompany(seed: 11);
        var offers = new List<SyntheticOffer>();
        var stored = new List<CanonicalOfferSignature>();
        for (var id = 1; id <= 1500; id++)
        {
            var offer = corpus.NewOffer();
            offers.Add(offer);
            stored.Add(new CanonicalOfferSignature(id, offer.Signature, Now.AddDays(-corpus.Random.Next(0, 220))));
        }
        var check = new CheckedIndex(readBack, stored);
        var reposts = 0;

        for (var i = 0; i < 600; i++)
        {
            var original = offers[corpus.Random.Next(offers.Count)];
            var incoming = ((i % 6) switch
            {
                0 => corpus.NewOffer(),
                1 => corpus.Repost(original, similarity: 0.80 + corpus.Random.NextDouble() * 0.2, keepTitle: true),
                2 => corpus.Repost(original, similarity: 0.86 + corpus.Random.NextDouble() * 0.1, keepTitle: false),
                3 => SyntheticCompany.WithoutDescription(original),
                4 => corpus.Repost(original, similarity: 1.0, keepTitle: true),
                _ => corpus.Repost(original, similarity: corpus.Random.Next(2) == 0 ? 0.85 : 0.9, keepTitle: corpus.Random.Next(2) == 0),
            }).Signature;
            if (check.Next(incoming, Now.AddHours(i), 10_000 + i).IsRepost) reposts++;
        }
        Assert.InRange(reposts, 250, 500);
        if (readBack)
        {
            // Read back: the map hits and the few candidates the filters let through, not the company.
            output.WriteLine($"{check.Store.Reads} signatures read back for 600 offers, {check.Index.BoundRejections} candidates rejected by the bucket bound");
            Assert.True(check.Store.Reads <= 600 * 3, $"{check.Store.Reads} signatures read back");
        }
    }

    [Fact]
    public void An_offer_probed_before_a_rebuild_is_filed_under_the_order_of_that_rebuild()
    {
        // 64 offers (the indexed size) where q100-q199 are in 40: q0-q99 are the rarest words of the probed offer.
        var index = new RepostIndex(Enumerable.Range(1, 64).Select(id => new CanonicalOfferSignature(id,
            Signature($"t{id}", (id <= 40 ? Words(100, from: 100, stem: "q") + " " : "") + Words(50, stem: $"u{id}x")),
            Now.AddDays(-1))));
        var probed = Signature("x", Words(200, stem: "q"));
        Assert.False(index.FindRepost(probed, Now).IsRepost);

        // Before the probed offer is stored, 64 others with q0-q99 make the index rebuild: q100-q199 are now the rarer.
        for (var id = 65; id <= 128; id++)
            index.Add(id, Signature($"t{id}", Words(100, stem: "q") + " " + Words(50, stem: $"u{id}x")), Now);
        index.Add(200, probed, Now);

        var edited = Signature("x", Words(194, stem: "q") + " " + Words(6, stem: "n"));
        Assert.Equal(new RepostDecision(RepostRule.TitleAndDescription, 200, 0.97), index.FindRepost(edited, Now));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Index_grown_from_empty_decides_exactly_through_its_rebuilds(bool readBack)
    {
        var corpus = new SyntheticCompany(seed: 12);
        var offers = new List<SyntheticOffer>();
        var check = new CheckedIndex(readBack, []);
        for (var i = 0; i < 700; i++)
        {
            var offer = offers.Count == 0 || i % 3 == 0
                ? corpus.NewOffer()
                : corpus.Repost(offers[corpus.Random.Next(offers.Count)], 0.83 + corpus.Random.NextDouble() * 0.12, corpus.Random.Next(2) == 0);
            if (!check.Next(offer.Signature, Now.AddHours(i), 1000 + i).IsRepost) offers.Add(offer);
        }
        Assert.Equal(offers.Count, check.Index.Count);
    }

    /// <summary>
    /// An index beside the reference, <see cref="RepostDetector.Decide"/> over every candidate, both kept current the
    /// way ingestion keeps them: a repost refreshes its canonical offer, a new vacancy is added.
    /// </summary>
    private sealed class CheckedIndex
    {
        private readonly Dictionary<long, CanonicalOfferSignature> _candidates;

        public CheckedIndex(bool readBack, IEnumerable<CanonicalOfferSignature> stored)
        {
            _candidates = stored.ToDictionary(c => c.OfferId);
            Index = readBack ? Store.Index(_candidates.Values) : new RepostIndex(_candidates.Values);
        }

        public StoredSignatures Store { get; } = new();
        public RepostIndex Index { get; }

        public RepostDecision Next(ContentSignature incoming, DateTimeOffset now, long newId)
        {
            var expected = RepostDetector.Decide(incoming, _candidates.Values, now);
            var actual = Index.FindRepost(incoming, now);
            Assert.Equal(expected, actual);
            if (actual.IsRepost)
            {
                var canonical = _candidates[actual.CanonicalOfferId!.Value];
                _candidates[canonical.OfferId] = canonical with { LastSeenAt = now };
                Index.MarkSeen(canonical.OfferId, now);
            }
            else
            {
                _candidates[newId] = new CanonicalOfferSignature(newId, incoming, now);
                Store.Put(newId, incoming);
                Index.Add(newId, incoming, now);
            }
            return actual;
        }
    }

    [Fact]
    public void Every_true_repost_is_found_and_verifications_stay_flat_as_history_grows()
    {
        var small = MeasureCompany(storedOffers: 500, seed: 21);
        var large = MeasureCompany(storedOffers: 5000, seed: 22);
        output.WriteLine($"500 offers:  {small}");
        output.WriteLine($"5000 offers: {large}");

        Assert.Equal(small.Reposts, small.RepostsFound);
        Assert.Equal(large.Reposts, large.RepostsFound);
        Assert.Equal(0, large.FalseReposts);
        // Ten times the history, not ten times the work: half the probes are reposts (one verification each), the
        // other half are new vacancies that should cost next to no verification at all.
        Assert.True(large.VerificationsPerProbe <= 1.0, $"{large.VerificationsPerProbe} verifications per offer");
        Assert.True(large.MaxVerifications <= 5, $"{large.MaxVerifications} verifications for one offer");
        Assert.True(large.VerificationsPerProbe <= small.VerificationsPerProbe + 0.25);
        // Candidate generation walks posting lists of the rarest words only: a small fraction of the company.
        Assert.True(large.VisitsPerProbe <= 5000 * 0.2, $"{large.VisitsPerProbe} postings walked per offer");
    }

    [Fact]
    public void Index_grown_offer_by_offer_from_empty_stays_flat()
    {
        var corpus = new SyntheticCompany(seed: 31);
        var index = new RepostIndex([]);
        long lastThousandVerifications = 0, lastThousandProbes = 0;
        for (var id = 1; id <= 5000; id++)
        {
            if (id == 4001)
            {
                lastThousandVerifications = -index.Verifications;
                lastThousandProbes = -index.Probes;
            }
            var offer = corpus.NewOffer().Signature;
            var decision = index.FindRepost(offer, Now);
            Assert.False(decision.IsRepost, $"distinct offer {id} taken for a repost of {decision.CanonicalOfferId}");
            index.Add(id, offer, Now);
        }
        lastThousandVerifications += index.Verifications;
        lastThousandProbes += index.Probes;

        var perProbe = (double)lastThousandVerifications / lastThousandProbes;
        output.WriteLine($"offers 4001-5000: {perProbe:F2} verifications per offer, {(double)index.CandidatesVisited / index.Probes:F2} visits per offer overall");
        Assert.Equal(5000, index.Count);
        Assert.True(perProbe <= 0.5, $"{perProbe} verifications per offer");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_offer_whose_stored_signature_is_gone_or_changed_gives_way_to_one_that_really_matches(bool indexed)
    {
        var content = Signature("contable", Words(40));
        var store = new StoredSignatures();
        var index = store.Index(
        [
            new CanonicalOfferSignature(1, content, Now.AddDays(-5)),
            new CanonicalOfferSignature(2, content, Now.AddDays(-1)),
            new CanonicalOfferSignature(3, content, Now.AddDays(-3)),
            new CanonicalOfferSignature(4, Signature("mozo", ""), Now.AddDays(-1)),
            new CanonicalOfferSignature(5, Signature("mozo", ""), Now.AddDays(-2)),
            .. Fillers(indexed),
        ]);
        Assert.Equal(indexed, index.IsIndexed);
        Assert.Equal(new RepostDecision(RepostRule.Fingerprint, 2, 1.0), index.FindRepost(content, Now));

        // The most recent one is gone from the store, the next one now has other content under the same key:
        // the best of those that really have the fingerprint.
        store.Remove(2);
        store.Put(3, Signature("contable", Words(40, stem: "x")));
        Assert.Equal(new RepostDecision(RepostRule.Fingerprint, 1, 1.0), index.FindRepost(content, Now));

        // The same for titles (rule d).
        store.Put(4, Signature("otro", ""));
        Assert.Equal(new RepostDecision(RepostRule.TitleOnly, 5, null), index.FindRepost(Signature("mozo", ""), Now));
        store.Remove(5);
        Assert.False(index.FindRepost(Signature("mozo", ""), Now).IsRepost);
    }

    [Theory]
    [InlineData(true, 0.85, false)]
    [InlineData(false, 0.90, false)]
    [InlineData(true, 0.85, true)]
    [InlineData(false, 0.90, true)]
    public void Heavily_repeated_tokens_are_found_exactly_at_the_threshold(bool sameTitle, double threshold, bool indexed)
    {
        // Few distinct tokens repeated many times: most buckets of the overlap bound are saturated (15 or more).
        foreach (var repeats in new[] { 7, 40, 300 })
        {
            var length = 10 * repeats;
            var stored = Signature("oferta", Repeated(10, repeats));
            var store = new StoredSignatures();
            var index = store.Index(
            [
                new CanonicalOfferSignature(1, stored, Now),
                new CanonicalOfferSignature(2, Signature("otra", Repeated(10, repeats, stem: "d")), Now),
                .. Fillers(indexed),
            ]);
            Assert.Equal(indexed, index.IsIndexed);
            var atThreshold = Enumerable.Range(1, length).First(shared => (double)shared / length >= threshold);
            foreach (var shared in new[] { atThreshold, atThreshold - 1 })
            {
                // The first `shared` tokens of the stored description, in the same proportions, then new ones.
                var kept = Tokens(Repeated(10, repeats)).Take(shared);
                var incoming = RepostDetector.BuildSignature(Tokens(sameTitle ? "oferta" : "distinta"),
                    [.. kept, .. Tokens(Words(length - shared, stem: "n"))]);
                var expected = RepostDetector.Decide(incoming, [new CanonicalOfferSignature(1, stored, Now)], Now);
                Assert.Equal(shared == atThreshold, expected.IsRepost);
                Assert.Equal(expected, index.FindRepost(incoming, Now));
            }
        }

        static string Repeated(int distinct, int repeats, string stem = "w") =>
            string.Join(' ', Enumerable.Range(0, distinct * repeats).Select(i => $"{stem}{i % distinct}"));
    }

    [Fact]
    public void A_large_company_costs_little_memory_and_few_reads_per_offer()
    {
        var corpus = new SyntheticCompany(seed: 41);
        var store = new StoredSignatures();
        var stored = new List<CanonicalOfferSignature>();
        var offers = new List<SyntheticOffer>();
        for (var id = 1; id <= 3000; id++)
        {
            offers.Add(corpus.NewOffer());
            stored.Add(new CanonicalOfferSignature(id, offers[^1].Signature, Now.AddDays(-corpus.Random.Next(0, 170))));
        }
        var index = store.Index(stored);
        var built = (double)index.StructureBytes / index.Count;

        store.ResetReads();
        for (var i = 0; i < 1000; i++)
        {
            var incoming = i % 2 == 0 ? corpus.NewOffer() : corpus.Repost(offers[corpus.Random.Next(offers.Count)], 0.9, keepTitle: true);
            if (!index.FindRepost(incoming.Signature, Now).IsRepost)
            {
                store.Put(10_000 + i, incoming.Signature);
                index.Add(10_000 + i, incoming.Signature, Now);
            }
        }
        var grown = (double)index.StructureBytes / index.Count;
        output.WriteLine($"{built:F0} bytes per offer as loaded, {grown:F0} after adding; {store.Reads} reads for 1000 offers, " +
                         $"{index.BoundRejections} candidates rejected by the bucket bound, {index.Verifications} verified");

        // The signature itself (about 1.5 KB in memory for these descriptions) is never kept.
        Assert.True(built < 1500, $"{built:F0} bytes per offer");
        Assert.True(grown < 1500, $"{grown:F0} bytes per offer");
        // About one read per repost (its canonical offer), next to none per new vacancy.
        Assert.InRange(store.Reads, 400, 700);
    }

    [Fact]
    public void Selecting_a_prefix_puts_exactly_the_smallest_values_first()
    {
        var random = new Random(5);
        foreach (var length in new[] { 1, 2, 15, 16, 17, 100, 405, 3000 })
        {
            for (var round = 0; round < 20; round++)
            {
                // Distinct values, some runs ascending or descending, as rarity-ordered elements can be.
                var values = Enumerable.Range(0, length).Select(i => (ulong)i * 7919 % 1_000_003 + (ulong)(round % 3 == 0 ? i * 2_000_000 : 0)).ToArray();
                if (round % 3 == 1) Array.Reverse(values);
                if (round % 3 == 2) random.Shuffle(values);
                var k = random.Next(0, length + 2);
                var selected = values.ToArray();

                RepostIndex.SelectSmallest(selected, k);

                var expected = values.Order().Take(k).ToHashSet();
                Assert.True(expected.SetEquals(selected.Take(Math.Min(k, length))), $"length {length}, k {k}");
                Assert.Equal(values.Order(), selected.Order());
            }
        }
    }

    /// <summary>
    /// With <paramref name="indexed"/>, enough unrelated offers (sharing a few common words with the tests' "w" words)
    /// for a company to get maps and posting lists; else none, and the company is scanned.
    /// </summary>
    private static IEnumerable<CanonicalOfferSignature> Fillers(bool indexed) =>
        Enumerable.Range(0, indexed ? RepostIndex.IndexedSize : 0).Select(i =>
            new CanonicalOfferSignature(100_000 + i, Signature($"relleno {i}", Words(40, stem: $"f{i}x") + " " + Words(8)), Now.AddDays(-i)));

    /// <summary>The store's side of an index that keeps no signature: stored BLOBs by offer id, read back on demand.</summary>
    private sealed class StoredSignatures
    {
        private readonly Dictionary<long, byte[]> _blobs = [];

        public int Reads { get; private set; }

        public void Put(long offerId, ContentSignature signature) => _blobs[offerId] = signature.ToBytes();

        public void Remove(long offerId) => _blobs.Remove(offerId);

        public void ResetReads() => Reads = 0;

        public ContentSignature? Read(long offerId)
        {
            Reads++;
            return _blobs.TryGetValue(offerId, out var bytes) ? ContentSignature.FromBytes(bytes) : null;
        }

        public RepostIndex Index(IEnumerable<CanonicalOfferSignature> offers)
        {
            var list = offers.ToList();
            foreach (var offer in list) Put(offer.OfferId, offer.Signature);
            return new RepostIndex(list, null, Read);
        }
    }

    private sealed record SyntheticOffer(string Title, IReadOnlyList<string> Tokens)
    {
        public ContentSignature Signature { get; } = RepostDetector.BuildSignature(RepostDetectorTests.Tokens(Title), Tokens);
    }

    private sealed record Measurement(int Reposts, int RepostsFound, int FalseReposts, double VerificationsPerProbe,
        long MaxVerifications, double VisitsPerProbe);

    private static Measurement MeasureCompany(int storedOffers, int seed)
    {
        var corpus = new SyntheticCompany(seed);
        var offers = new List<SyntheticOffer>();
        var stored = new List<CanonicalOfferSignature>();
        for (var id = 1; id <= storedOffers; id++)
        {
            offers.Add(corpus.NewOffer());
            stored.Add(new CanonicalOfferSignature(id, offers[^1].Signature, Now.AddDays(-corpus.Random.Next(0, 170))));
        }
        var index = new RepostIndex(stored);

        int reposts = 0, found = 0, falseReposts = 0;
        long maxVerifications = 0;
        for (var i = 0; i < 1000; i++)
        {
            var before = index.Verifications;
            if (i % 2 == 0)
            {
                reposts++;
                var originalId = corpus.Random.Next(offers.Count);
                var sameTitle = i % 4 == 0;
                var similarity = sameTitle ? 0.85 + corpus.Random.NextDouble() * 0.15 : 0.90 + corpus.Random.NextDouble() * 0.1;
                var decision = index.FindRepost(corpus.Repost(offers[originalId], similarity, sameTitle).Signature, Now);
                if (decision.CanonicalOfferId == originalId + 1) found++;
            }
            else if (index.FindRepost(corpus.NewOffer().Signature, Now).IsRepost)
            {
                falseReposts++;
            }
            maxVerifications = Math.Max(maxVerifications, index.Verifications - before);
        }
        return new Measurement(reposts, found, falseReposts, (double)index.Verifications / index.Probes,
            maxVerifications, (double)index.CandidatesVisited / index.Probes);
    }

    /// <summary>
    /// Offers of one company as a job board shows them: a few generic titles shared by hundreds of offers,
    /// descriptions of 60-400 tokens mixing Spanish function words (Zipf-distributed, so any two descriptions share
    /// many tokens) with job vocabulary, and the same company boilerplate paragraph in every offer.
    /// </summary>
    private sealed class SyntheticCompany(int seed)
    {
        private static readonly string[] FunctionWords =
            ["de", "la", "y", "en", "el", "a", "los", "las", "del", "para", "con", "por", "un", "una", "que", "se",
             "su", "al", "es", "o", "como", "mas", "sus", "lo", "nuestro", "equipo", "experiencia", "empresa"];
        private static readonly string[] Titles =
            ["administrativo a", "comercial", "contable", "tecnico de soporte", "mozo de almacen", "dependiente a",
             "desarrollador backend", "analista financiero", "teleoperador a", "responsable de compras"];
        private static readonly string[] Boilerplate = Tokens(
            "somos una empresa lider en el sector con presencia en toda espana y mas de veinte anos de experiencia " +
            "ofrecemos contrato indefinido formacion continua y buen ambiente de trabajo en un equipo joven y dinamico");

        private readonly double[] _functionWeights = ZipfCumulative(FunctionWords.Length);
        private readonly double[] _vocabularyWeights = ZipfCumulative(30000);
        private int _fresh;

        public Random Random { get; } = new(seed);

        public SyntheticOffer NewOffer()
        {
            var tokens = new List<string>();
            var length = Random.Next(60, 400);
            for (var i = 0; i < length; i++)
            {
                tokens.Add(Random.NextDouble() < 0.45
                    ? FunctionWords[Pick(_functionWeights)]
                    : $"v{Pick(_vocabularyWeights)}");
            }
            tokens.AddRange(Boilerplate);
            return new SyntheticOffer(Titles[Random.Next(Titles.Length)], tokens);
        }

        /// <summary>
        /// A copy of the original whose description has exactly floor((1 - similarity) * n) tokens replaced by words
        /// never used before, so its similarity to the original is (n - replaced) / n, at least the one asked for.
        /// </summary>
        public SyntheticOffer Repost(SyntheticOffer original, double similarity, bool keepTitle)
        {
            var tokens = original.Tokens.ToList();
            var replace = (int)Math.Floor((1 - similarity) * tokens.Count + 1e-9);
            foreach (var position in Enumerable.Range(0, tokens.Count).OrderBy(_ => Random.Next()).Take(replace))
            {
                tokens[position] = $"fresh{_fresh++}";
            }
            return new SyntheticOffer(keepTitle ? original.Title : $"puesto {_fresh++}", tokens);
        }

        public static SyntheticOffer WithoutDescription(SyntheticOffer original) => new(original.Title, []);

        private int Pick(double[] cumulative)
        {
            var index = Array.BinarySearch(cumulative, Random.NextDouble() * cumulative[^1]);
            return index >= 0 ? index : ~index;
        }

        private static double[] ZipfCumulative(int size)
        {
            var cumulative = new double[size];
            var total = 0.0;
            for (var i = 0; i < size; i++) cumulative[i] = total += 1.0 / (i + 1);
            return cumulative;
        }
    }
}

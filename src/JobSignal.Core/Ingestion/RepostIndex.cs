using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using JobSignal.Core.Signal;

namespace JobSignal.Core.Ingestion;

/// <summary>
/// One company's canonical offers, indexed so that repost detection does not compare a new offer with every offer
/// the company ever published (SPEC 5.4; the audited system re-tokenized them all, every time). Built once per run
/// from the stored signatures, then kept current with <see cref="Add"/> and <see cref="MarkSeen"/>.
/// <see cref="FindRepost"/> gives exactly the decision of <see cref="RepostDetector.Decide"/> over all candidates
/// but verifies only those that can qualify:
/// <list type="bullet">
/// <item>rule (a): a map from a 64-bit key of the fingerprint to the most recently seen offer with it;</item>
/// <item>rule (d): a map from a 64-bit key of the normalized title to the most recently seen offer with it;</item>
/// <item>rules (b) and (c): an exact prefix filter. A description is a multiset, i.e. the set of (token, n-th
/// occurrence) elements, so "tokens in common counting repeats" is the size of a set intersection. Order all
/// elements globally, rarest first. If two descriptions of n and m tokens share o elements with o at least
/// t·max(n, m), the k smallest shared elements lie within the first n - ceil(t·n) + k elements of one and the
/// first m - ceil(t·m) + k of the other (everything before them in either is unshared). Each offer is indexed
/// under such a prefix (k = 8); a probe walks the posting lists of its own prefix and
/// verifies only candidates sharing k prefix elements (or their whole overlap, if smaller). With t the lower of
/// the two thresholds, no candidate that a rule would accept can be missed: the miss probability is zero, where
/// MinHash banding only makes it small and, on real text whose unrelated offers share many function words, cannot
/// keep false candidates few. Rarest first keeps the walk short: prefixes hold the words particular to a vacancy,
/// not the company's boilerplate;</item>
/// <item>then, before a candidate is verified, an exact bound: per offer, how many of its elements fall in each of
/// 256 hash buckets (4 bits each). Tokens in common never exceed the sum over buckets of the smaller count, so a
/// candidate whose bound is below the threshold is rejected without being read.</item>
/// </list>
/// <para>
/// Memory is what selects candidates, not their content (about 1 KB per offer): slots are parallel arrays, maps are
/// keyed by 64-bit hashes, posting lists by 32-bit hashes of the elements, and rarity is a count sketch. A hash
/// shared by different content only adds candidates, never hides one: every candidate is verified exactly against
/// its full signature, read back through the reader the index was given (the store keeps every signature); without
/// a reader the index keeps the signatures it is given. Only candidates that pass the filters are read, so the cost
/// per offer does not grow with the company's history.
/// </para>
/// <para>
/// A company of fewer than <see cref="IndexedSize"/> offers has no maps or posting lists: its slots are scanned with
/// the same exact filters (window, lengths, bucket bound). When it reaches that size, and each time its slots have
/// doubled since, the index is rebuilt (re-reading the company's signatures): element rarity is counted then and
/// frozen until the next rebuild, so the amortized cost per added offer stays constant. Any consistent order keeps
/// the prefix filter exact; counting rarity in a sketch (elements that share a counter add up) only makes some rare
/// elements look common. Not thread-safe: one index per company, used by one ingestion thread.
/// </para>
/// </summary>
public sealed class RepostIndex
{
    /// <summary>From this many offers on, a company gets maps and posting lists; below it its slots are scanned.</summary>
    internal const int IndexedSize = 64;
    private const int MinimumCapacity = 2;
    private const ulong ElementMask = (1UL << 48) - 1;

    // Prefixes are this many elements longer than the bare minimum, so a true repost shares at least this many
    // prefix elements (or its whole overlap, if smaller) and candidates sharing fewer are never verified. Eight
    // keeps the candidates few even for companies whose offers are mostly shared boilerplate.
    private const int PrefixSlack = 8;

    // One rarity counter (a byte) for this many element occurrences indexed at the rebuild.
    private const int ElementsPerRarityCounter = 8;
    private static readonly byte[] s_noRarity = [0];

    private readonly RepostOptions _options;
    private readonly Func<long, ContentSignature?> _read;
    // The signatures themselves, when no reader was given.
    private readonly Dictionary<long, ContentSignature>? _kept;

    // Slots hold offers in the order they were stored; a replaced offer's slot is retired until the next rebuild.
    // What the posting walk writes per candidate (_shared, 2 bytes a slot) lives apart from the rest, so the walk stays
    // in the first-level cache even for a company of thousands of offers.
    private long[] _offerIds = [];
    private long[] _lastSeenTicks = []; // UTC
    private ulong[] _fingerprintKeys = [];
    private ulong[] _titleKeys = []; // 0: no title
    private int[] _lengths = []; // description tokens; -1 once the slot is retired
    private ushort[] _shared = []; // during a probe: prefix elements each slot shares with the incoming prefix
    // Per slot, its packed OverlapSketch. On the benchmark corpus (descriptions of one company share 50-75 % of their
    // words) the bound rejects nearly every candidate the prefix filter lets through: 0.15 verifications per offer.
    private byte[] _sketches = [];
    private int _slotCount;
    private int _live;
    private int _rebuildAt;

    // The prefix of the offer probed last, kept for Add: a new offer is probed and then, unless it is a repost, added;
    // describing it once saves a selection over its whole description. A rebuild discards it (the order changes).
    private ContentSignature? _probed;
    private ulong[]? _probedPrefix;
    private int _probedLength;

    // Null below IndexedSize offers.
    private Indexing? _indexing;

    /// <summary>Indexes a company's canonical offers (normally those last seen within the candidate window), keeping their signatures.</summary>
    public RepostIndex(IEnumerable<CanonicalOfferSignature> canonicalOffers, RepostOptions? options = null)
        : this(canonicalOffers, options, readSignature: null)
    {
    }

    /// <summary>
    /// Indexes a company's canonical offers. <paramref name="readSignature"/> gives back the signature of an offer the
    /// index holds (the one it was last given for it; null when the offer is gone): the index then keeps none.
    /// </summary>
    internal RepostIndex(IEnumerable<CanonicalOfferSignature> canonicalOffers, RepostOptions? options,
        Func<long, ContentSignature?>? readSignature)
    {
        ArgumentNullException.ThrowIfNull(canonicalOffers);
        _options = options ?? RepostOptions.Default;
        if (readSignature is null)
        {
            var kept = new Dictionary<long, ContentSignature>();
            _kept = kept;
            _read = offerId => kept.GetValueOrDefault(offerId);
        }
        else
        {
            _read = readSignature;
        }

        var given = new List<ContentSignature>();
        if (canonicalOffers.TryGetNonEnumeratedCount(out var count) && count > 0) Resize(count + count / 4);
        foreach (var offer in canonicalOffers)
        {
            Store(offer.OfferId, offer.Signature, offer.LastSeenAt.UtcTicks);
            given.Add(offer.Signature);
            if (_kept is not null) _kept[offer.OfferId] = offer.Signature;
        }
        Rebuild(slot => given[slot]);
    }

    /// <summary>How many canonical offers the index holds.</summary>
    public int Count => _live;

    /// <summary>True from <see cref="IndexedSize"/> offers on: the company has maps and posting lists.</summary>
    internal bool IsIndexed => _indexing is not null;

    /// <summary>Calls of <see cref="FindRepost"/> so far.</summary>
    public long Probes { get; private set; }

    /// <summary>Slots met so far (in posting lists, map hits, or scanned): the candidate generation cost.</summary>
    public long CandidatesVisited { get; private set; }

    /// <summary>Candidates verified exactly against the rules so far (each one a signature read back).</summary>
    public long Verifications { get; private set; }

    /// <summary>Candidates rejected by the bucket bound on their overlap, without being read back.</summary>
    public long BoundRejections { get; private set; }

    /// <summary>
    /// The bytes the index's own structures take (arrays and maps, at their capacity), not counting kept signatures:
    /// what it costs to hold a company.
    /// </summary>
    internal long StructureBytes => _offerIds.Length * (8L + 8 + 8 + 8 + 12 + OverlapSketch.PackedBytes) + (_indexing?.Bytes ?? 0);

    /// <summary>
    /// The repost decision for a NEW provider offer id of this company (a known id is an update, not a repost).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public RepostDecision FindRepost(ContentSignature incoming, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        Probes++;

        if (!incoming.HasDescription)
        {
            return VerifyBestOf(incoming.TitleKey, incoming, now, byTitle: true);
        }
        // The most recently seen offer with the same fingerprint is the best rule (a) match; if it is outside the
        // window, so are all others with that fingerprint.
        var byFingerprint = VerifyBestOf(incoming.FingerprintKey, incoming, now, byTitle: false);
        if (byFingerprint.IsRepost) return byFingerprint;

        var tokenCount = incoming.DescriptionTokenCount;
        var search = new Search(incoming, now, (now - _options.CandidateWindow).UtcTicks, incoming.TitleKey);
        ForgetProbe();
        var buffer = _indexing is null ? null : ArrayPool<ulong>.Shared.Rent(tokenCount);
        var prefixLength = buffer is null ? 0 : Describe(incoming, buffer);
        // Below IndexedSize offers (or for a prefix too long for the walk's counters) every slot is a candidate.
        if (_indexing is not { } indexing || prefixLength >= ushort.MaxValue)
        {
            if (buffer is not null) ArrayPool<ulong>.Shared.Return(buffer);
            for (var slot = 0; slot < _slotCount; slot++)
            {
                CandidatesVisited++;
                Consider(slot, ref search);
            }
            return search.Best;
        }

        var shared = _shared.AsSpan(0, _slotCount);
        var keepPrefix = false;
        try
        {
            CountSharedPrefixElements(indexing, buffer.AsSpan(0, prefixLength));
            var required = RequiredSharedElements(tokenCount);
            for (var from = 0; (from = NextReaching(shared, from, required)) >= 0; from++) Consider(from, ref search);
            // Not a repost: the offer is added next, under this very prefix.
            keepPrefix = !search.Best.IsRepost;
        }
        finally
        {
            // The counters start from zero at every probe, even one that a failed read interrupted.
            shared.Clear();
            if (keepPrefix) (_probed, _probedPrefix, _probedLength) = (incoming, buffer, prefixLength);
            else ArrayPool<ulong>.Shared.Return(buffer!);
        }
        return search.Best;
    }

    private void ForgetProbe()
    {
        if (_probedPrefix is not null) ArrayPool<ulong>.Shared.Return(_probedPrefix);
        (_probed, _probedPrefix, _probedLength) = (null, null, 0);
    }

    /// <summary>
    /// Adds a canonical offer (a new offer just stored), or replaces the content of one already indexed (a known
    /// offer whose title or description changed; when its fingerprint did not change, <see cref="MarkSeen"/> is
    /// enough). With a reader, the reader must give <paramref name="signature"/> back for it from now on.
    /// </summary>
    public void Add(long offerId, ContentSignature signature, DateTimeOffset lastSeenAt)
    {
        ArgumentNullException.ThrowIfNull(signature);
        if (_kept is not null) _kept[offerId] = signature;
        var slot = Store(offerId, signature, lastSeenAt.UtcTicks);
        // Indexed first, so that the index stays whole even if the rebuild cannot read the company back.
        IndexSlot(slot, signature);
        if (_slotCount >= _rebuildAt)
        {
            Rebuild(s => s == slot ? signature : _read(_offerIds[s]));
        }
        else if (_indexing is { Postings.ChainsOutgrowRuns: true } indexing)
        {
            indexing.Postings.LayOut();
        }
    }

    /// <summary>
    /// Records that a canonical offer was seen again (it was reposted, or its known id came back unchanged).
    /// Returns false when the offer is not in the index.
    /// </summary>
    public bool MarkSeen(long offerId, DateTimeOffset seenAt)
    {
        var slot = SlotOf(offerId);
        if (slot < 0) return false;
        var ticks = seenAt.UtcTicks;
        if (ticks <= _lastSeenTicks[slot]) return true;
        _lastSeenTicks[slot] = ticks;
        if (_indexing is { } indexing)
        {
            // Last seen only grows, so the offer can only climb to the top of its groups.
            PromoteIfNewer(indexing.ByFingerprint, _fingerprintKeys[slot], slot);
            if (_titleKeys[slot] != 0) PromoteIfNewer(indexing.ByTitle, _titleKeys[slot], slot);
        }
        return true;
    }

    private DateTimeOffset LastSeen(int slot) => new(_lastSeenTicks[slot], TimeSpan.Zero);

    private bool IsLive(int slot) => _lengths[slot] >= 0;

    // The live slot of an offer, or -1.
    private int SlotOf(long offerId)
    {
        if (_indexing is { } indexing) return indexing.SlotByOfferId.TryGetValue(offerId, out var slot) ? slot : -1;
        for (var slot = _slotCount - 1; slot >= 0; slot--)
        {
            if (_offerIds[slot] == offerId && IsLive(slot)) return slot;
        }
        return -1;
    }

    /// <summary>What a probe for rules (b) and (c) carries from candidate to candidate, and the best decision so far.</summary>
    private struct Search(ContentSignature incoming, DateTimeOffset now, long oldestTicks, ulong titleKey)
    {
        public readonly ContentSignature Incoming = incoming;
        public readonly DateTimeOffset Now = now;
        public readonly long OldestTicks = oldestTicks;
        public readonly ulong TitleKey = titleKey;
        public readonly OverlapSketch Sketch = incoming.Sketch;
        public RepostDecision Best = RepostDecision.NotRepost;
        public DateTimeOffset BestSeen;
    }

    // A candidate for rules (b) and (c): first what RepostDetector.Evaluate rejects before comparing, checked before
    // reading the candidate back (its window, then its length; equal title keys may hide different titles, so the
    // lower threshold applies then, a superset), then the bucket bound on the overlap, then the rules themselves.
    private void Consider(int slot, ref Search search)
    {
        var length = _lengths[slot];
        if (length <= 0 || _lastSeenTicks[slot] < search.OldestTicks) return;
        var needed = _titleKeys[slot] == search.TitleKey ? _options.LowestSimilarity : _options.DescriptionSimilarity;
        var tokenCount = search.Incoming.DescriptionTokenCount;
        if (!LengthsCanReach(tokenCount, length, needed)) return;
        if ((double)search.Sketch.Bound(SketchOf(slot)) / Math.Max(tokenCount, length) < needed)
        {
            BoundRejections++;
            return;
        }

        Verifications++;
        if (_read(_offerIds[slot]) is not { } candidate) return;
        var lastSeen = LastSeen(slot);
        var decision = RepostDetector.Evaluate(search.Incoming, _offerIds[slot], candidate, lastSeen, search.Now, _options);
        if (RepostDetector.IsBetter(decision, lastSeen, search.Best, search.BestSeen))
        {
            search.Best = decision;
            search.BestSeen = lastSeen;
        }
    }

    // The best offer (most recently seen, then lowest id) under the fingerprint or title key whose content really has
    // the incoming fingerprint (or title), verified. Keys are 64-bit hashes: when the best one's content differs (or
    // it is gone from the store), the best of the others that really match, exactly as if the key were the content.
    private RepostDecision VerifyBestOf(ulong key, ContentSignature incoming, DateTimeOffset now, bool byTitle)
    {
        if (key == 0) return RepostDecision.NotRepost;
        var keys = byTitle ? _titleKeys : _fingerprintKeys;
        var groups = byTitle ? _indexing?.ByTitle : _indexing?.ByFingerprint;
        var best = BestOf(groups, keys, key);
        if (best < 0) return RepostDecision.NotRepost;
        CandidatesVisited++;
        Verifications++;
        var signature = _read(_offerIds[best]);
        if (signature is null || !Same(signature))
        {
            var failed = best;
            best = -1;
            signature = null;
            if (groups is null)
            {
                for (var slot = 0; slot < _slotCount; slot++)
                {
                    if (keys[slot] == key && IsLive(slot)) TryMember(slot);
                }
            }
            else if (groups.Members.TryGetValue(key, out var members))
            {
                foreach (var member in members) TryMember(member);
            }
            if (signature is null) return RepostDecision.NotRepost;

            void TryMember(int member)
            {
                if (member == failed || (best >= 0 && !IsNewer(member, best))) return;
                CandidatesVisited++;
                Verifications++;
                if (_read(_offerIds[member]) is { } other && Same(other))
                {
                    best = member;
                    signature = other;
                }
            }
        }
        return RepostDetector.Evaluate(incoming, _offerIds[best], signature, LastSeen(best), now, _options);

        bool Same(ContentSignature candidate) =>
            byTitle ? candidate.NormalizedTitle == incoming.NormalizedTitle : candidate.HasSameFingerprint(incoming);
    }

    private int BestOf(KeyGroups? groups, ulong[] keys, ulong key)
    {
        if (groups is not null) return groups.Best.TryGetValue(key, out var found) ? found : -1;
        var best = -1;
        for (var slot = 0; slot < _slotCount; slot++)
        {
            if (keys[slot] == key && IsLive(slot) && (best < 0 || IsNewer(slot, best))) best = slot;
        }
        return best;
    }

    // Walks the posting lists of the incoming prefix, counting for each slot how many prefix elements it shares. A
    // count never wraps: a prefix is shorter than 65,535 elements (longer ones are not walked, see FindRepost).
    private void CountSharedPrefixElements(Indexing indexing, ReadOnlySpan<ulong> prefix)
    {
        var shared = _shared;
        var postings = indexing.Postings;
        var visited = 0L;
        foreach (var orderedElement in prefix)
        {
            var head = postings.Find(PostingKey(orderedElement & ElementMask));
            if (head == PostingTable.None) continue;
            if (head >= 0)
            {
                shared[head]++;
                visited++;
                continue;
            }
            // Chain nodes (slots filed since the last rebuild), then the run the rebuild laid out, if any.
            for (var reference = ~head; ;)
            {
                if ((reference & PostingTable.RunFlag) != 0)
                {
                    foreach (var slot in postings.RunFrom(reference & ~PostingTable.RunFlag))
                    {
                        if (slot < 0) break;
                        shared[slot]++;
                        visited++;
                    }
                    break;
                }
                shared[postings.ChainSlot(reference)]++;
                visited++;
                var next = postings.ChainNext(reference);
                if (next == PostingTable.None) break;
                reference = ~next;
            }
        }
        CandidatesVisited += visited;
    }

    // The first slot from `from` on that shares at least `required` prefix elements, or -1; most share none, so
    // the counts are compared a vector at a time.
    private static int NextReaching(ReadOnlySpan<ushort> shared, int from, int required)
    {
        var threshold = Vector128.Create((ushort)(required - 1));
        var at = from;
        for (; at + Vector128<ushort>.Count <= shared.Length; at += Vector128<ushort>.Count)
        {
            var reaching = Vector128.GreaterThan(Vector128.Create(shared.Slice(at, Vector128<ushort>.Count)), threshold);
            if (reaching != Vector128<ushort>.Zero) return at + BitOperations.TrailingZeroCount(reaching.ExtractMostSignificantBits());
        }
        for (; at < shared.Length; at++)
        {
            if (shared[at] >= required) return at;
        }
        return -1;
    }

    // Similarity never exceeds shorter / longer, so lengths too far apart cannot reach the threshold. A retired slot
    // has a negative length, an offer without description 0: neither can.
    private static bool LengthsCanReach(int a, int b, double threshold) =>
        b > 0 && (double)Math.Min(a, b) / Math.Max(a, b) >= threshold;

    private Span<byte> SketchOf(int slot) => _sketches.AsSpan(slot * OverlapSketch.PackedBytes, OverlapSketch.PackedBytes);

    private int Store(long offerId, ContentSignature signature, long lastSeenTicks)
    {
        var previous = SlotOf(offerId);
        if (previous >= 0) Retire(previous);
        if (_slotCount == _offerIds.Length) Resize(Math.Max(MinimumCapacity, _slotCount + _slotCount / 2));
        var slot = _slotCount++;
        _offerIds[slot] = offerId;
        _lastSeenTicks[slot] = lastSeenTicks;
        _fingerprintKeys[slot] = signature.FingerprintKey;
        _titleKeys[slot] = signature.TitleKey;
        _lengths[slot] = signature.DescriptionTokenCount;
        _live++;
        if (_indexing is { } indexing)
        {
            indexing.SlotByOfferId[offerId] = slot;
            Join(indexing.ByFingerprint, _fingerprintKeys[slot], slot);
            if (_titleKeys[slot] != 0) Join(indexing.ByTitle, _titleKeys[slot], slot);
        }
        return slot;
    }

    private void Resize(int capacity)
    {
        Array.Resize(ref _offerIds, capacity);
        Array.Resize(ref _lastSeenTicks, capacity);
        Array.Resize(ref _fingerprintKeys, capacity);
        Array.Resize(ref _titleKeys, capacity);
        Array.Resize(ref _lengths, capacity);
        Array.Resize(ref _shared, capacity);
        Array.Resize(ref _sketches, capacity * OverlapSketch.PackedBytes);
    }

    // A replaced offer's old content stays in the posting lists until the next rebuild; a negative length there
    // makes every probe skip it.
    private void Retire(int slot)
    {
        _lengths[slot] = -1;
        _live--;
        if (_indexing is not { } indexing) return;
        indexing.SlotByOfferId.Remove(_offerIds[slot]);
        Leave(indexing.ByFingerprint, _fingerprintKeys[slot], slot);
        if (_titleKeys[slot] != 0) Leave(indexing.ByTitle, _titleKeys[slot], slot);
    }

    private void Join(KeyGroups groups, ulong key, int slot)
    {
        ref var best = ref CollectionsMarshal.GetValueRefOrAddDefault(groups.Best, key, out var exists);
        if (!exists)
        {
            best = slot;
            return;
        }
        ref var members = ref CollectionsMarshal.GetValueRefOrAddDefault(groups.Members, key, out var listed);
        if (!listed) members = [best];
        members!.Add(slot);
        if (IsNewer(slot, best)) best = slot;
    }

    private void Leave(KeyGroups groups, ulong key, int slot)
    {
        if (!groups.Members.TryGetValue(key, out var members))
        {
            groups.Best.Remove(key);
            return;
        }
        members.Remove(slot);
        ref var best = ref CollectionsMarshal.GetValueRefOrNullRef(groups.Best, key);
        if (members.Count == 1)
        {
            groups.Members.Remove(key);
            best = members[0];
            return;
        }
        if (best != slot) return;
        best = members[0];
        foreach (var member in members)
        {
            if (IsNewer(member, best)) best = member;
        }
    }

    private void PromoteIfNewer(KeyGroups groups, ulong key, int slot)
    {
        ref var best = ref CollectionsMarshal.GetValueRefOrNullRef(groups.Best, key);
        if (IsNewer(slot, best)) best = slot;
    }

    // Within a fingerprint or title group every member yields the same rule and similarity, so the best is the
    // most recently seen, then the lowest offer id, exactly as RepostDetector.IsBetter ranks them.
    private bool IsNewer(int slot, int than) =>
        _lastSeenTicks[slot] > _lastSeenTicks[than]
        || (_lastSeenTicks[slot] == _lastSeenTicks[than] && _offerIds[slot] < _offerIds[than]);

    // Compacts away retired slots (and offers whose signature is gone), renumbering everything that refers to a
    // slot; from IndexedSize offers on, counts element rarity afresh and files every prefix under the new order.
    private void Rebuild(Func<int, ContentSignature?> signatureOf)
    {
        ForgetProbe();
        // Read everything first: if reading fails, the index is left as it was.
        var live = new List<(long OfferId, long LastSeenTicks, ContentSignature Signature)>(_live);
        long elements = 0;
        for (var slot = 0; slot < _slotCount; slot++)
        {
            if (!IsLive(slot) || signatureOf(slot) is not { } signature) continue;
            live.Add((_offerIds[slot], _lastSeenTicks[slot], signature));
            elements += signature.DescriptionTokenCount;
        }

        _slotCount = 0;
        _live = 0;
        if (live.Count < IndexedSize)
        {
            _indexing = null;
        }
        else
        {
            _indexing ??= new Indexing();
            _indexing.Clear();
        }
        // Live slots move down in place when they fit (they always do after growth); a first build gets room for a
        // quarter more before the arrays grow (by half): a company mostly reloaded is mostly read, not added to.
        if (_offerIds.Length < live.Count) Resize(live.Count + live.Count / 4);
        foreach (var (offerId, lastSeenTicks, signature) in live) Store(offerId, signature, lastSeenTicks);

        if (_indexing is { } indexing)
        {
            indexing.Rarity = CountRarity(live, elements, indexing.Rarity);
        }
        for (var slot = 0; slot < live.Count; slot++) IndexSlot(slot, live[slot].Signature);
        _indexing?.Postings.LayOut();
        _rebuildAt = _indexing is null ? IndexedSize : Math.Max(IndexedSize, _slotCount * 2);
    }

    private static byte[] CountRarity(List<(long OfferId, long LastSeenTicks, ContentSignature Signature)> live, long elements,
        byte[] previous)
    {
        if (elements == 0) return s_noRarity;
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(elements / ElementsPerRarityCounter, 64, 1 << 28));
        var mask = (uint)(size - 1);
        var counts = ArrayPool<ushort>.Shared.Rent(size);
        try
        {
            Array.Clear(counts, 0, size);
            foreach (var (_, _, signature) in live)
            {
                var hashes = signature.TokenHashes;
                var occurrences = signature.TokenCounts;
                for (var i = 0; i < hashes.Length; i++)
                {
                    for (var occurrence = 1; occurrence <= occurrences[i]; occurrence++)
                    {
                        ref var count = ref counts[(int)((uint)TokenHash.Mix(Element(hashes[i], occurrence)) & mask)];
                        if (count != ushort.MaxValue) count++;
                    }
                }
            }
            var rarity = previous.Length == size && previous != s_noRarity ? previous : new byte[size];
            for (var i = 0; i < size; i++) rarity[i] = Quantize(counts[i]);
            return rarity;
        }
        finally
        {
            ArrayPool<ushort>.Shared.Return(counts);
        }
    }

    // A count in a byte, order kept: exact below 64, then 16 steps per doubling (up to 223 for 65,535).
    internal static byte Quantize(int count)
    {
        if (count < 64) return (byte)count;
        var log = BitOperations.Log2((uint)count);
        return (byte)(64 + 16 * (log - 6) + ((count >> (log - 4)) & 15));
    }

    // Records the slot's sketch and, in an indexed company, files it under its prefix elements.
    private void IndexSlot(int slot, ContentSignature signature)
    {
        signature.Sketch.Pack(SketchOf(slot));
        if (_indexing is not { } indexing || !signature.HasDescription) return;
        var probed = ReferenceEquals(signature, _probed);
        var buffer = probed ? _probedPrefix! : ArrayPool<ulong>.Shared.Rent(signature.DescriptionTokenCount);
        try
        {
            var prefixLength = probed ? _probedLength : Describe(signature, buffer);
            for (var i = 0; i < prefixLength; i++) indexing.Postings.Add(PostingKey(buffer[i] & ElementMask), slot);
        }
        finally
        {
            if (probed) (_probed, _probedPrefix, _probedLength) = (null, null, 0);
            ArrayPool<ulong>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Writes the signature's prefix to the buffer and returns its length:
    /// its first n - minOverlap + <see cref="PrefixSlack"/> elements, rarest first, minOverlap being the fewest shared
    /// tokens that can reach the lower threshold. Each value is the element's quantized rarity then the 48-bit
    /// element, so ordering the values orders by rarity with the element itself as a unique tie-break (a total order,
    /// which the prefix argument needs). The prefix is a set: only which values are the smallest matters, so they are
    /// selected, not sorted.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Describe(ContentSignature signature, ulong[] buffer)
    {
        var count = 0;
        var hashes = signature.TokenHashes;
        var counts = signature.TokenCounts;
        var rarity = _indexing?.Rarity ?? s_noRarity;
        var mask = (uint)(rarity.Length - 1);
        for (var i = 0; i < hashes.Length; i++)
        {
            for (var occurrence = 1; occurrence <= counts[i]; occurrence++)
            {
                var element = Element(hashes[i], occurrence);
                buffer[count++] = ((ulong)rarity[(int)((uint)TokenHash.Mix(element) & mask)] << 48) | element;
            }
        }
        if (count == 0) return 0;
        var prefixLength = Math.Min(count, count - MinimumOverlap(count, _options.LowestSimilarity) + PrefixSlack);
        SelectSmallest(buffer.AsSpan(0, count), prefixLength);
        return prefixLength;
    }

    /// <summary>Rearranges distinct values so that the <paramref name="k"/> smallest come first, in no particular order (quickselect).</summary>
    internal static void SelectSmallest(Span<ulong> values, int k)
    {
        if (k <= 0 || k >= values.Length) return;
        int low = 0, high = values.Length - 1, target = k - 1;
        // Invariant: everything before low is smaller than everything from low on, everything after high larger.
        while (high - low >= 16)
        {
            var middle = low + (high - low) / 2;
            if (values[middle] < values[low]) (values[middle], values[low]) = (values[low], values[middle]);
            if (values[high] < values[low]) (values[high], values[low]) = (values[low], values[high]);
            if (values[high] < values[middle]) (values[high], values[middle]) = (values[middle], values[high]);
            var pivot = values[middle];
            int i = low, j = high;
            while (i <= j)
            {
                while (values[i] < pivot) i++;
                while (values[j] > pivot) j--;
                if (i > j) break;
                (values[i], values[j]) = (values[j], values[i]);
                i++;
                j--;
            }
            // Now values[low..j] <= pivot <= values[i..high], and what lies between equals the pivot.
            if (target <= j) high = j;
            else if (target >= i) low = i;
            else return;
        }
        values[low..(high + 1)].Sort();
    }

    // How many prefix elements a candidate must share with a description of this length to be verified.
    private int RequiredSharedElements(int tokenCount) =>
        Math.Min(PrefixSlack, MinimumOverlap(tokenCount, _options.LowestSimilarity));

    // The smallest overlap o with o / n >= threshold, computed with the same division the rules use, so that
    // floating-point rounding can never make the prefix one element too short.
    private static int MinimumOverlap(int tokenCount, double threshold)
    {
        var overlap = Math.Clamp((int)Math.Ceiling(threshold * tokenCount), 1, tokenCount);
        while (overlap > 1 && (double)(overlap - 1) / tokenCount >= threshold) overlap--;
        while (overlap < tokenCount && (double)overlap / tokenCount < threshold) overlap++;
        return overlap;
    }

    // One (token, n-th occurrence) element of a description multiset: the token hash, then the occurrence (at most
    // 65,535, as counts are capped) in the low 16 bits.
    internal static ulong Element(uint tokenHash, int occurrence) => ((ulong)tokenHash << 16) | (uint)occurrence;

    // The posting list an element is filed under: 32 bits of its hash, never 0. Elements sharing one only add
    // candidates (counted as shared elements they are not), which verification then rejects.
    private static uint PostingKey(ulong element)
    {
        var key = (uint)(TokenHash.Mix(element) >> 32);
        return key == 0 ? 1 : key;
    }

    // A Dictionary's memory: per entry its hash code, next index, key and value (8-byte aligned), and one bucket.
    private static long MapBytes(int capacity, int keyValueBytes) => capacity * ((8L + keyValueBytes + 7) / 8 * 8 + 4);

    /// <summary>What a company of <see cref="IndexedSize"/> offers or more gets: maps from keys to slots, and its posting lists.</summary>
    private sealed class Indexing
    {
        public readonly Dictionary<long, int> SlotByOfferId = [];
        public readonly KeyGroups ByFingerprint = new();
        public readonly KeyGroups ByTitle = new();
        public readonly PostingTable Postings = new();
        // How common each element was among the descriptions at the last rebuild, quantized to a byte, in counters
        // shared by the elements whose hashes meet there: the global "rarest first" order.
        public byte[] Rarity = s_noRarity;

        public long Bytes =>
            MapBytes(SlotByOfferId.EnsureCapacity(0), 8 + 4) + ByFingerprint.Bytes + ByTitle.Bytes + Postings.Bytes
            + (Rarity == s_noRarity ? 0 : Rarity.Length);

        public void Clear()
        {
            SlotByOfferId.Clear();
            ByFingerprint.Clear();
            ByTitle.Clear();
            Postings.Clear();
        }
    }

    // The offers sharing a fingerprint key or a title key: the best of each, and all of them for the few keys that
    // have more than one.
    private sealed class KeyGroups
    {
        public readonly Dictionary<ulong, int> Best = [];
        public readonly Dictionary<ulong, List<int>> Members = [];

        public long Bytes
        {
            get
            {
                var bytes = MapBytes(Best.EnsureCapacity(0), 8 + 4) + MapBytes(Members.EnsureCapacity(0), 8 + 8);
                foreach (var members in Members.Values) bytes += 32 + 24 + members.Capacity * 4L;
                return bytes;
            }
        }

        public void Clear()
        {
            Best.Clear();
            Members.Clear();
        }
    }

    /// <summary>
    /// Posting lists in a few flat arrays, whatever their number: an open-addressing table from a 32-bit element key
    /// to its list. A list of one slot (most keys: prefixes hold rare elements) is the slot itself in the table. A
    /// rebuild lays every longer list out as a run of slots (4 bytes each, in one array, each run ended by -1);
    /// slots filed after it go in front of their list as (slot, next) chain nodes, the last of which leads on to the
    /// list's run, if it has one.
    /// </summary>
    private sealed class PostingTable
    {
        public const int None = int.MinValue;
        // In a reference (a negative head or next: ~reference), this bit marks the start of a run, not a chain node.
        public const int RunFlag = 1 << 30;
        private const int MinimumBuckets = 16;
        private const int MinimumChainBeforeLayOut = 4096;

        // key << 32 | head, 0 for an empty bucket (keys are never 0). A head >= 0 is a slot, else ~head a reference.
        private ulong[] _buckets = new ulong[MinimumBuckets];
        private int _keys;
        private int[] _runs = [];
        // Chain node n is (_chain[2n] = slot, _chain[2n + 1] = next: ~reference, or None at the end of the list).
        private int[] _chain = [];
        private int _chainCount;
        // While a rebuild files every list, the chain is scratch memory from the pool.
        private bool _chainRented;

        public long Bytes => _buckets.Length * 8L + _runs.Length * 4L + (_chainRented ? 0 : _chain.Length * 4L);

        /// <summary>Empties the table for a rebuild, which files every list afresh and then calls <see cref="LayOut"/>.</summary>
        public void Clear()
        {
            // A rebuild files about as many keys again (fewer: those of replaced offers go): the same arrays do.
            var size = Math.Max(MinimumBuckets, (int)BitOperations.RoundUpToPowerOf2((uint)(_keys + _keys / 3 + 1)));
            if (_buckets.Length == size) Array.Clear(_buckets);
            else _buckets = new ulong[size];
            _keys = 0;
            var postings = _runs.Length + _chainCount;
            ReleaseChain();
            _runs = [];
            _chain = ArrayPool<int>.Shared.Rent(Math.Max(16, 2 * postings));
            _chainRented = true;
        }

        /// <summary>
        /// True when the chain nodes filed since the lists were last laid out outnumber an eighth of the runs' postings:
        /// then they are merged into runs, as walking a chain misses the cache at every node and a run only at its start.
        /// </summary>
        public bool ChainsOutgrowRuns => _chainCount > Math.Max(MinimumChainBeforeLayOut, _runs.Length / 8);

        /// <summary>
        /// Each list of two or more slots becomes one run: its chain nodes, then the run it had. After a rebuild has
        /// filed every list afresh, and whenever <see cref="ChainsOutgrowRuns"/>.
        /// </summary>
        public void LayOut()
        {
            var lists = 0;
            foreach (var bucket in _buckets)
            {
                if (bucket != 0 && (int)(uint)bucket < 0) lists++;
            }
            // Every posting once, and one end marker per list (the old runs' markers are among _runs.Length).
            var runs = new int[_chainCount + _runs.Length + lists];
            var at = 0;
            for (var i = 0; i < _buckets.Length; i++)
            {
                var bucket = _buckets[i];
                var head = (int)(uint)bucket;
                if (bucket == 0 || head >= 0) continue;
                var start = at;
                for (var reference = ~head; ;)
                {
                    if ((reference & RunFlag) != 0)
                    {
                        foreach (var slot in RunFrom(reference & ~RunFlag))
                        {
                            if (slot < 0) break;
                            runs[at++] = slot;
                        }
                        break;
                    }
                    runs[at++] = ChainSlot(reference);
                    var next = ChainNext(reference);
                    if (next == None) break;
                    reference = ~next;
                }
                runs[at++] = -1;
                _buckets[i] = (bucket & 0xFFFF_FFFF_0000_0000UL) | (uint)~(RunFlag | start);
            }
            _runs = at == runs.Length ? runs : runs[..at];
            if (_chainRented) ReleaseChain();
            else _chainCount = 0;
        }

        public int Find(uint key)
        {
            var mask = _buckets.Length - 1;
            for (var i = (int)key & mask; ; i = (i + 1) & mask)
            {
                var bucket = _buckets[i];
                if (bucket == 0) return None;
                if ((uint)(bucket >> 32) == key) return (int)(uint)bucket;
            }
        }

        public ReadOnlySpan<int> RunFrom(int start) => _runs.AsSpan(start);

        public int ChainSlot(int node) => _chain[2 * node];

        public int ChainNext(int node) => _chain[2 * node + 1];

        public void Add(uint key, int slot)
        {
            if ((_keys + 1) * 4L > _buckets.Length * 3L) Grow();
            var mask = _buckets.Length - 1;
            for (var i = (int)key & mask; ; i = (i + 1) & mask)
            {
                var bucket = _buckets[i];
                if (bucket == 0)
                {
                    _buckets[i] = ((ulong)key << 32) | (uint)slot;
                    _keys++;
                    return;
                }
                if ((uint)(bucket >> 32) != key) continue;
                var head = (int)(uint)bucket;
                var next = head >= 0 ? ~NewNode(head, None) : head;
                _buckets[i] = ((ulong)key << 32) | (uint)~NewNode(slot, next);
                return;
            }
        }

        private int NewNode(int slot, int next)
        {
            if (2 * _chainCount == _chain.Length)
            {
                var larger = Math.Max(16, _chain.Length + _chain.Length / 2 / 2 * 2);
                if (_chainRented)
                {
                    var rented = ArrayPool<int>.Shared.Rent(larger);
                    _chain.AsSpan(0, 2 * _chainCount).CopyTo(rented);
                    ArrayPool<int>.Shared.Return(_chain);
                    _chain = rented;
                }
                else
                {
                    Array.Resize(ref _chain, larger);
                }
            }
            _chain[2 * _chainCount] = slot;
            _chain[2 * _chainCount + 1] = next;
            return _chainCount++;
        }

        private void ReleaseChain()
        {
            if (_chainRented) ArrayPool<int>.Shared.Return(_chain);
            _chain = [];
            _chainCount = 0;
            _chainRented = false;
        }

        private void Grow()
        {
            var old = _buckets;
            _buckets = new ulong[old.Length * 2];
            var mask = _buckets.Length - 1;
            foreach (var bucket in old)
            {
                if (bucket == 0) continue;
                var i = (int)(uint)(bucket >> 32) & mask;
                while (_buckets[i] != 0) i = (i + 1) & mask;
                _buckets[i] = bucket;
            }
        }
    }
}

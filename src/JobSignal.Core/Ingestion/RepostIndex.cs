using System.Buffers;
using System.Runtime.InteropServices;

namespace JobSignal.Core.Ingestion;

/// <summary>
/// One company's canonical offers, indexed so that repost detection does not compare a new offer with every offer
/// the company ever published (SPEC 5.4; the audited system re-tokenized them all, every time). Built once per run
/// from the stored signatures, then kept current with <see cref="Add"/> and <see cref="MarkSeen"/>.
/// <see cref="FindRepost"/> gives exactly the decision of <see cref="RepostDetector.Decide"/> over all candidates
/// but verifies only those that can qualify:
/// <list type="bullet">
/// <item>rule (a): a map from fingerprint to the most recently seen offer with it;</item>
/// <item>rule (d): a map from normalized title to the most recently seen offer with it;</item>
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
/// not the company's boilerplate.</item>
/// </list>
/// Element rarity is counted when the index is (re)built and frozen until the next rebuild, which happens when the
/// number of slots has doubled, so the amortized cost per added offer stays constant. Not thread-safe: one index per
/// company, used by one ingestion thread.
/// </summary>
public sealed class RepostIndex
{
    private const int MinimumRebuildSize = 64;
    private const ulong ElementMask = (1UL << 48) - 1;

    // Prefixes are this many elements longer than the bare minimum, so a true repost shares at least this many
    // prefix elements (or its whole overlap, if smaller) and candidates sharing fewer are never verified. Eight
    // keeps verifications near zero even for companies whose offers are mostly shared boilerplate.
    private const int PrefixSlack = 8;

    private readonly RepostOptions _options;
    private readonly Dictionary<long, int> _slotByOfferId = [];
    private readonly Dictionary<string, Group> _byFingerprint = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Group> _byTitle = new(StringComparer.Ordinal);
    private readonly List<int> _touched = [];

    // Slots hold offers in the order they were stored; a replaced offer's slot is retired until the next rebuild.
    // What the posting walk reads per candidate lives apart from the rest, so the walk stays in cache.
    private Entry[] _entries = [];
    private Probed[] _probed = [];
    private int _slotCount;
    private int _rebuildAt;
    private int _probe;

    // How many indexed descriptions contain each element, as of the last rebuild: the global "rarest first" order.
    private Dictionary<ulong, int> _elementFrequency = [];

    // Element -> the slots whose prefix holds it.
    private readonly Dictionary<ulong, PostingList> _postings = [];

    /// <summary>Indexes a company's canonical offers (normally those last seen within the candidate window).</summary>
    public RepostIndex(IEnumerable<CanonicalOfferSignature> canonicalOffers, RepostOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(canonicalOffers);
        _options = options ?? RepostOptions.Default;
        foreach (var offer in canonicalOffers)
        {
            Store(offer.OfferId, offer.Signature, offer.LastSeenAt);
        }
        Rebuild();
    }

    /// <summary>How many canonical offers the index holds.</summary>
    public int Count => _slotByOfferId.Count;

    /// <summary>Calls of <see cref="FindRepost"/> so far.</summary>
    public long Probes { get; private set; }

    /// <summary>Posting-list entries and map hits walked so far: the candidate generation cost.</summary>
    public long CandidatesVisited { get; private set; }

    /// <summary>Candidates verified exactly against the rules so far.</summary>
    public long Verifications { get; private set; }

    /// <summary>
    /// The repost decision for a NEW provider offer id of this company (a known id is an update, not a repost).
    /// </summary>
    public RepostDecision FindRepost(ContentSignature incoming, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        Probes++;

        if (!incoming.HasDescription)
        {
            return VerifyBestOf(_byTitle, incoming.NormalizedTitle, incoming, now);
        }
        // The most recently seen offer with the same fingerprint is the best rule (a) match; if it is outside the
        // window, so are all others with that fingerprint.
        var byFingerprint = VerifyBestOf(_byFingerprint, incoming.Fingerprint, incoming, now);
        if (byFingerprint.IsRepost) return byFingerprint;

        var buffer = ArrayPool<ulong>.Shared.Rent(incoming.DescriptionTokenCount);
        try
        {
            var prefixLength = FillPrefix(incoming, buffer);
            CountSharedPrefixElements(incoming.DescriptionTokenCount, buffer.AsSpan(0, prefixLength));
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(buffer);
        }

        var required = RequiredSharedElements(incoming.DescriptionTokenCount);
        var best = RepostDecision.NotRepost;
        var bestSeen = default(DateTimeOffset);
        foreach (var slot in _touched)
        {
            if (_probed[slot].SharedElements < required) continue;
            Verifications++;
            ref var entry = ref _entries[slot];
            var decision = RepostDetector.Evaluate(incoming, entry.OfferId, entry.Signature!, entry.LastSeenAt, now, _options);
            if (RepostDetector.IsBetter(decision, entry.LastSeenAt, best, bestSeen))
            {
                best = decision;
                bestSeen = entry.LastSeenAt;
            }
        }
        return best;
    }

    /// <summary>
    /// Adds a canonical offer (a new offer just stored), or replaces the content of one already indexed (a known
    /// offer whose title or description changed; when its fingerprint did not change, <see cref="MarkSeen"/> is
    /// enough).
    /// </summary>
    public void Add(long offerId, ContentSignature signature, DateTimeOffset lastSeenAt)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var slot = Store(offerId, signature, lastSeenAt);
        if (_slotCount >= _rebuildAt)
        {
            Rebuild();
        }
        else
        {
            AddPostings(slot);
        }
    }

    /// <summary>
    /// Records that a canonical offer was seen again (it was reposted, or its known id came back unchanged).
    /// Returns false when the offer is not in the index.
    /// </summary>
    public bool MarkSeen(long offerId, DateTimeOffset seenAt)
    {
        if (!_slotByOfferId.TryGetValue(offerId, out var slot)) return false;
        ref var entry = ref _entries[slot];
        if (seenAt <= entry.LastSeenAt) return true;
        entry.LastSeenAt = seenAt;
        // Last seen only grows, so the offer can only climb to the top of its groups.
        PromoteIfBetter(_byFingerprint[entry.Signature!.Fingerprint], slot);
        if (_byTitle.TryGetValue(entry.Signature.NormalizedTitle, out var titleGroup)) PromoteIfBetter(titleGroup, slot);
        return true;
    }

    private RepostDecision VerifyBestOf(Dictionary<string, Group> groups, string key, ContentSignature incoming,
        DateTimeOffset now)
    {
        if (key.Length == 0 || !groups.TryGetValue(key, out var group)) return RepostDecision.NotRepost;
        CandidatesVisited++;
        Verifications++;
        ref var entry = ref _entries[group.Best];
        return RepostDetector.Evaluate(incoming, entry.OfferId, entry.Signature!, entry.LastSeenAt, now, _options);
    }

    // Walks the posting lists of the incoming prefix, counting for each candidate how many prefix elements it
    // shares. A candidate whose length alone rules it out (or whose slot is retired) is dropped on first sight.
    private void CountSharedPrefixElements(int tokenCount, ReadOnlySpan<ulong> prefix)
    {
        var probe = ++_probe;
        _touched.Clear();
        foreach (var orderedElement in prefix)
        {
            if (!_postings.TryGetValue(orderedElement & ElementMask, out var list)) continue;
            CandidatesVisited += list.Count;
            foreach (var slot in list.Slots.AsSpan(0, list.Count))
            {
                ref var probed = ref _probed[slot];
                if (probed.Probe != probe)
                {
                    probed.Probe = probe;
                    if (!LengthsCanReach(tokenCount, probed.DescriptionTokenCount))
                    {
                        probed.SharedElements = int.MinValue;
                        continue;
                    }
                    probed.SharedElements = 0;
                    _touched.Add(slot);
                }
                probed.SharedElements++;
            }
        }
    }

    // Similarity never exceeds shorter / longer, so lengths too far apart cannot reach even the lower threshold.
    private bool LengthsCanReach(int a, int b) =>
        b > 0 && (double)Math.Min(a, b) / Math.Max(a, b) >= _options.LowestSimilarity;

    private int Store(long offerId, ContentSignature signature, DateTimeOffset lastSeenAt)
    {
        if (_slotByOfferId.TryGetValue(offerId, out var previous)) Retire(previous);
        if (_slotCount == _entries.Length)
        {
            var size = Math.Max(16, _slotCount * 2);
            Array.Resize(ref _entries, size);
            Array.Resize(ref _probed, size);
        }
        var slot = _slotCount++;
        _entries[slot] = new Entry { OfferId = offerId, Signature = signature, LastSeenAt = lastSeenAt };
        _probed[slot] = new Probed { DescriptionTokenCount = signature.DescriptionTokenCount };
        _slotByOfferId[offerId] = slot;
        Join(_byFingerprint, signature.Fingerprint, slot);
        if (signature.NormalizedTitle.Length > 0) Join(_byTitle, signature.NormalizedTitle, slot);
        return slot;
    }

    // A replaced offer's old content stays in the posting lists until the next rebuild; a zero length there makes
    // every probe skip it.
    private void Retire(int slot)
    {
        ref var entry = ref _entries[slot];
        var signature = entry.Signature!;
        entry.Signature = null;
        _probed[slot].DescriptionTokenCount = 0;
        _slotByOfferId.Remove(entry.OfferId);
        Leave(_byFingerprint, signature.Fingerprint, slot);
        if (signature.NormalizedTitle.Length > 0) Leave(_byTitle, signature.NormalizedTitle, slot);
    }

    private void Join(Dictionary<string, Group> groups, string key, int slot)
    {
        ref var group = ref CollectionsMarshal.GetValueRefOrAddDefault(groups, key, out var exists);
        if (!exists)
        {
            group = new Group(slot);
            return;
        }
        (group!.Members ??= [group.Best]).Add(slot);
        PromoteIfBetter(group, slot);
    }

    private void Leave(Dictionary<string, Group> groups, string key, int slot)
    {
        var group = groups[key];
        if (group.Members is null || group.Members.Count == 1)
        {
            groups.Remove(key);
            return;
        }
        group.Members.Remove(slot);
        if (group.Best != slot) return;
        group.Best = group.Members[0];
        foreach (var member in group.Members) PromoteIfBetter(group, member);
    }

    // Within a fingerprint or title group every member yields the same rule and similarity, so the best is the
    // most recently seen, then the lowest offer id, exactly as RepostDetector.IsBetter ranks them.
    private void PromoteIfBetter(Group group, int slot)
    {
        ref var candidate = ref _entries[slot];
        ref var best = ref _entries[group.Best];
        if (candidate.LastSeenAt > best.LastSeenAt
            || (candidate.LastSeenAt == best.LastSeenAt && candidate.OfferId < best.OfferId))
        {
            group.Best = slot;
        }
    }

    private void Rebuild()
    {
        // Compact away retired slots, renumbering everything that refers to a slot.
        var live = new List<Entry>(_slotByOfferId.Count);
        for (var slot = 0; slot < _slotCount; slot++)
        {
            if (_entries[slot].Signature is not null) live.Add(_entries[slot]);
        }
        _slotByOfferId.Clear();
        _byFingerprint.Clear();
        _byTitle.Clear();
        _entries = new Entry[Math.Max(16, live.Count * 2)];
        _probed = new Probed[_entries.Length];
        _slotCount = 0;
        foreach (var entry in live) Store(entry.OfferId, entry.Signature!, entry.LastSeenAt);

        var frequency = new Dictionary<ulong, int>();
        foreach (var entry in live)
        {
            var hashes = entry.Signature!.TokenHashes;
            var counts = entry.Signature.TokenCounts;
            for (var i = 0; i < hashes.Length; i++)
            {
                for (var occurrence = 1; occurrence <= counts[i]; occurrence++)
                {
                    CollectionsMarshal.GetValueRefOrAddDefault(frequency, Element(hashes[i], occurrence), out _)++;
                }
            }
        }
        _elementFrequency = frequency;

        _postings.Clear();
        for (var slot = 0; slot < _slotCount; slot++) AddPostings(slot);
        _rebuildAt = Math.Max(MinimumRebuildSize, _slotCount * 2);
    }

    private void AddPostings(int slot)
    {
        var signature = _entries[slot].Signature!;
        if (!signature.HasDescription) return;
        var buffer = ArrayPool<ulong>.Shared.Rent(signature.DescriptionTokenCount);
        try
        {
            var prefixLength = FillPrefix(signature, buffer);
            for (var i = 0; i < prefixLength; i++)
            {
                ref var list = ref CollectionsMarshal.GetValueRefOrAddDefault(_postings, buffer[i] & ElementMask, out _);
                list.Add(slot);
            }
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Writes the signature's prefix into the buffer, rarest element first, and returns its length: the first
    /// n - minOverlap + <see cref="PrefixSlack"/> elements, minOverlap being the fewest shared tokens that can
    /// reach the lower threshold. Each value is (frequency capped to 16 bits) then the 48-bit element, so sorting
    /// the values sorts by rarity with the element itself as a unique tie-break (a total order, which the prefix
    /// argument needs).
    /// </summary>
    private int FillPrefix(ContentSignature signature, ulong[] buffer)
    {
        var count = 0;
        var hashes = signature.TokenHashes;
        var counts = signature.TokenCounts;
        for (var i = 0; i < hashes.Length; i++)
        {
            for (var occurrence = 1; occurrence <= counts[i]; occurrence++)
            {
                var element = Element(hashes[i], occurrence);
                var frequency = _elementFrequency.TryGetValue(element, out var seen) ? Math.Min(seen, 0xFFFF) : 0;
                buffer[count++] = ((ulong)frequency << 48) | element;
            }
        }
        buffer.AsSpan(0, count).Sort();
        return Math.Min(count, count - MinimumOverlap(count, _options.LowestSimilarity) + PrefixSlack);
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
    private static ulong Element(uint tokenHash, int occurrence) => ((ulong)tokenHash << 16) | (uint)occurrence;

    private struct Entry
    {
        public long OfferId;
        // Null once the slot is retired.
        public ContentSignature? Signature;
        public DateTimeOffset LastSeenAt;
    }

    private struct Probed
    {
        // 0 once the slot is retired.
        public int DescriptionTokenCount;
        // The probe that last met this slot in a posting list, and how many prefix elements it shared with it.
        public int Probe;
        public int SharedElements;
    }

    private struct PostingList
    {
        public int[] Slots;
        public int Count;

        public void Add(int slot)
        {
            if (Slots is null) Slots = new int[2];
            else if (Count == Slots.Length) Array.Resize(ref Slots, Count * 2);
            Slots[Count++] = slot;
        }
    }

    // The offers sharing a fingerprint or a title. Nearly every group has one member, so the list of members is only
    // created for a second one.
    private sealed class Group(int slot)
    {
        public int Best = slot;
        public List<int>? Members;
    }
}

using JobSignal.Core.Common;
using JobSignal.Core.Store;

namespace JobSignal.Core.Ingestion;

/// <summary>
/// The repost indexes of the companies an ingestion run meets (SPEC 5.4): each built once from the signatures stored
/// with the company's canonical offers, then kept current as the run adds and sees offers, so that checking an offer
/// never re-reads or re-tokenizes the company's history (its index re-reads it only when the company has doubled
/// since the last build: a constant cost per added offer). Memory is bounded: past the budget of offers held, the least
/// recently used companies' indexes are dropped (and rebuilt from the store if the company comes back). The indexes
/// keep no signature: a candidate's is read back from the store (by offer id, one row) when it has to be verified.
/// Any change to an index is undone by dropping it when its savepoint or chunk rolls back: the store is then the truth
/// again.
/// </summary>
internal sealed class RepostIndexCache
{
    private readonly SignalStore _store;
    private readonly UndoLog _undo;
    private readonly RepostOptions _options;
    private readonly int _budget;
    private readonly Dictionary<long, LinkedListNode<Cached>> _byCompany = [];
    private readonly LinkedList<Cached> _recentFirst = new();
    private readonly Func<long, ContentSignature?> _readStored;
    private readonly HashSet<long> _unreadable = [];
    private int _offers;
    private long? _dataVersion;

    public RepostIndexCache(SignalStore store, UndoLog undo, TimeSpan window, int budget)
    {
        _store = store;
        _undo = undo;
        _options = RepostOptions.Default with { CandidateWindow = window };
        _budget = budget;
        _readStored = ReadStored;
    }

    /// <summary>Indexes (re)built from the store so far: how often a company's history was read.</summary>
    public int Loads { get; private set; }

    /// <summary>Offers whose stored signature could not be read back: left out of the indexes, never found as reposted.</summary>
    public IReadOnlyCollection<long> UnreadableSignatures => _unreadable;

    /// <summary>Times every index was dropped because another connection had written to the store.</summary>
    public int ChangesElsewhere { get; private set; }

    /// <summary>
    /// Called as each chunk's transaction starts: when another connection committed since the last chunk (another
    /// process ingesting into the same store), every index is dropped and read back from the store when next needed,
    /// so that the offers stored meanwhile are repost candidates too. Inside the transaction nobody else can write.
    /// </summary>
    public void ForgetIfChangedElsewhere()
    {
        var version = _store.DataVersion;
        if (_dataVersion is { } seen && seen != version)
        {
            _byCompany.Clear();
            _recentFirst.Clear();
            _offers = 0;
            ChangesElsewhere++;
        }
        _dataVersion = version;
    }

    /// <summary>The repost decision for a new provider offer id of the company.</summary>
    public RepostDecision FindRepost(long companyId, ContentSignature incoming, DateTimeOffset now) =>
        For(companyId, now).Index.FindRepost(incoming, now);

    /// <summary>A new canonical offer was stored, or a known one's content changed (the store holds its new signature).</summary>
    public void Add(long companyId, long offerId, ContentSignature signature, DateTimeOffset seenAt)
    {
        var cached = For(companyId, seenAt);
        // Registered first: an index that failed half way through (reading the store back) must go too.
        _undo.Add(() => Drop(companyId));
        try
        {
            cached.Index.Add(offerId, signature, seenAt);
        }
        catch
        {
            Drop(companyId);
            throw;
        }
        Recount(cached);
        Trim(companyId);
    }

    /// <summary>A canonical offer was seen again (reposted, or its known id came back).</summary>
    public void MarkSeen(long companyId, long offerId, DateTimeOffset seenAt)
    {
        // Only an index already in memory needs to hear it: one built later reads last seen from the store.
        if (!_byCompany.TryGetValue(companyId, out var node)) return;
        _undo.Add(() => Drop(companyId));
        node.Value.Index.MarkSeen(offerId, seenAt);
    }

    private Cached For(long companyId, DateTimeOffset now)
    {
        if (_byCompany.TryGetValue(companyId, out var node))
        {
            _recentFirst.Remove(node);
            _recentFirst.AddFirst(node);
            return node.Value;
        }
        var candidates = new List<CanonicalOfferSignature>();
        foreach (var stored in _store.Offers.ListRepostCandidates(companyId, now - _options.CandidateWindow))
        {
            if (stored.ContentSignature is { } bytes && Checked(stored.OfferId, Read(bytes)) is { } signature)
                candidates.Add(new CanonicalOfferSignature(stored.OfferId, signature, stored.LastSeenAt));
        }
        var cached = new Cached(companyId, new RepostIndex(candidates, _options, _readStored));
        Loads++;
        _byCompany[companyId] = _recentFirst.AddFirst(cached);
        Recount(cached);
        Trim(companyId);
        return cached;
    }

    private void Recount(Cached cached)
    {
        _offers += cached.Index.Count - cached.Counted;
        cached.Counted = cached.Index.Count;
    }

    // An indexed offer's signature, read back to verify it as a candidate (or to rebuild its company's index).
    private ContentSignature? ReadStored(long offerId) =>
        _store.Native("SELECT content_signature FROM offers WHERE id = @offerId").Set("@offerId", offerId)
            .TryReadBlob<ContentSignature?>(Read, out var signature) ? Checked(offerId, signature) : null;

    // Null for bytes that are not a signature: a damaged signature cannot be compared; the offer stays, it just cannot
    // be found as reposted.
    private static ContentSignature? Read(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return ContentSignature.FromBytes(bytes);
        }
        catch (JobSignalException)
        {
            return null;
        }
    }

    private ContentSignature? Checked(long offerId, ContentSignature? signature)
    {
        if (signature is null) _unreadable.Add(offerId);
        return signature;
    }

    private void Trim(long keep)
    {
        while (_offers > _budget && _recentFirst.Last is { } oldest && oldest.Value.CompanyId != keep)
            Drop(oldest.Value.CompanyId);
    }

    private void Drop(long companyId)
    {
        if (!_byCompany.Remove(companyId, out var node)) return;
        _recentFirst.Remove(node);
        _offers -= node.Value.Counted;
    }

    private sealed class Cached(long companyId, RepostIndex index)
    {
        public long CompanyId { get; } = companyId;
        public RepostIndex Index { get; } = index;
        // The offers of this index counted in the budget.
        public int Counted { get; set; }
    }
}

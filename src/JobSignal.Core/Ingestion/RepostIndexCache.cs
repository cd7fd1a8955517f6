using JobSignal.Core.Common;
using JobSignal.Core.Store;

namespace JobSignal.Core.Ingestion;

/// <summary>
/// The repost indexes of the companies an ingestion run meets (SPEC 5.4): each built once from the signatures stored
/// with the company's canonical offers, then kept current as the run adds and sees offers, so that checking an offer
/// never re-reads or re-tokenizes the company's history. Memory is bounded: past the signature budget, the least
/// recently used companies' indexes are dropped (and rebuilt from the store if the company comes back). Any change to
/// an index is undone by dropping it when its savepoint or chunk rolls back: the store is then the truth again.
/// </summary>
internal sealed class RepostIndexCache
{
    private readonly SignalStore _store;
    private readonly UndoLog _undo;
    private readonly RepostOptions _options;
    private readonly int _budget;
    private readonly Dictionary<long, LinkedListNode<(long CompanyId, RepostIndex Index)>> _byCompany = [];
    private readonly LinkedList<(long CompanyId, RepostIndex Index)> _recentFirst = new();
    private int _signatures;

    public RepostIndexCache(SignalStore store, UndoLog undo, TimeSpan window, int budget)
    {
        _store = store;
        _undo = undo;
        _options = RepostOptions.Default with { CandidateWindow = window };
        _budget = budget;
    }

    /// <summary>Indexes (re)built from the store so far: how often a company's history was read.</summary>
    public int Loads { get; private set; }

    /// <summary>Signatures stored with an offer that could not be read back, left out of the indexes.</summary>
    public int UnreadableSignatures { get; private set; }

    /// <summary>The repost decision for a new provider offer id of the company.</summary>
    public RepostDecision FindRepost(long companyId, ContentSignature incoming, DateTimeOffset now) =>
        For(companyId, now).FindRepost(incoming, now);

    /// <summary>A new canonical offer was stored, or a known one's content changed.</summary>
    public void Add(long companyId, long offerId, ContentSignature signature, DateTimeOffset seenAt)
    {
        var index = For(companyId, seenAt);
        var before = index.Count;
        index.Add(offerId, signature, seenAt);
        _signatures += index.Count - before;
        _undo.Add(() => Drop(companyId));
        Trim(companyId);
    }

    /// <summary>A canonical offer was seen again (reposted, or its known id came back).</summary>
    public void MarkSeen(long companyId, long offerId, DateTimeOffset seenAt)
    {
        // Only an index already in memory needs to hear it: one built later reads last seen from the store.
        if (!_byCompany.TryGetValue(companyId, out var node)) return;
        node.Value.Index.MarkSeen(offerId, seenAt);
        _undo.Add(() => Drop(companyId));
    }

    private RepostIndex For(long companyId, DateTimeOffset now)
    {
        if (_byCompany.TryGetValue(companyId, out var node))
        {
            _recentFirst.Remove(node);
            _recentFirst.AddFirst(node);
            return node.Value.Index;
        }
        var candidates = new List<CanonicalOfferSignature>();
        foreach (var stored in _store.Offers.ListRepostCandidates(companyId, now - _options.CandidateWindow))
        {
            if (Read(stored.ContentSignature) is { } signature)
                candidates.Add(new CanonicalOfferSignature(stored.OfferId, signature, stored.LastSeenAt));
        }
        var index = new RepostIndex(candidates, _options);
        Loads++;
        _signatures += index.Count;
        _byCompany[companyId] = _recentFirst.AddFirst((companyId, index));
        Trim(companyId);
        return index;
    }

    private ContentSignature? Read(byte[]? bytes)
    {
        if (bytes is null) return null;
        try
        {
            return ContentSignature.FromBytes(bytes);
        }
        catch (JobSignalException)
        {
            // A damaged signature cannot be compared; the offer stays, it just cannot be found as reposted.
            UnreadableSignatures++;
            return null;
        }
    }

    private void Trim(long keep)
    {
        while (_signatures > _budget && _recentFirst.Last is { } oldest && oldest.Value.CompanyId != keep)
            Drop(oldest.Value.CompanyId);
    }

    private void Drop(long companyId)
    {
        if (!_byCompany.Remove(companyId, out var node)) return;
        _recentFirst.Remove(node);
        _signatures -= node.Value.Index.Count;
    }
}

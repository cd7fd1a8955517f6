using JobSignal.Core.Domain;
using JobSignal.Core.Store;

namespace JobSignal.Core.Ingestion;

/// <summary>
/// The companies an ingestion run has met, as <see cref="CompanyIdentity.Resolve"/> looks them up and as the run
/// writes them: each one read from the store once per run, then served from memory. Every change it makes in memory
/// is recorded in the run's <see cref="UndoLog"/>, so that a rolled-back offer or chunk leaves no trace here either.
/// A resolution is read when the run first meets the company (a final resolution set by a concurrent feedback
/// import applies from the next run on).
/// </summary>
internal sealed class CompanyDirectory : ICompanyLookup
{
    private sealed class Entry(long id, string? domain, bool hidden, string resolution)
    {
        public long Id { get; } = id;
        public string? Domain { get; set; } = domain;
        public bool Hidden { get; } = hidden;
        public string Resolution { get; } = resolution;
        public KnownCompany Known => new(Id, Domain, Hidden);
    }

    private readonly SignalStore _store;
    private readonly UndoLog _undo;
    private readonly Dictionary<long, Entry> _byId = [];
    private readonly Dictionary<(string Provider, string Id), long> _bySource = [];
    private readonly Dictionary<string, long> _byDomain = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _byName = new(StringComparer.Ordinal);
    // Sources whose last seen this run has already refreshed: one write per source and run, not per offer.
    private readonly HashSet<(string Provider, string Id)> _sourcesSeen = [];

    public CompanyDirectory(SignalStore store, UndoLog undo)
    {
        _store = store;
        _undo = undo;
    }

    public KnownCompany? FindBySource(string provider, string providerCompanyId) =>
        Find(_bySource, (provider, providerCompanyId), key => _store.Companies.FindBySource(key.Item1, key.Item2));

    public KnownCompany? FindByDomain(string domain) =>
        Find(_byDomain, domain, d => _store.Companies.FindByDomain(d));

    public KnownCompany? FindByNormalizedName(string normalizedName) =>
        Find(_byName, normalizedName, name => _store.Companies.FindByNormalizedName(name, hidden: false).FirstOrDefault());

    /// <summary>True when the company's resolution is final (its new offers are skipped).</summary>
    public bool IsFinal(long companyId) => Resolution.IsFinal(Get(companyId)?.Resolution);

    /// <summary>
    /// Writes what the identity decision says: a new company, a domain added, a provider company id linked (or its
    /// last seen refreshed, once per run). Returns the offer's company id.
    /// </summary>
    public long Apply(CompanyResolution resolution, string provider, OfferCompany? company, DateTimeOffset seenAt)
    {
        var name = OfferNormalization.TrimToNull(company?.Name);
        long companyId;
        if (resolution.Kind == CompanyResolutionKind.New)
        {
            var displayName = name ?? resolution.Domain ?? $"{provider} company {resolution.ProviderCompanyId}";
            companyId = _store.Companies.Insert(
                new NewCompany(displayName, resolution.NormalizedName ?? "", resolution.Domain, resolution.Hidden), seenAt);
            Remember(new Entry(companyId, resolution.Domain, resolution.Hidden, Resolution.Pending), undoable: true);
            if (resolution.NormalizedName is { } normalized && !resolution.Hidden) Index(_byName, normalized, companyId);
        }
        else
        {
            companyId = resolution.CompanyId!.Value;
            if (resolution.Kind == CompanyResolutionKind.Enriched && resolution.Domain is { } domain
                && _store.Companies.EnrichDomain(companyId, domain))
            {
                var entry = Get(companyId)!;
                var previous = entry.Domain;
                entry.Domain = domain;
                _undo.Add(() => entry.Domain = previous);
                Index(_byDomain, domain, companyId);
            }
        }

        if (resolution.ProviderCompanyId is { } sourceId && _sourcesSeen.Add((provider, sourceId)))
        {
            _undo.Add(() => _sourcesSeen.Remove((provider, sourceId)));
            // A provider id already linked stays with its company (the store returns that one).
            companyId = _store.Companies.LinkSource(companyId, provider, sourceId, name, resolution.Hidden, seenAt);
            Index(_bySource, (provider, sourceId), companyId);
        }
        return companyId;
    }

    private KnownCompany? Find<TKey>(Dictionary<TKey, long> index, TKey key, Func<TKey, Company?> read) where TKey : notnull
    {
        if (index.TryGetValue(key, out var id)) return _byId[id].Known;
        // Misses are not remembered: the next offer may be the one that creates the company.
        if (read(key) is not { } company) return null;
        var entry = Remember(new Entry(company.CompanyId, company.Domain, company.Hidden, company.Resolution), undoable: false);
        Index(index, key, entry.Id);
        return entry.Known;
    }

    private Entry? Get(long companyId)
    {
        if (_byId.TryGetValue(companyId, out var entry)) return entry;
        return _store.Companies.Get(companyId) is { } company
            ? Remember(new Entry(company.CompanyId, company.Domain, company.Hidden, company.Resolution), undoable: false)
            : null;
    }

    private Entry Remember(Entry entry, bool undoable)
    {
        if (_byId.TryGetValue(entry.Id, out var known)) return known;
        _byId[entry.Id] = entry;
        if (undoable) _undo.Add(() => _byId.Remove(entry.Id));
        if (entry.Domain is { } domain) Index(_byDomain, domain, entry.Id);
        return entry;
    }

    // Keys are always undoable: read inside the chunk's transaction, a row may be one this chunk wrote. Forgetting a
    // key of a company that stays only costs one more read.
    private void Index<TKey>(Dictionary<TKey, long> index, TKey key, long companyId) where TKey : notnull
    {
        if (!index.TryAdd(key, companyId)) return;
        _undo.Add(() => index.Remove(key));
    }
}

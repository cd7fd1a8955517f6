using JobSignal.Core.Signal;

namespace JobSignal.Core.Catalog;

/// <summary>Whether a hit comes from a keyword (scored through its category) or a phrase (scored on its own).</summary>
public enum SignalTermKind
{
    Keyword,
    Phrase,
}

/// <summary>A keyword or phrase as the matcher and scorer see it.</summary>
public sealed class CompiledTerm
{
    internal CompiledTerm(SignalTermKind kind, string id, string display, int tier, CatalogCategory? category,
        int categoryIndex, int order)
    {
        Kind = kind;
        Id = id;
        Display = display;
        Tier = tier;
        Category = category;
        CategoryIndex = categoryIndex;
        Order = order;
    }

    public SignalTermKind Kind { get; }
    public string Id { get; }
    /// <summary>The keyword's canonical name or the phrase as written.</summary>
    public string Display { get; }
    /// <summary>The category's tier for keywords, the phrase's own tier for phrases.</summary>
    public int Tier { get; }
    public CatalogCategory? Category { get; }
    /// <summary>Position of the category in the catalog (ties of topCategory go to catalog order); -1 for phrases.</summary>
    public int CategoryIndex { get; }
    /// <summary>Position of the keyword or phrase in the catalog.</summary>
    public int Order { get; }

    /// <summary>The terms this one counts only beside (<see cref="CatalogPhrase.OnlyWith"/>); null when it always counts.</summary>
    internal OnlyWithRule? OnlyWith { get; set; }
}

/// <summary>A term's hits count only in an offer where a hit of one of <see cref="TermIds"/> counts; else excluded with <see cref="Reason"/>.</summary>
internal sealed record OnlyWithRule(HashSet<string> TermIds, string Reason);

/// <summary>
/// A compiled exclusion: any of <see cref="Near"/> within <see cref="Before"/> tokens before or <see cref="After"/>
/// tokens after the hit (of the hit's sentence, if <see cref="WithinSentence"/>) vetoes it; unless
/// <see cref="WithinField"/>, so do the offer's other fields (<see cref="ExclusionRule.WithinSentence"/>).
/// </summary>
internal sealed record CompiledExclusion(TokenSet Near, int Before, int After, bool WithinSentence, bool WithinField);

/// <summary>What a trie node ending an alias yields: the term, the alias, and the checks that alias carries.</summary>
internal sealed record TrieTerminal(CompiledTerm Term, string Alias, string[]? ExactTokens, CompiledExclusion[] Exclusions);

/// <summary>One token step of the alias trie.</summary>
internal sealed class TrieNode
{
    // While the trie is built; sealed, the children are looked up in a table by the token hashes the tokenizer made.
    private Dictionary<string, TrieNode>? _building;
    private TokenTable<TrieNode>? _children;

    public List<TrieTerminal>? Terminals { get; private set; }

    public bool HasChildren => _children is not null || _building is not null;

    /// <summary>The child for <paramref name="token"/>, whose <see cref="TokenHash"/> is <paramref name="hash"/>.</summary>
    public bool TryGetChild(string token, uint hash, out TrieNode child)
    {
        if (_children is { } children) return children.TryGetValue(token, hash, out child);
        child = null!; // not sealed yet: the catalog seals its trie before anything matches with it
        return false;
    }

    /// <summary>Turns the children of this node and all below it into lookup tables, once the trie is complete.</summary>
    public void Seal()
    {
        if (_building is null) return;
        foreach (var child in _building.Values) child.Seal();
        _children = new TokenTable<TrieNode>(_building);
        _building = null;
    }

    /// <summary>The child for <paramref name="token"/>, made (<paramref name="added"/>) when there is none yet.</summary>
    public TrieNode GetOrAddChild(string token, out bool added)
    {
        if (_children is not null) throw new InvalidOperationException("The trie is sealed.");
        _building ??= new Dictionary<string, TrieNode>(StringComparer.Ordinal);
        added = !_building.TryGetValue(token, out var child);
        if (added) _building[token] = child = new TrieNode();
        return child!;
    }

    public void AddTerminal(TrieTerminal terminal) => (Terminals ??= []).Add(terminal);
}

/// <summary>
/// A validated catalog compiled for matching (SPEC 5.2): every alias and phrase in one token trie, so that matching
/// costs a dictionary lookup per token and trie step whatever the catalog's size. Immutable and thread-safe.
/// </summary>
public sealed class CompiledCatalog
{
    internal CompiledCatalog(SignalCatalog catalog, TrieNode root, IReadOnlyList<CompiledTerm> terms, int nodeCount,
        TokenSet negationCues, Dictionary<string, string[][]> negationIdioms)
    {
        NegationIdioms = negationIdioms;
        Catalog = catalog;
        root.Seal();
        Root = root;
        Terms = terms;
        NodeCount = nodeCount;
        NegationCues = negationCues;
        TermsById = terms.ToDictionary(t => t.Id, StringComparer.Ordinal);
        _termTable = new TokenTable<CompiledTerm>(TermsById);
        HasOnlyWithRules = terms.Any(t => t.OnlyWith is not null);
    }

    /// <summary>Reads, validates and compiles a catalog file; throws <see cref="CatalogException"/> when it cannot.</summary>
    public static CompiledCatalog Load(string path) => CatalogCompiler.Compile(CatalogLoader.Load(path));

    public SignalCatalog Catalog { get; }
    public string Version => Catalog.Version;
    public string? SourcePath => Catalog.SourcePath;
    public ScoringProfile Scoring => Catalog.Scoring;
    public NegationRules Negation => Catalog.Negation;

    /// <summary>Keywords then phrases, in catalog order.</summary>
    public IReadOnlyList<CompiledTerm> Terms { get; }

    public IReadOnlyDictionary<string, CompiledTerm> TermsById { get; }

    // TermsById for matching and scoring, which look a term up for every hit: a table of our own (TokenTable says why).
    private readonly TokenTable<CompiledTerm> _termTable;

    /// <summary>The term with this id (a hit's <see cref="SignalHit.Id"/>); throws <see cref="KeyNotFoundException"/> for another id.</summary>
    internal CompiledTerm Term(string id) =>
        _termTable.TryGetValue(id, TokenHash.Of(id), out var term) ? term : throw new KeyNotFoundException($"The catalog has no term '{id}'.");

    /// <summary>Trie nodes, for diagnostics and the benchmark.</summary>
    public int NodeCount { get; }

    internal TrieNode Root { get; }
    internal TokenSet NegationCues { get; }
    /// <summary>Per cue, the words that make it an idiom that negates nothing when they follow it.</summary>
    internal Dictionary<string, string[][]> NegationIdioms { get; }
    /// <summary>Some term counts only beside others: matching an offer checks its hits against each other.</summary>
    internal bool HasOnlyWithRules { get; }
}

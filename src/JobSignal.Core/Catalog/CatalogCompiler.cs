using JobSignal.Core.Signal;

namespace JobSignal.Core.Catalog;

/// <summary>Turns a <see cref="SignalCatalog"/> into a <see cref="CompiledCatalog"/> (validating it first).</summary>
public static class CatalogCompiler
{
    /// <summary>Throws <see cref="CatalogException"/> (CatalogInvalid, every error listed) when the catalog is invalid.</summary>
    public static CompiledCatalog Compile(SignalCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var report = CatalogValidator.Validate(catalog);
        if (!report.IsValid) throw CatalogException.ForInvalid(catalog.SourcePath, report.Issues);

        var root = new TrieNode();
        var nodeCount = 1;
        var terms = new List<CompiledTerm>(catalog.Keywords.Count + catalog.Phrases.Count);
        var categoryIndex = catalog.Categories
            .Select((category, index) => (category, index))
            .ToDictionary(c => c.category.Id, StringComparer.Ordinal);

        foreach (var keyword in catalog.Keywords)
        {
            var (category, index) = categoryIndex[keyword.CategoryId];
            var term = new CompiledTerm(SignalTermKind.Keyword, keyword.Id, keyword.Canonical, category.Tier, category,
                index, terms.Count);
            terms.Add(term);
            foreach (var alias in keyword.Aliases) Add(term, alias, caseSensitive: false, keyword.Exclude);
            foreach (var alias in keyword.CaseSensitiveAliases) Add(term, alias, caseSensitive: true, keyword.Exclude);
        }
        foreach (var phrase in catalog.Phrases)
        {
            var term = new CompiledTerm(SignalTermKind.Phrase, phrase.Id, phrase.Phrase, phrase.Tier, null, -1, terms.Count);
            terms.Add(term);
            Add(term, phrase.Phrase, caseSensitive: false, phrase.Exclude);
        }
        var byId = terms.ToDictionary(t => t.Id, StringComparer.Ordinal);
        foreach (var (id, onlyWith) in catalog.Keywords.Select(k => (k.Id, k.OnlyWith)).Concat(catalog.Phrases.Select(p => (p.Id, p.OnlyWith))))
        {
            if (onlyWith.Count == 0) continue;
            var companions = onlyWith.Distinct(StringComparer.Ordinal).Select(c => byId[c]).ToList();
            byId[id].OnlyWith = new OnlyWithRule(companions.Select(c => c.Id).ToHashSet(StringComparer.Ordinal),
                $"counts only beside {string.Join(", ", companions.Select(c => c.Display))}, and none of them counts in the offer");
        }
        var cues = new TokenSet(catalog.Negation.Cues.Select(Tokenizer.Normalize));
        // Cue -> the words that follow it in each idiom ("sin" -> ["embargo"], ["duda"]).
        var idioms = catalog.Negation.Idioms.Select(Tokenizer.NormalizedTokens).Where(words => words.Count > 1)
            .GroupBy(words => words[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(words => words.Skip(1).ToArray()).ToArray(), StringComparer.Ordinal);
        return new CompiledCatalog(catalog, root, terms, nodeCount, cues, idioms);

        void Add(CompiledTerm term, string alias, bool caseSensitive, List<ExclusionRule> rules)
        {
            var tokens = Tokenizer.Tokenize(alias);
            var node = root;
            foreach (var token in tokens.Tokens)
            {
                node = node.GetOrAddChild(token.Value, out var added);
                if (added) nodeCount++;
            }
            var exact = caseSensitive ? tokens.Tokens.Select(t => alias.Substring(t.Start, t.Length)).ToArray() : null;
            node.AddTerminal(new TrieTerminal(term, alias, exact, CompileExclusions(rules, alias)));
        }
    }

    private static CompiledExclusion[] CompileExclusions(List<ExclusionRule> rules, string alias)
    {
        if (rules.Count == 0) return [];
        var normalizedAlias = Tokenizer.Normalize(alias);
        return rules
            .Where(rule => rule.Aliases.Count == 0
                || rule.Aliases.Any(a => Tokenizer.Normalize(a) == normalizedAlias))
            .Select(rule => new CompiledExclusion(new TokenSet(rule.Near.Select(Tokenizer.Normalize)),
                rule.Direction == ExclusionDirections.After ? 0 : rule.Window,
                rule.Direction == ExclusionDirections.Before ? 0 : rule.Window, rule.WithinSentence,
                WithinField: rule.WithinSentence || rule.WithinField))
            .ToArray();
    }
}

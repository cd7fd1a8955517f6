using System.Runtime.CompilerServices;
using JobSignal.Core.Catalog;

namespace JobSignal.Core.Signal;

/// <summary>
/// Finds every keyword alias and phrase of a compiled catalog in a text (SPEC 5.2): whole token sequences only,
/// over the token lattice (so <c>U.S. market</c> matches both <c>us market</c> and <c>usa market</c>), each hit with
/// its field, token position, negation, exclusion and evidence. Walks the catalog's trie from every token, so the
/// cost grows with the text, not with the catalog. Stateless and thread-safe.
/// </summary>
public sealed class KeywordMatcher
{
    public KeywordMatcher(CompiledCatalog catalog)
    {
        Catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
    }

    public CompiledCatalog Catalog { get; }

    /// <summary>
    /// Hits in the offer's title, description and requirements. The company itself is never matched, and a hit that is
    /// its own name in the text is excluded (<see cref="CompanyNameMask"/>). The fields are one offer: an exclusion
    /// context word of the title (which names the role) vetoes hits in the other fields, the description's first words
    /// count as what follows the title's hits, and a term that counts only beside others
    /// (<see cref="CatalogPhrase.OnlyWith"/>) is checked against the hits of every field.
    /// </summary>
    public IReadOnlyList<SignalHit> MatchOffer(string? title, string? description, string? requirements = null, string? companyName = null) =>
        MatchOffer(Tokenizer.Tokenize(title), Tokenizer.Tokenize(description), Tokenizer.Tokenize(requirements), companyName);

    /// <summary>The same over texts already tokenized (ingestion tokenizes once, for matching and repost signatures).</summary>
    public IReadOnlyList<SignalHit> MatchOffer(TokenizedText title, TokenizedText description, TokenizedText requirements,
        string? companyName = null)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(requirements);
        var company = CompanyNameMask.Of(companyName);
        var hits = new List<SignalHit>();
        hits.AddRange(Run(title, SignalField.Title, company, roleTitle: null, following: description));
        hits.AddRange(Run(description, SignalField.Description, company, roleTitle: title, following: null));
        hits.AddRange(Run(requirements, SignalField.Requirements, company, roleTitle: title, following: null));
        if (Catalog.HasOnlyWithRules) ExcludeUnaccompanied(hits);
        return hits;
    }

    /// <summary>Hits in one text on its own (no other field's context, no <see cref="CatalogPhrase.OnlyWith"/> check).</summary>
    public IReadOnlyList<SignalHit> Match(string? text, SignalField field) =>
        string.IsNullOrEmpty(text) ? [] : Match(Tokenizer.Tokenize(text), field);

    /// <inheritdoc cref="Match(string?, SignalField)"/>
    public IReadOnlyList<SignalHit> Match(TokenizedText text, SignalField field, CompanyNameMask? company = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Run(text, field, company, roleTitle: null, following: null);
    }

    private List<SignalHit> Run(TokenizedText text, SignalField field, CompanyNameMask? company, TokenizedText? roleTitle,
        TokenizedText? following)
    {
        var run = new MatchRun(Catalog, text, field, company, roleTitle, following);
        for (var slot = 0; slot < text.Count; slot++) run.Walk(Catalog.Root, slot, slot, usedAlternative: false);
        return run.Hits;
    }

    /// <summary>
    /// Excludes the counting hits of a term that counts only beside others when no hit of those counts in the offer
    /// (judged by each hit's own context, before this check).
    /// </summary>
    private void ExcludeUnaccompanied(List<SignalHit> hits)
    {
        HashSet<string>? counting = null; // made only for an offer with such a hit (most have none)
        for (var i = 0; i < hits.Count; i++)
        {
            if (!hits[i].Counts || Catalog.Term(hits[i].Id).OnlyWith is not { } rule) continue;
            counting ??= hits.Where(h => h.Counts).Select(h => h.Id).ToHashSet(StringComparer.Ordinal);
            if (!rule.TermIds.Overlaps(counting)) hits[i] = hits[i] with { Excluded = true, ExclusionReason = rule.Reason };
        }
    }

    /// <summary>
    /// The state of one field's matching: its text, and the offer's other fields as far as exclusion contexts see them
    /// (<paramref name="roleTitle"/> for the hits of the description and requirements, the text
    /// <paramref name="following"/> this one for the title's hits).
    /// </summary>
    private sealed class MatchRun(CompiledCatalog catalog, TokenizedText text, SignalField field, CompanyNameMask? company,
        TokenizedText? roleTitle, TokenizedText? following)
    {
        private readonly List<SignalHit> _hits = [];
        // The term of each hit, beside it: one hit per term and position, the longest alias wins.
        private readonly List<CompiledTerm> _hitTerms = [];

        public List<SignalHit> Hits => _hits;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Walk(TrieNode node, int start, int slot, bool usedAlternative)
        {
            var tokens = text.TokenSpan;
            if (slot >= tokens.Length) return;
            // An alias of several words is one phrase: it never spans a break ("Join us! Market leader" is no "us
            // market"). A '.' is no break here: "U.S. market" is one.
            if (slot > start && HardBreakBetween(tokens[slot - 1], tokens[slot])) return;
            if (node.TryGetChild(tokens[slot].Value, text.TokenHashes[slot], out var child))
                Step(child, start, slot + 1, usedAlternative);
            foreach (var alternative in text.AlternativesAt(slot))
            {
                if (node.TryGetChild(alternative.Value, TokenHash.Of(alternative.Value), out var next))
                    Step(next, start, slot + alternative.SlotCount, usedAlternative: true);
            }
        }

        private void Step(TrieNode node, int start, int end, bool usedAlternative)
        {
            if (node.Terminals is not null)
            {
                foreach (var terminal in node.Terminals)
                {
                    if (terminal.ExactTokens is null || SpelledExactly(terminal.ExactTokens, start, end, usedAlternative))
                        Add(terminal, start, end);
                }
            }
            if (node.HasChildren) Walk(node, start, end, usedAlternative);
        }

        private bool SpelledExactly(string[] exact, int start, int end, bool usedAlternative)
        {
            if (usedAlternative || end - start != exact.Length) return false;
            var tokens = text.TokenSpan;
            for (var i = 0; i < exact.Length; i++)
            {
                var token = tokens[start + i];
                if (!text.Text.AsSpan(token.Start, token.Length).SequenceEqual(exact[i])) return false;
            }
            return true;
        }

        private void Add(TrieTerminal terminal, int start, int end)
        {
            // Starts are walked in order, so the hits at this start are the last ones.
            for (var i = _hits.Count - 1; i >= 0 && _hits[i].Position == start; i--)
            {
                if (!ReferenceEquals(_hitTerms[i], terminal.Term)) continue;
                if (_hits[i].TokenCount < end - start) _hits[i] = CreateHit(terminal, start, end);
                return;
            }
            _hits.Add(CreateHit(terminal, start, end));
            _hitTerms.Add(terminal.Term);
        }

        private SignalHit CreateHit(TrieTerminal terminal, int start, int end)
        {
            var tokens = text.TokenSpan;
            var offset = tokens[start].Start;
            var length = tokens[end - 1].End - offset;
            var negation = catalog.Negation;
            // A cue negates within its sentence ("Formación sin coste. Pagos en USD" is no "sin USD"); an exclusion's
            // context words count across sentences ("Swift. iOS y Xcode") unless its rule says otherwise.
            var cue = FindNear(catalog.NegationCues, start, end, negation.WindowBefore, negation.WindowAfter, withinSentence: true,
                catalog.NegationIdioms);
            var exclusion = company is not null && company.Masks(tokens[start..end]) ? company.Reason : ExclusionNear(terminal, start, end);
            return new SignalHit
            {
                Kind = terminal.Term.Kind,
                Id = terminal.Term.Id,
                CategoryId = terminal.Term.Category?.Id,
                Term = terminal.Term.Display,
                Alias = terminal.Alias,
                Field = field,
                Position = start,
                TokenCount = end - start,
                Offset = offset,
                Length = length,
                Text = EvidenceSnippet.Clean(text.Text.AsSpan(offset, length)),
                Evidence = EvidenceSnippet.Around(text.Text, offset, length),
                Negated = cue is not null,
                NegationCue = cue?.Token,
                NegationDistance = cue?.Distance,
                Excluded = exclusion is not null,
                ExclusionReason = exclusion,
            };
        }

        /// <summary>Why an exclusion context of the alias vetoes the hit ("'iphone' 2 tokens after"); null when none does.</summary>
        private string? ExclusionNear(TrieTerminal terminal, int start, int end)
        {
            foreach (var rule in terminal.Exclusions)
            {
                if (FindNear(rule.Near, start, end, rule.Before, rule.After, rule.WithinSentence) is { } near)
                    return $"'{near.Token}' {Describe(near.Distance)}";
                // A rule on the words of the hit's own phrase says nothing about another field.
                if (rule.WithinField) continue;
                // The title names the role: its context words count wherever the hit stands in the other fields.
                if (rule.Before > 0 && roleTitle is not null && FirstOf(rule.Near, roleTitle, roleTitle.Count) is { } inTitle)
                    return $"'{inTitle.Token}' in the title";
                // The description reads on from the title: the window after a title hit goes on into it.
                var afterThisField = text.Count - end;
                if (following is not null && rule.After > afterThisField
                    && FirstOf(rule.Near, following, rule.After - afterThisField) is { } next)
                    return $"'{next.Token}' {Describe(afterThisField + 1 + next.Index)}, in the description";
            }
            return null;
        }

        /// <summary>The first of the first <paramref name="count"/> tokens of <paramref name="other"/> that is in <paramref name="set"/>.</summary>
        private static (string Token, int Index)? FirstOf(TokenSet set, TokenizedText other, int count)
        {
            var tokens = other.TokenSpan;
            var hashes = other.TokenHashes;
            for (var i = 0; i < Math.Min(count, tokens.Length); i++)
                if (set.Contains(tokens[i].Value, hashes[i])) return (tokens[i].Value, i);
            return null;
        }

        /// <summary>The nearest token of <paramref name="set"/> within the windows around [start, end); before wins ties.</summary>
        private (string Token, int Distance)? FindNear(TokenSet set, int start, int end, int before, int after,
            bool withinSentence, Dictionary<string, string[][]>? idioms = null)
        {
            if (set.Count == 0) return null;
            var tokens = text.TokenSpan;
            var hashes = text.TokenHashes;
            for (var distance = 1; distance <= Math.Max(before, after); distance++)
            {
                var left = start - distance;
                if (withinSentence && left >= 0 && SentenceEndsBetween(tokens[left], tokens[left + 1])) before = 0;
                if (distance <= before && left >= 0 && set.Contains(tokens[left].Value, hashes[left]) && !StartsIdiom(left, idioms))
                    return (tokens[left].Value, -distance);
                var right = end - 1 + distance;
                if (withinSentence && right < tokens.Length && SentenceEndsBetween(tokens[right - 1], tokens[right])) after = 0;
                if (distance <= after && right < tokens.Length && set.Contains(tokens[right].Value, hashes[right]) && !StartsIdiom(right, idioms))
                    return (tokens[right].Value, distance);
            }
            return null;
        }

        /// <summary>
        /// Whether the text between two tokens ends a sentence: '.', '!', '?' or ';' followed by a space (not the dots
        /// of "U.S." or "3.5"), a line break, or Spanish '¡'/'¿' opening the next one.
        /// </summary>
        private bool SentenceEndsBetween(Token earlier, Token later)
        {
            var gap = Gap(earlier, later);
            for (var i = 0; i < gap.Length; i++)
            {
                switch (gap[i])
                {
                    case '\n' or '\r' or '¡' or '¿':
                        return true;
                    case '.' or '!' or '?' or ';' when i + 1 < gap.Length && char.IsWhiteSpace(gap[i + 1]):
                        return true;
                }
            }
            return false;
        }

        /// <summary>Whether the cue at <paramref name="slot"/> starts an idiom that negates nothing ("sin embargo").</summary>
        private bool StartsIdiom(int slot, Dictionary<string, string[][]>? idioms)
        {
            var tokens = text.TokenSpan;
            if (idioms is null || !idioms.TryGetValue(tokens[slot].Value, out var followers)) return false;
            foreach (var words in followers)
            {
                if (slot + words.Length >= tokens.Length) continue;
                var i = 0;
                while (i < words.Length && tokens[slot + 1 + i].Value == words[i]) i++;
                if (i == words.Length) return true;
            }
            return false;
        }

        /// <summary>Whether '!', '?', ';', a line break or '¡'/'¿' stands between two tokens.</summary>
        private bool HardBreakBetween(Token earlier, Token later)
        {
            var gap = text.Text.AsSpan(earlier.End, later.Start - earlier.End);
            // The ';' of an HTML reference ("pagos&nbsp;internacionales") is no break: only then is the gap decoded.
            return HasHardBreak(gap) && (!HasAmpersand(gap) || HasHardBreak(HtmlEntity.Decode(gap)));
        }

        /// <summary>The text between two tokens, its HTML references read as their characters.</summary>
        private ReadOnlySpan<char> Gap(Token earlier, Token later)
        {
            var gap = text.Text.AsSpan(earlier.End, later.Start - earlier.End);
            return HasAmpersand(gap) ? HtmlEntity.Decode(gap) : gap;
        }

        // Loops of our own over the gap between two tokens (mostly a space): compiled optimized at once, where the
        // framework's IndexOf/IndexOfAny run instrumented (tiered PGO) through most of a nightly run.
        private static bool HasHardBreak(ReadOnlySpan<char> gap)
        {
            foreach (var c in gap)
            {
                if (c is '!' or '?' or ';' or '\n' or '\r' or '¡' or '¿') return true;
            }
            return false;
        }

        private static bool HasAmpersand(ReadOnlySpan<char> gap)
        {
            foreach (var c in gap)
            {
                if (c == '&') return true;
            }
            return false;
        }

        private static string Describe(int distance) =>
            $"{Math.Abs(distance)} token{(Math.Abs(distance) == 1 ? "" : "s")} {(distance < 0 ? "before" : "after")}";
    }
}

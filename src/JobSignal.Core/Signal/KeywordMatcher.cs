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
    /// its own name in the text is excluded (<see cref="CompanyNameMask"/>).
    /// </summary>
    public IReadOnlyList<SignalHit> MatchOffer(string? title, string? description, string? requirements = null, string? companyName = null) =>
        MatchOffer(Tokenizer.Tokenize(title), Tokenizer.Tokenize(description), Tokenizer.Tokenize(requirements), companyName);

    /// <summary>The same over texts already tokenized (ingestion tokenizes once, for matching and repost signatures).</summary>
    public IReadOnlyList<SignalHit> MatchOffer(TokenizedText title, TokenizedText description, TokenizedText requirements,
        string? companyName = null)
    {
        var company = CompanyNameMask.Of(companyName);
        var hits = new List<SignalHit>();
        hits.AddRange(Match(title, SignalField.Title, company));
        hits.AddRange(Match(description, SignalField.Description, company));
        hits.AddRange(Match(requirements, SignalField.Requirements, company));
        return hits;
    }

    public IReadOnlyList<SignalHit> Match(string? text, SignalField field) =>
        string.IsNullOrEmpty(text) ? [] : Match(Tokenizer.Tokenize(text), field);

    public IReadOnlyList<SignalHit> Match(TokenizedText text, SignalField field, CompanyNameMask? company = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var run = new MatchRun(Catalog, text, field, company);
        for (var slot = 0; slot < text.Count; slot++) run.Walk(Catalog.Root, slot, slot, usedAlternative: false);
        return run.Hits;
    }

    /// <summary>The state of one Match call.</summary>
    private sealed class MatchRun(CompiledCatalog catalog, TokenizedText text, SignalField field, CompanyNameMask? company)
    {
        private readonly List<SignalHit> _hits = [];
        // (term, first slot) -> index in _hits: one hit per term and position, the longest alias wins.
        private Dictionary<(CompiledTerm, int), int>? _seen;

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
            _seen ??= new Dictionary<(CompiledTerm, int), int>();
            var key = (terminal.Term, start);
            if (_seen.TryGetValue(key, out var existing))
            {
                if (_hits[existing].TokenCount < end - start) _hits[existing] = CreateHit(terminal, start, end);
                return;
            }
            _seen[key] = _hits.Count;
            _hits.Add(CreateHit(terminal, start, end));
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
                if (FindNear(rule.Near, start, end, rule.Window, rule.Window, rule.WithinSentence) is { } near)
                    return $"'{near.Token}' {Describe(near.Distance)}";
            }
            return null;
        }

        /// <summary>The nearest token of <paramref name="set"/> within the windows around [start, end); before wins ties.</summary>
        private (string Token, int Distance)? FindNear(HashSet<string> set, int start, int end, int before, int after,
            bool withinSentence, Dictionary<string, string[][]>? idioms = null)
        {
            if (set.Count == 0) return null;
            var tokens = text.TokenSpan;
            for (var distance = 1; distance <= Math.Max(before, after); distance++)
            {
                var left = start - distance;
                if (withinSentence && left >= 0 && SentenceEndsBetween(tokens[left], tokens[left + 1])) before = 0;
                if (distance <= before && left >= 0 && set.Contains(tokens[left].Value) && !StartsIdiom(left, idioms))
                    return (tokens[left].Value, -distance);
                var right = end - 1 + distance;
                if (withinSentence && right < tokens.Length && SentenceEndsBetween(tokens[right - 1], tokens[right])) after = 0;
                if (distance <= after && right < tokens.Length && set.Contains(tokens[right].Value) && !StartsIdiom(right, idioms))
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
            var gap = text.Text.AsSpan(earlier.End, later.Start - earlier.End);
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
        private bool HardBreakBetween(Token earlier, Token later) =>
            text.Text.AsSpan(earlier.End, later.Start - earlier.End).IndexOfAny("!?;\n\r¡¿") >= 0;

        private static string Describe(int distance) =>
            $"{Math.Abs(distance)} token{(Math.Abs(distance) == 1 ? "" : "s")} {(distance < 0 ? "before" : "after")}";
    }
}

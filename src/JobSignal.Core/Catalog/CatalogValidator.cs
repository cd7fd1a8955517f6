using JobSignal.Core.Signal;

namespace JobSignal.Core.Catalog;

/// <summary>
/// Finds everything wrong with a catalog in one pass (SPEC 5.1), each problem with its JSON path: structure, blank
/// and duplicate ids, unknown categories and buckets, tiers outside 1-3, aliases that are empty, normalize to no
/// tokens or collide across keywords, bad exclusion and negation rules, onlyWith ids that name no other term, and
/// scoring numbers that are negative or would make a score the store cannot keep. Warnings (the catalog works) for
/// likely mistakes: a category without keywords, an alias that repeats another of its keyword as the matcher reads it,
/// two synergy bonuses for one bucket, an fxCoreThreshold of 0.
/// </summary>
public static class CatalogValidator
{
    /// <summary>The widest negation or exclusion window a catalog may ask for.</summary>
    public const int MaxWindow = 50;

    private static readonly string[] s_fields = ["title", "description", "requirements"];

    public static CatalogValidationReport Validate(CatalogReadResult read) =>
        Validate(read.Catalog, read.Issues, read.Path);

    public static CatalogValidationReport Validate(SignalCatalog catalog) =>
        Validate(catalog, [], catalog.SourcePath);

    private static CatalogValidationReport Validate(SignalCatalog? catalog, IReadOnlyList<CatalogIssue> structural,
        string? path)
    {
        var checker = new Checker(structural);
        if (catalog is not null) checker.Check(catalog);
        return new CatalogValidationReport
        {
            Path = path,
            Version = string.IsNullOrWhiteSpace(catalog?.Version) ? null : catalog.Version,
            Issues = InFileOrder(checker.Issues),
            CategoryCount = catalog?.Categories.Count ?? 0,
            KeywordCount = catalog?.Keywords.Count ?? 0,
            AliasCount = catalog?.AliasCount ?? 0,
            PhraseCount = catalog?.Phrases.Count ?? 0,
        };
    }

    private static readonly string[] s_sections = ["$", "version", "description", "categories", "keywords", "phrases", "scoring", "negation"];

    /// <summary>Issues by section and item (a stable sort keeps discovery order within an item).</summary>
    private static ItemList<CatalogIssue> InFileOrder(List<CatalogIssue> issues) =>
        new(issues.OrderBy(i => SectionRank(i.Path)).ThenBy(i => FirstIndex(i.Path)));

    private static int SectionRank(string path)
    {
        var end = path.IndexOfAny(['.', '[']);
        var rank = Array.IndexOf(s_sections, end < 0 ? path : path[..end]);
        return rank < 0 ? s_sections.Length : rank;
    }

    /// <summary>The item index of a top-level array (<c>keywords[3]...</c> -> 3); -1 elsewhere.</summary>
    private static int FirstIndex(string path)
    {
        var open = path.IndexOfAny(['.', '[']);
        if (open < 0 || path[open] != '[') return -1;
        var close = path.IndexOf(']', open);
        return close > open + 1 && int.TryParse(path.AsSpan(open + 1, close - open - 1), out var index) ? index : -1;
    }

    private sealed class Checker
    {
        private readonly List<CatalogIssue> _issues;
        // Paths the reader already reported (wrong type, missing): semantic checks below them would only repeat it.
        private readonly List<string> _reported;
        private readonly Dictionary<string, string> _termIds = new(StringComparer.Ordinal);
        // Normalized negation cue -> its path.
        private Dictionary<string, string> _cues = new(StringComparer.Ordinal);

        public Checker(IReadOnlyList<CatalogIssue> structural)
        {
            _issues = [.. structural];
            _reported = structural.Select(i => i.Path).ToList();
        }

        public List<CatalogIssue> Issues => _issues;

        public void Check(SignalCatalog catalog)
        {
            if (string.IsNullOrWhiteSpace(catalog.Version)) Report("version", "blank version");
            var categories = CheckCategories(catalog.Categories);
            _cues = CueTokens(catalog.Negation.Cues);
            CheckKeywords(catalog.Keywords, categories);
            CheckCategoriesUsed(catalog);
            CheckPhrases(catalog.Phrases);
            if (catalog.Keywords.Count > 0) // else reported once as "no keywords"
            {
                var conditional = catalog.Keywords.Where(k => k.OnlyWith.Count > 0).Select(k => k.Id)
                    .Concat(catalog.Phrases.Where(p => p.OnlyWith.Count > 0).Select(p => p.Id))
                    .ToHashSet(StringComparer.Ordinal);
                for (var i = 0; i < catalog.Keywords.Count; i++)
                    CheckOnlyWith(catalog.Keywords[i].Id, catalog.Keywords[i].OnlyWith, $"keywords[{i}].onlyWith", conditional);
                for (var i = 0; i < catalog.Phrases.Count; i++)
                    CheckOnlyWith(catalog.Phrases[i].Id, catalog.Phrases[i].OnlyWith, $"phrases[{i}].onlyWith", conditional);
            }
            CheckScoring(catalog.Scoring);
            CheckNegation(catalog.Negation);
        }

        private HashSet<string> CheckCategories(List<CatalogCategory> categories)
        {
            if (categories.Count == 0) Report("categories", "no categories");
            var ids = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < categories.Count; i++)
            {
                var path = $"categories[{i}]";
                var category = categories[i];
                CheckId(category.Id, path, ids);
                CheckTier(category.Tier, path + ".tier");
                if (!SignalBuckets.IsKnown(category.Bucket))
                    Report(path + ".bucket", string.IsNullOrWhiteSpace(category.Bucket) ? "blank bucket"
                        : $"unknown bucket '{category.Bucket}' (known: {string.Join(", ", SignalBuckets.All)})");
            }
            return ids.Keys.ToHashSet(StringComparer.Ordinal);
        }

        /// <summary>A category no keyword names can never score: a warning (the catalog still works).</summary>
        private void CheckCategoriesUsed(SignalCatalog catalog)
        {
            if (catalog.Keywords.Count == 0) return; // reported once as "no keywords"
            var used = new HashSet<string>(StringComparer.Ordinal);
            foreach (var keyword in catalog.Keywords) used.Add(keyword.CategoryId);
            for (var i = 0; i < catalog.Categories.Count; i++)
            {
                var id = catalog.Categories[i].Id;
                if (!string.IsNullOrWhiteSpace(id) && !used.Contains(id))
                    Warn($"categories[{i}]", $"category '{id}' has no keywords: it can never score");
            }
        }

        private void CheckKeywords(List<CatalogKeyword> keywords, HashSet<string> categoryIds)
        {
            if (keywords.Count == 0) Report("keywords", "no keywords");
            // Normalized alias -> where it was first seen, to find collisions across keywords.
            var aliases = new Dictionary<string, AliasOrigin>(StringComparer.Ordinal);
            var checkedAliases = new List<(AliasOrigin Origin, string Text, string Normalized)>();
            for (var i = 0; i < keywords.Count; i++)
            {
                var path = $"keywords[{i}]";
                var keyword = keywords[i];
                CheckId(keyword.Id, path, _termIds);
                if (string.IsNullOrWhiteSpace(keyword.CategoryId)) Report(path + ".categoryId", "blank categoryId");
                // When the categories section itself is broken, every keyword would repeat it.
                else if (!IsReported("categories") && !categoryIds.Contains(keyword.CategoryId))
                    Report(path + ".categoryId", $"unknown category '{keyword.CategoryId}'");
                if (keyword.Aliases.Count + keyword.CaseSensitiveAliases.Count == 0) Report(path + ".aliases", "no aliases");
                var spellings = new KeywordSpellings();
                CheckAliases(keyword, i, keyword.Aliases, path + ".aliases", caseSensitive: false, aliases, checkedAliases, spellings);
                CheckAliases(keyword, i, keyword.CaseSensitiveAliases, path + ".caseSensitiveAliases", caseSensitive: true,
                    aliases, checkedAliases, spellings);
                CheckExclusions(keyword.Exclude, path, keyword.Aliases.Concat(keyword.CaseSensitiveAliases));
            }
            CheckEquivalentAliases(checkedAliases, aliases);
        }

        /// <summary>
        /// Aliases of different keywords that differ as written but match the same text through the tokenizer's
        /// equivalent readings (SPEC 5.2): 'clientes en EEUU' and 'clientes en usa' both match "clientes en EEUU";
        /// 'us' and 'U.S.' both match "U.S."; '$' and 'usd' both match "$". Each alias is spelled every way the
        /// tokenizer reads as its tokens, and every reading of those spellings is looked up among the other aliases.
        /// </summary>
        private void CheckEquivalentAliases(List<(AliasOrigin Origin, string Text, string Normalized)> checkedAliases,
            Dictionary<string, AliasOrigin> aliases)
        {
            var reported = new HashSet<(string, string)>();
            foreach (var (origin, text, normalized) in checkedAliases)
            {
                foreach (var spelling in Spellings(normalized))
                {
                    foreach (var reading in Tokenizer.Readings(spelling, MaxReadings))
                    {
                        if (reading == normalized || !aliases.TryGetValue(reading, out var other)) continue;
                        if (other.KeywordIndex == origin.KeywordIndex) continue;
                        if (origin.ExactText is not null && other.ExactText is not null) continue; // exact spellings differ
                        // One report per pair, at the later alias (as for exact collisions).
                        var (first, second) = other.Sequence < origin.Sequence ? (other, origin) : (origin, other);
                        if (!reported.Add((first.Path, second.Path))) continue;
                        var secondText = second == origin ? text : checkedAliases[second.Sequence].Text;
                        Report(second.Path, $"alias '{secondText}' matches the same text as {first.Path} of keyword " +
                            $"'{first.KeywordId}' (both match \"{spelling}\")");
                    }
                }
            }
        }

        /// <summary>The alias's tokens written every way the tokenizer reads as them (bounded).</summary>
        private static List<string> Spellings(string normalized)
        {
            var spellings = new List<string> { "" };
            foreach (var token in normalized.Split(' '))
            {
                var others = Tokenizer.SpellingsReadAs(token);
                var next = new List<string>(spellings.Count * (others.Count + 1));
                foreach (var prefix in spellings)
                {
                    next.Add(prefix.Length == 0 ? token : prefix + " " + token);
                    foreach (var other in others)
                        if (next.Count < MaxReadings) next.Add(prefix.Length == 0 ? other : prefix + " " + other);
                }
                spellings = next;
            }
            return spellings;
        }

        /// <summary>Aliases are short: this bounds the work a pathological one ("u s u s u s ...") could cause.</summary>
        private const int MaxReadings = 256;

        private void CheckAliases(CatalogKeyword keyword, int keywordIndex, List<string> list, string listPath,
            bool caseSensitive, Dictionary<string, AliasOrigin> all,
            List<(AliasOrigin Origin, string Text, string Normalized)> checkedAliases, KeywordSpellings spellings)
        {
            for (var j = 0; j < list.Count; j++)
            {
                var path = $"{listPath}[{j}]";
                var normalized = NormalizedPhrase(list[j], path, "alias");
                if (normalized is null) continue;
                CheckRepeated(list[j], normalized, path, caseSensitive, spellings);
                CheckNotCue(normalized, list[j], path, "alias");
                var origin = new AliasOrigin(keywordIndex, keyword.Id, path, caseSensitive ? list[j] : null, checkedAliases.Count);
                checkedAliases.Add((origin, list[j], normalized));
                if (!all.TryAdd(normalized, origin))
                {
                    var first = all[normalized];
                    var bothCaseSensitive = first.ExactText is not null && origin.ExactText is not null;
                    // Spellings of one keyword that normalize alike are no collision (CheckRepeated warns about them).
                    if (first.KeywordIndex != keywordIndex && !(bothCaseSensitive && first.ExactText != origin.ExactText))
                        Report(path, $"alias '{list[j]}' collides with {first.Path} of keyword '{first.KeywordId}'");
                }
            }
        }

        /// <summary>
        /// An alias that matches nothing another alias of its keyword does not: the same text twice is a copy-paste slip,
        /// and so are spellings the matcher reads alike ('adyen' and 'Ádyen', 'cross-border' and 'cross border'). A
        /// case-sensitive alias repeats another with the same spelling, or any plain alias that normalizes as it does.
        /// </summary>
        private void CheckRepeated(string text, string normalized, string path, bool caseSensitive, KeywordSpellings spellings)
        {
            if (spellings.Plain.TryGetValue(normalized, out var plain))
                Warn(path, plain.Text == text ? $"alias '{text}' repeats {plain.Path}"
                    : caseSensitive ? $"alias '{text}' is matched in any case by {plain.Path} '{plain.Text}'"
                    : $"alias '{text}' repeats {plain.Path} '{plain.Text}' (both read as '{normalized}')");
            else if (caseSensitive && spellings.Exact.TryGetValue(text, out var exactPath))
                Warn(path, $"alias '{text}' repeats {exactPath}");
            if (caseSensitive) spellings.Exact.TryAdd(text, path);
            else spellings.Plain.TryAdd(normalized, (path, text));
        }

        /// <summary>The aliases of one keyword seen so far: plain ones by normalized form, case-sensitive ones as written.</summary>
        private sealed class KeywordSpellings
        {
            public Dictionary<string, (string Path, string Text)> Plain { get; } = new(StringComparer.Ordinal);
            public Dictionary<string, string> Exact { get; } = new(StringComparer.Ordinal);
        }

        private void CheckPhrases(List<CatalogPhrase> phrases)
        {
            var texts = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < phrases.Count; i++)
            {
                var path = $"phrases[{i}]";
                var phrase = phrases[i];
                CheckId(phrase.Id, path, _termIds);
                CheckTier(phrase.Tier, path + ".tier");
                var normalized = NormalizedPhrase(phrase.Phrase, path + ".phrase", "phrase");
                if (normalized is not null) CheckNotCue(normalized, phrase.Phrase, path + ".phrase", "phrase");
                if (normalized is not null && !texts.TryAdd(normalized, path))
                    Report(path + ".phrase", $"'{phrase.Phrase}' is the same phrase as {texts[normalized]}");
                CheckExclusions(phrase.Exclude, path, [phrase.Phrase]);
            }
        }

        /// <summary>The terms a keyword or phrase counts only beside: known ids of other keywords or phrases.</summary>
        // An onlyWith entry that is itself conditional is refused: whether it counts would depend on the order the
        // conditions are checked in (the matcher checks them once, against the hits that count unconditionally).
        private void CheckOnlyWith(string ownerId, List<string> ids, string listPath, HashSet<string> conditional)
        {
            for (var m = 0; m < ids.Count; m++)
            {
                var path = $"{listPath}[{m}]";
                if (string.IsNullOrWhiteSpace(ids[m])) Report(path, "blank id");
                else if (ids[m] == ownerId) Report(path, $"'{ids[m]}' is this entry itself: it would count only beside itself");
                else if (!_termIds.ContainsKey(ids[m])) Report(path, $"unknown keyword or phrase '{ids[m]}'");
                else if (conditional.Contains(ids[m]))
                    Report(path, $"'{ids[m]}' has an onlyWith of its own: name entries that count unconditionally");
            }
        }

        private void CheckExclusions(List<ExclusionRule> rules, string ownerPath, IEnumerable<string> ownerAliases)
        {
            var known = ownerAliases.Select(Tokenizer.Normalize).ToHashSet(StringComparer.Ordinal);
            for (var k = 0; k < rules.Count; k++)
            {
                var path = $"{ownerPath}.exclude[{k}]";
                var rule = rules[k];
                if (rule.Near.Count == 0) Report(path + ".near", "no tokens");
                for (var m = 0; m < rule.Near.Count; m++) CheckSingleToken(rule.Near[m], $"{path}.near[{m}]");
                if (rule.Window < 1 || rule.Window > MaxWindow)
                    Report(path + ".window", $"window {rule.Window} outside 1-{MaxWindow}");
                if (!ExclusionDirections.All.Contains(rule.Direction))
                    Report(path + ".direction", $"unknown direction '{rule.Direction}' (known: {string.Join(", ", ExclusionDirections.All)})");
                for (var m = 0; m < rule.Aliases.Count; m++)
                {
                    if (!known.Contains(Tokenizer.Normalize(rule.Aliases[m])))
                        Report($"{path}.aliases[{m}]", $"'{rule.Aliases[m]}' is not an alias of this entry");
                }
            }
        }

        private void CheckScoring(ScoringProfile scoring)
        {
            const string path = "scoring";
            CheckTierMap(scoring.TierWeights, path + ".tierWeights");
            CheckTierMap(scoring.PhraseTierWeights, path + ".phraseTierWeights");
            CheckNamedMap(scoring.FieldWeights, path + ".fieldWeights", required: ["title", "description"], s_fields, "field");
            CheckNamedMap(scoring.BucketCaps, path + ".bucketCaps", required: SignalBuckets.All, SignalBuckets.All, "bucket");
            CheckNotNegative(scoring.FxCoreThreshold, path + ".fxCoreThreshold");
            CheckNotNegative(scoring.NoFxCoreCap, path + ".noFxCoreCap");
            CheckNotNegative(scoring.Synergy.Max, path + ".synergy.max");
            var bonusBuckets = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < scoring.Synergy.Bonuses.Count; i++)
            {
                var bonusPath = $"{path}.synergy.bonuses[{i}]";
                var bonus = scoring.Synergy.Bonuses[i];
                if (!SignalBuckets.IsKnown(bonus.Bucket))
                    Report(bonusPath + ".bucket", $"unknown bucket '{bonus.Bucket}' (known: {string.Join(", ", SignalBuckets.All)})");
                else if (!bonusBuckets.TryAdd(bonus.Bucket, i))
                    Warn(bonusPath + ".bucket", $"a second bonus for '{bonus.Bucket}' (first: {path}.synergy.bonuses[{bonusBuckets[bonus.Bucket]}]): " +
                        "both are added when the bucket reaches their thresholds");
                CheckNotNegative(bonus.Threshold, bonusPath + ".threshold");
                CheckNotNegative(bonus.Amount, bonusPath + ".amount");
            }
            if (scoring.MaxScore is < 1 or > ScoringProfile.HighestMaxScore)
                Report(path + ".maxScore", $"maxScore {scoring.MaxScore} outside 1-{ScoringProfile.HighestMaxScore} " +
                    $"(the store keeps scores of 0-{ScoringProfile.HighestMaxScore})");
            // 0 would make every offer strong, one without a single hit too.
            else if (scoring.StrongThreshold < 1 || scoring.StrongThreshold > scoring.MaxScore)
                Report(path + ".strongThreshold", $"strongThreshold {scoring.StrongThreshold} outside 1-{scoring.MaxScore}");
            if (scoring.FxCoreThreshold == 0)
                Warn(path + ".fxCoreThreshold", "fxCoreThreshold 0 gives every offer fxCore, one without any direct_fx hit " +
                    "too: the no-fxCore guard never applies and synergy bonuses apply without FX evidence");
        }

        private void CheckTierMap(TierWeightMap map, string path)
        {
            for (var tier = 1; tier <= 3; tier++)
                if (!map.ContainsKey(tier)) Report($"{path}.{tier}", "missing");
            foreach (var (key, weight) in map)
            {
                // The reader keys tiers by their number; a map built in code may hold anything.
                if (!int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var tier)
                    || TierWeightMap.Key(tier) != key) Report($"{path}.{key}", $"'{key}' is not a tier: use \"1\", \"2\" or \"3\"");
                else if (tier is < 1 or > 3) Report($"{path}.{tier}", $"tier {tier} outside 1-3");
                else CheckNotNegative(weight, $"{path}.{tier}");
            }
        }

        private void CheckNamedMap(Dictionary<string, decimal> map, string path, IReadOnlyList<string> required,
            IReadOnlyList<string> known, string what)
        {
            foreach (var name in required)
                if (!map.ContainsKey(name)) Report($"{path}.{name}", "missing");
            foreach (var (name, value) in map)
            {
                if (!known.Contains(name)) Report($"{path}.{name}", $"unknown {what} '{name}' (known: {string.Join(", ", known)})");
                else CheckNotNegative(value, $"{path}.{name}");
            }
        }

        private void CheckNegation(NegationRules negation)
        {
            for (var i = 0; i < negation.Cues.Count; i++) CheckSingleToken(negation.Cues[i], $"negation.cues[{i}]");
            for (var i = 0; i < negation.Idioms.Count; i++)
            {
                var words = Tokenizer.NormalizedTokens(negation.Idioms[i]);
                if (words.Count < 2 || !_cues.ContainsKey(words[0]))
                    Report($"negation.idioms[{i}]", $"'{negation.Idioms[i]}' must be a negation cue followed by at least one word");
            }
            CheckWindow(negation.WindowBefore, "negation.windowBefore");
            CheckWindow(negation.WindowAfter, "negation.windowAfter");
        }

        private void CheckWindow(int window, string path)
        {
            if (window < 0 || window > MaxWindow) Report(path, $"window {window} outside 0-{MaxWindow}");
        }

        private void CheckId(string id, string path, Dictionary<string, string> seen)
        {
            if (string.IsNullOrWhiteSpace(id)) Report(path + ".id", "blank id");
            else if (!seen.TryAdd(id, path)) Report(path + ".id", $"duplicate id '{id}' (first used by {seen[id]})");
        }

        private void CheckTier(int tier, string path)
        {
            if (tier is < 1 or > 3) Report(path, $"tier {tier} outside 1-3");
        }

        private void CheckNotNegative(decimal value, string path)
        {
            if (value < 0) Report(path, $"{value} must not be negative");
        }

        private void CheckSingleToken(string text, string path)
        {
            var tokens = Tokenizer.NormalizedTokens(text);
            if (string.IsNullOrWhiteSpace(text)) Report(path, "empty token");
            else if (tokens.Count != 1) Report(path, $"'{text}' must be exactly one token (it normalizes to {tokens.Count})");
        }

        /// <summary>The alias or phrase as normalized tokens joined by spaces; null (reported) when unusable.</summary>
        private string? NormalizedPhrase(string text, string path, string what)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                Report(path, $"empty {what}");
                return null;
            }
            var normalized = Tokenizer.Normalize(text);
            if (normalized.Length > 0) return normalized;
            Report(path, $"{what} '{text}' normalizes to no tokens");
            return null;
        }

        private void Report(string path, string message)
        {
            if (!IsReported(path)) _issues.Add(new CatalogIssue(path, message));
        }

        private void Warn(string path, string message)
        {
            if (!IsReported(path)) _issues.Add(new CatalogIssue(path, message, CatalogIssueSeverity.Warning));
        }

        /// <summary>The reader already reported this path, a parent of it, or the whole document.</summary>
        private bool IsReported(string path)
        {
            foreach (var reported in _reported)
            {
                if (reported == "$" || path == reported || path.StartsWith(reported + ".", StringComparison.Ordinal)
                    || path.StartsWith(reported + "[", StringComparison.Ordinal)) return true;
            }
            return false;
        }

        /// <summary>An alias or phrase that is a negation cue would match every cue in an offer and count.</summary>
        private void CheckNotCue(string normalized, string text, string path, string what)
        {
            if (_cues.TryGetValue(normalized, out var cuePath))
                Report(path, $"{what} '{text}' is a negation cue ({cuePath}): it would match every '{normalized}' of an offer");
        }

        private static Dictionary<string, string> CueTokens(List<string> cues)
        {
            var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < cues.Count; i++)
            {
                var normalized = Tokenizer.Normalize(cues[i]);
                if (normalized.Length > 0) tokens.TryAdd(normalized, $"negation.cues[{i}]");
            }
            return tokens;
        }

        /// <param name="Sequence">The alias's index in the order aliases were checked (file order).</param>
        private sealed record AliasOrigin(int KeywordIndex, string KeywordId, string Path, string? ExactText, int Sequence);
    }
}

using JobSignal.Core.Catalog;
using JobSignal.Core.Common;
using JobSignal.Core.Domain;

namespace JobSignal.Core.Signal;

/// <summary>
/// Scores an offer exactly as SPEC 5.3 says, every number from the catalog's <c>scoring</c> section: negated and
/// excluded hits dropped; per category the best tier weight x field weight; per phrase the best phrase weight x field
/// weight; buckets summed and capped; fxCore; synergy; the no-fxCore guard; clamp and round half up. Decimal
/// arithmetic, so 4.5 is 4.5 and rounds to 5. Stateless and thread-safe.
/// </summary>
public sealed class OfferScorer
{
    private const string TitleField = "title";
    private const string DescriptionField = "description";
    private const string RequirementsField = "requirements";

    private readonly decimal[] _fieldWeights;
    // By tier (index 1-3): an array read per hit instead of the catalog's map.
    private readonly decimal[] _tierWeights;
    private readonly decimal[] _phraseTierWeights;

    public OfferScorer(CompiledCatalog catalog)
    {
        Catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        Matcher = new KeywordMatcher(catalog);
        _fieldWeights = FieldWeights(catalog.Scoring);
        _tierWeights = ByTier(catalog.Scoring.TierWeights);
        _phraseTierWeights = ByTier(catalog.Scoring.PhraseTierWeights);
    }

    public CompiledCatalog Catalog { get; }
    public KeywordMatcher Matcher { get; }

    /// <summary>
    /// Matches and scores an offer's title, description and requirements (never its company; hits that are the
    /// company's own name in the text do not count: <see cref="CompanyNameMask"/>).
    /// </summary>
    public SignalScore Score(string? title, string? description, string? requirements = null, string? companyName = null) =>
        Score(Matcher.MatchOffer(title, description, requirements, companyName)) with { Title = title };

    /// <summary>Scores texts already tokenized (ingestion tokenizes once, for matching and repost signatures).</summary>
    public SignalScore Score(TokenizedText title, TokenizedText description, TokenizedText requirements, string? companyName = null) =>
        Score(Matcher.MatchOffer(title, description, requirements, companyName)) with { Title = title.Text };

    /// <summary>
    /// Scores an offer with its company's name masked (<see cref="CompanyNameMask.NameOf(OfferCompany?)"/>), and names it
    /// by its provider id (an offer not stored yet has no OfferId).
    /// </summary>
    public SignalScore Score(Offer offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        return Score(offer.Title, offer.Description, offer.Requirements, CompanyNameMask.NameOf(offer.Company)) with
        {
            ProviderOfferId = string.IsNullOrEmpty(offer.ProviderOfferId) ? null : offer.ProviderOfferId,
        };
    }

    /// <summary>
    /// Scores a stored offer with its stored company's name masked (none for a hidden profile), and names it by its
    /// store id and provider id.
    /// </summary>
    public SignalScore Score(StoredOffer offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        return Score(offer.Title, offer.Description, offer.Requirements, CompanyNameMask.NameOf(offer.CompanyName, offer.CompanyHidden)) with
        {
            OfferId = offer.OfferId,
            ProviderOfferId = string.IsNullOrEmpty(offer.ProviderOfferId) ? null : offer.ProviderOfferId,
        };
    }

    /// <summary>Scores hits found by <see cref="KeywordMatcher"/> with this catalog.</summary>
    public SignalScore Score(IReadOnlyList<SignalHit> hits)
    {
        ArgumentNullException.ThrowIfNull(hits);
        var scoring = Catalog.Scoring;
        // Loops rather than LINQ here: the scorer runs for every offer, and this code is compiled optimized at once where
        // LINQ's and the framework collections' code runs instrumented (tiered PGO) through most of a nightly run.
        var counted = new ItemList<SignalHit>(hits.Count);
        foreach (var hit in hits)
        {
            if (hit.Counts) counted.Add(hit);
        }

        // Best hit per category and per phrase, in one pass over the hits (never over the catalog).
        var bests = new List<Best>();
        foreach (var hit in counted)
        {
            var term = Catalog.Term(hit.Id);
            var tierWeight = hit.Kind == SignalTermKind.Keyword ? _tierWeights[term.Tier] : _phraseTierWeights[term.Tier];
            var points = Normalize(tierWeight * FieldWeight(hit.Field));
            var at = IndexOfSameTarget(bests, hit.Kind, term);
            if (at < 0) bests.Add(new Best(term, hit, tierWeight, points, 1));
            else bests[at] = points > bests[at].Points ? new Best(term, hit, tierWeight, points, bests[at].Count + 1)
                : bests[at] with { Count = bests[at].Count + 1 };
        }
        var categories = Contributions(bests, SignalTermKind.Keyword, static term => term.CategoryIndex);
        var phrases = Contributions(bests, SignalTermKind.Phrase, static term => term.Order);

        var buckets = new List<BucketScore>(SignalBuckets.All.Count);
        foreach (var bucket in SignalBuckets.All)
        {
            var uncapped = 0m;
            foreach (var category in categories)
            {
                if (category.Bucket == bucket) uncapped += category.Points;
            }
            var cap = scoring.BucketCaps[bucket];
            buckets.Add(new BucketScore { Bucket = bucket, Uncapped = uncapped, Cap = cap, Capped = Math.Min(uncapped, cap) });
        }
        var fxCore = Named(buckets, SignalBuckets.DirectFx).Uncapped >= scoring.FxCoreThreshold;

        var synergy = new ItemList<SynergyPart>(scoring.Synergy.Bonuses.Count);
        var synergyUncapped = 0m;
        foreach (var bonus in scoring.Synergy.Bonuses)
        {
            var points = Named(buckets, bonus.Bucket).Capped;
            var part = new SynergyPart
            {
                Bucket = bonus.Bucket,
                Threshold = bonus.Threshold,
                Amount = bonus.Amount,
                BucketPoints = points,
                Applied = fxCore && points >= bonus.Threshold,
                Reason = !fxCore ? SynergyPart.NoFxCore : points < bonus.Threshold ? SynergyPart.BelowThreshold : null,
            };
            synergy.Add(part);
            if (part.Applied) synergyUncapped += part.Amount;
        }
        var synergyPoints = Math.Min(synergyUncapped, scoring.Synergy.Max);

        var categoryPoints = 0m;
        var normalizedBuckets = new ItemList<BucketScore>(buckets.Count);
        foreach (var bucket in buckets)
        {
            categoryPoints += bucket.Capped;
            normalizedBuckets.Add(bucket with { Uncapped = Normalize(bucket.Uncapped), Cap = Normalize(bucket.Cap), Capped = Normalize(bucket.Capped) });
        }
        var phrasePoints = 0m;
        foreach (var phrase in phrases) phrasePoints += phrase.Points;
        var rawBeforeGuard = categoryPoints + phrasePoints + synergyPoints;
        var guardApplied = !fxCore && rawBeforeGuard > scoring.NoFxCoreCap;
        var raw = guardApplied ? scoring.NoFxCoreCap : rawBeforeGuard;
        var score = (int)decimal.Round(Math.Clamp(raw, 0m, scoring.MaxScore), 0, MidpointRounding.AwayFromZero);

        // Catalog order: a later category must beat, not tie. One worth nothing (a field weighted 0) is no top category.
        SignalContribution? top = null;
        foreach (var contribution in categories)
            if (contribution.Points > (top?.Points ?? 0m)) top = contribution;

        return new SignalScore
        {
            CatalogVersion = Catalog.Version,
            Score = score,
            Strong = score >= scoring.StrongThreshold,
            Raw = Normalize(raw),
            RawBeforeGuard = Normalize(rawBeforeGuard),
            TopCategory = top?.Id,
            TopCategoryName = top?.Name,
            FxCore = fxCore,
            GuardApplied = guardApplied,
            GuardCap = Normalize(scoring.NoFxCoreCap),
            CategoryPoints = Normalize(categoryPoints),
            PhrasePoints = Normalize(phrasePoints),
            SynergyPoints = Normalize(synergyPoints),
            SynergyUncapped = Normalize(synergyUncapped),
            SynergyMax = Normalize(scoring.Synergy.Max),
            FxCoreThreshold = Normalize(scoring.FxCoreThreshold),
            MaxScore = scoring.MaxScore,
            Buckets = normalizedBuckets,
            Categories = categories,
            Phrases = phrases,
            Synergy = synergy,
            Hits = counted,
            NegatedHits = HitsWhere(hits, static h => h.Negated && !h.Excluded),
            ExcludedHits = HitsWhere(hits, static h => h.Excluded),
        };
    }

    /// <summary>Where the best hit of <paramref name="term"/>'s category (a keyword) or of the phrase itself is kept; -1 when none yet.</summary>
    private static int IndexOfSameTarget(List<Best> bests, SignalTermKind kind, CompiledTerm term)
    {
        for (var i = 0; i < bests.Count; i++)
        {
            var other = bests[i].Term;
            if (other.Kind != kind) continue;
            if (kind == SignalTermKind.Keyword ? ReferenceEquals(other.Category, term.Category) : ReferenceEquals(other, term)) return i;
        }
        return -1;
    }

    /// <summary>The contributions of one kind, in catalog order (<paramref name="order"/> is unique within the kind).</summary>
    private ItemList<SignalContribution> Contributions(List<Best> bests, SignalTermKind kind, Func<CompiledTerm, int> order)
    {
        var ofKind = new List<Best>();
        foreach (var best in bests)
        {
            if (best.Term.Kind == kind) StableOrder.Insert(ofKind, best, (a, b) => order(a.Term) < order(b.Term));
        }
        var contributions = new ItemList<SignalContribution>(ofKind.Count);
        foreach (var best in ofKind) contributions.Add(ToContribution(best));
        return contributions;
    }

    private static BucketScore Named(List<BucketScore> buckets, string bucket)
    {
        foreach (var score in buckets)
        {
            if (score.Bucket == bucket) return score;
        }
        throw new InvalidOperationException($"The scoring profile has no bucket '{bucket}'.");
    }

    private static ItemList<SignalHit> HitsWhere(IReadOnlyList<SignalHit> hits, Func<SignalHit, bool> keep)
    {
        var kept = new ItemList<SignalHit>();
        foreach (var hit in hits)
        {
            if (keep(hit)) kept.Add(hit);
        }
        return kept;
    }

    private SignalContribution ToContribution(Best best) => new()
    {
        Kind = best.Term.Kind,
        Id = best.Term.Category?.Id ?? best.Term.Id,
        Name = best.Term.Category?.Name ?? best.Term.Display,
        Bucket = best.Term.Category?.Bucket,
        Tier = best.Term.Tier,
        TierWeight = best.TierWeight,
        FieldWeight = FieldWeight(best.Hit.Field),
        Points = best.Points,
        HitCount = best.Count,
        Hit = best.Hit,
    };

    /// <summary>The first hit with the most points for a category or phrase, and how many hits it had.</summary>
    private sealed record Best(CompiledTerm Term, SignalHit Hit, decimal TierWeight, decimal Points, int Count);

    private decimal FieldWeight(SignalField field) => _fieldWeights[(int)field];

    /// <summary>
    /// Weight per <see cref="SignalField"/>. Requirements are part of the offer's body: scored as description unless
    /// the catalog weighs them apart.
    /// </summary>
    private static decimal[] FieldWeights(ScoringProfile scoring)
    {
        var weights = scoring.FieldWeights;
        var description = weights[DescriptionField];
        return
        [
            weights[TitleField],
            description,
            weights.TryGetValue(RequirementsField, out var requirements) ? requirements : description,
        ];
    }

    private static decimal[] ByTier(TierWeightMap weights)
    {
        var byTier = new decimal[4];
        for (var tier = 1; tier <= 3; tier++) byTier[tier] = weights[tier];
        return byTier;
    }

    /// <summary>Drops trailing zeros (2.5 x 1.0 = 2.50 -> 2.5) so explanations read and serialize cleanly.</summary>
    internal static decimal Normalize(decimal value) => value / 1.000000000000000000000000000000000m;
}

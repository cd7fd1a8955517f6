using JobSignal.Core.Catalog;
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
        var counted = new ItemList<SignalHit>(hits.Where(h => h.Counts));

        // Best hit per category and per phrase, in one pass over the hits (never over the catalog).
        var bestByTerm = new Dictionary<(SignalTermKind, string), Best>();
        foreach (var hit in counted)
        {
            var term = Catalog.TermsById[hit.Id];
            var key = hit.Kind == SignalTermKind.Keyword ? (hit.Kind, term.Category!.Id) : (hit.Kind, hit.Id);
            var tierWeight = hit.Kind == SignalTermKind.Keyword ? _tierWeights[term.Tier] : _phraseTierWeights[term.Tier];
            var points = Normalize(tierWeight * FieldWeight(hit.Field));
            if (!bestByTerm.TryGetValue(key, out var best)) bestByTerm[key] = new Best(term, hit, tierWeight, points, 1);
            else bestByTerm[key] = points > best.Points ? new Best(term, hit, tierWeight, points, best.Count + 1)
                : best with { Count = best.Count + 1 };
        }
        var categories = new ItemList<SignalContribution>(bestByTerm.Values.Where(b => b.Term.Kind == SignalTermKind.Keyword)
            .OrderBy(b => b.Term.CategoryIndex).Select(ToContribution));
        var phrases = new ItemList<SignalContribution>(bestByTerm.Values.Where(b => b.Term.Kind == SignalTermKind.Phrase)
            .OrderBy(b => b.Term.Order).Select(ToContribution));

        var buckets = SignalBuckets.All.Select(bucket =>
        {
            var uncapped = categories.Where(c => c.Bucket == bucket).Sum(c => c.Points);
            var cap = scoring.BucketCaps[bucket];
            return new BucketScore { Bucket = bucket, Uncapped = uncapped, Cap = cap, Capped = Math.Min(uncapped, cap) };
        }).ToList();
        var fxCore = buckets.First(b => b.Bucket == SignalBuckets.DirectFx).Uncapped >= scoring.FxCoreThreshold;

        var synergy = new ItemList<SynergyPart>(scoring.Synergy.Bonuses.Select(bonus =>
        {
            var points = buckets.First(b => b.Bucket == bonus.Bucket).Capped;
            return new SynergyPart
            {
                Bucket = bonus.Bucket,
                Threshold = bonus.Threshold,
                Amount = bonus.Amount,
                BucketPoints = points,
                Applied = fxCore && points >= bonus.Threshold,
                Reason = !fxCore ? SynergyPart.NoFxCore : points < bonus.Threshold ? SynergyPart.BelowThreshold : null,
            };
        }));
        var synergyUncapped = synergy.Where(s => s.Applied).Sum(s => s.Amount);
        var synergyPoints = Math.Min(synergyUncapped, scoring.Synergy.Max);

        var categoryPoints = buckets.Sum(b => b.Capped);
        var phrasePoints = phrases.Sum(p => p.Points);
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
            Buckets = new ItemList<BucketScore>(buckets.Select(b => b with
            {
                Uncapped = Normalize(b.Uncapped), Cap = Normalize(b.Cap), Capped = Normalize(b.Capped),
            })),
            Categories = categories,
            Phrases = phrases,
            Synergy = synergy,
            Hits = counted,
            NegatedHits = new ItemList<SignalHit>(hits.Where(h => h.Negated && !h.Excluded)),
            ExcludedHits = new ItemList<SignalHit>(hits.Where(h => h.Excluded)),
        };
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

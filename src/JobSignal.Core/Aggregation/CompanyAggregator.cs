using JobSignal.Core.Domain;
using JobSignal.Core.Signal;

namespace JobSignal.Core.Aggregation;

/// <summary>One canonical offer of a company, as aggregation reads it from the store.</summary>
/// <param name="OfferId">The store's offer id.</param>
/// <param name="Url">The offer's URL.</param>
/// <param name="Score">The stored match score 0-10; null when the offer has no match yet (unscored).</param>
/// <param name="IsStrong">What the stored match says: strong by the threshold of the catalog it was scored with (false
/// when unscored). Aggregation never applies a threshold of its own, so a store aggregates the same whatever catalog is
/// in force when it runs.</param>
/// <param name="TopCategory">The match's top category id; null when unscored or nothing matched.</param>
/// <param name="PublishedAt">Provider publication date, if known.</param>
/// <param name="ProviderUpdatedAt">Provider update date, if known.</param>
/// <param name="FirstSeenAt">When ingestion first stored the offer.</param>
/// <param name="LastSeenAt">When ingestion last saw the offer or one of its reposts.</param>
/// <param name="RepostCount">How many times the vacancy was published again under a new id.</param>
/// <param name="EvidenceTerms">The matched terms (not negated) that make the offer's score, with the points each brought
/// (e.g. USD 4, AWS 1).</param>
public sealed record CompanyOffer(
    long OfferId,
    string? Url,
    int? Score,
    bool IsStrong,
    string? TopCategory,
    DateTimeOffset? PublishedAt,
    DateTimeOffset? ProviderUpdatedAt,
    DateTimeOffset FirstSeenAt,
    DateTimeOffset LastSeenAt,
    int RepostCount,
    IReadOnlyList<EvidenceTerm> EvidenceTerms)
{
    /// <summary>
    /// When the vacancy was last published: its own date (published, else provider-updated, else last seen), or the
    /// latest publication of one of its reposts when that is later (<see cref="RepublishedAt"/>). This date makes one
    /// offer "more recent" than another and is the last strong signal of a strong one: publishing a strong vacancy
    /// again is a new strong signal (SPEC 6, lastStrongAt).
    /// </summary>
    public DateTimeOffset ActivityDate
    {
        get
        {
            var own = PublishedAt ?? ProviderUpdatedAt ?? LastSeenAt;
            return RepublishedAt is { } again && again > own ? again : own;
        }
    }

    /// <summary>The latest publication of the vacancy again under another id (a repost: published, else updated); null without one.</summary>
    public DateTimeOffset? RepublishedAt { get; init; }

    /// <summary>Every category that earned points in the offer's match (none when unscored), with those points.</summary>
    public IReadOnlyList<CategoryPoints> Categories { get; init; } = [];
}

/// <summary>What one category earned in one offer's score: its best hit's tier weight x field weight (before bucket caps).</summary>
public sealed record CategoryPoints(string Category, decimal Points);

/// <summary>Knobs of <see cref="CompanyAggregator.Aggregate"/>.</summary>
public sealed record AggregationOptions
{
    public static AggregationOptions Default { get; } = new();

    /// <summary>Offers last seen within this window before "now" count as recent (default 30 days).</summary>
    public TimeSpan RecentWindow { get; init; } = TimeSpan.FromDays(30);

    /// <summary>How many evidence terms the company keeps (default 5).</summary>
    public int EvidenceTermCount { get; init; } = 5;
}

/// <summary>
/// A company's signal in one category, over every canonical offer in which the category earned points (not only those
/// whose top category it is): the most points it earned in one offer, and the best score of such an offer.
/// </summary>
public sealed record CategoryMaxScore(string Category, decimal Points, int OfferScore);

/// <summary>A company's aggregated metrics (SPEC 6), recomputed from its canonical offers.</summary>
/// <param name="MaxScore">Highest offer score; null when no offer is scored.</param>
/// <param name="OfferCount">Posting activity: every canonical offer counts 1 plus its reposts.</param>
/// <param name="UniqueOfferCount">Canonical offers (reposts not counted).</param>
/// <param name="StrongOfferCount">Canonical offers whose stored match is strong.</param>
/// <param name="AvgStrongScore">Mean score of the strong offers; null when there are none.</param>
/// <param name="TopOfferId">The top offer: highest score, ties to the most recent (<see cref="CompanyOffer.ActivityDate"/>),
/// then to the highest offer id. Null when no offer is scored.</param>
/// <param name="TopOfferUrl">The top offer's URL.</param>
/// <param name="TopOfferCategory">The top offer's top category.</param>
/// <param name="CategoryMaxScores">Per category that earned points in an offer, its most points and the best score of
/// such an offer; most points first, then best score, then by category id.</param>
/// <param name="LastStrongAt">The most recent <see cref="CompanyOffer.ActivityDate"/> among strong offers.</param>
/// <param name="FirstSeenAt">Earliest first-seen of the offers; null without offers.</param>
/// <param name="LastSeenAt">Latest last-seen of the offers; null without offers.</param>
/// <param name="RecentOfferCount">Canonical offers last seen within the recent window.</param>
/// <param name="EvidenceTerms">The terms that brought the company's offers most points (see <see cref="CompanyAggregator.Aggregate"/>).</param>
public sealed record CompanyMetrics(
    int? MaxScore,
    int OfferCount,
    int UniqueOfferCount,
    int StrongOfferCount,
    double? AvgStrongScore,
    long? TopOfferId,
    string? TopOfferUrl,
    string? TopOfferCategory,
    IReadOnlyList<CategoryMaxScore> CategoryMaxScores,
    DateTimeOffset? LastStrongAt,
    DateTimeOffset? FirstSeenAt,
    DateTimeOffset? LastSeenAt,
    int RecentOfferCount,
    IReadOnlyList<string> EvidenceTerms)
{
    /// <summary>The evidence terms as the Sheet shows them: "USD, pagos internacionales, AWS".</summary>
    public string EvidenceText => string.Join(", ", EvidenceTerms);
}

/// <summary>
/// Company aggregation (SPEC 6): a pure, deterministic function of a company's canonical offers and "now". The
/// result does not depend on the order of the offers.
/// </summary>
public static class CompanyAggregator
{
    /// <summary>
    /// Whether a company's metrics are recomputed: not when its resolution is final (its metrics are frozen as they
    /// were). Blank or unknown resolutions are aggregated.
    /// </summary>
    public static bool ShouldAggregate(string? resolution) => !Resolution.IsFinal(resolution);

    /// <summary>
    /// Aggregates a company's canonical offers. Unscored offers count as offers (activity, unique, seen dates,
    /// recent, evidence) but never as scores. Evidence terms are ranked by the points they brought across the offers
    /// (<see cref="EvidenceTerms.Summarize"/>: once per offer, case-insensitively), so an FX term found in a few offers
    /// leads a tech proxy found in many; ties go to the term more offers carry, then to where it first appears when
    /// offers are read best first (score, then recency, then id); the first spelling met is kept.
    /// </summary>
    public static CompanyMetrics Aggregate(IReadOnlyCollection<CompanyOffer> offers, DateTimeOffset now,
        AggregationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(offers);
        options ??= AggregationOptions.Default;

        var ranked = offers.ToArray();
        Array.Sort(ranked, BestFirst);

        var offerCount = 0;
        var strongCount = 0;
        var strongScoreSum = 0L;
        DateTimeOffset? lastStrongAt = null, firstSeenAt = null, lastSeenAt = null;
        var recentCount = 0;
        var recentSince = now - options.RecentWindow;
        var categoryMax = new Dictionary<string, (decimal Points, int OfferScore)>(StringComparer.Ordinal);

        foreach (var offer in ranked)
        {
            offerCount += 1 + Math.Max(0, offer.RepostCount);
            firstSeenAt = Min(firstSeenAt, offer.FirstSeenAt);
            lastSeenAt = Max(lastSeenAt, offer.LastSeenAt);
            if (offer.LastSeenAt >= recentSince) recentCount++;

            if (offer.Score is not { } score) continue;
            if (offer.IsStrong)
            {
                strongCount++;
                strongScoreSum += score;
                lastStrongAt = Max(lastStrongAt, offer.ActivityDate);
            }
            foreach (var (category, points) in offer.Categories)
            {
                if (points <= 0 || category.Length == 0) continue;
                categoryMax[category] = categoryMax.TryGetValue(category, out var best)
                    ? (Math.Max(best.Points, points), Math.Max(best.OfferScore, score))
                    : (points, score);
            }
        }

        var top = ranked.Length > 0 && ranked[0].Score is not null ? ranked[0] : null;
        return new CompanyMetrics(
            MaxScore: top?.Score,
            OfferCount: offerCount,
            UniqueOfferCount: ranked.Length,
            StrongOfferCount: strongCount,
            AvgStrongScore: strongCount > 0 ? (double)strongScoreSum / strongCount : null,
            TopOfferId: top?.OfferId,
            TopOfferUrl: top?.Url,
            TopOfferCategory: top?.TopCategory,
            CategoryMaxScores: categoryMax
                .OrderByDescending(pair => pair.Value.Points).ThenByDescending(pair => pair.Value.OfferScore)
                .ThenBy(pair => pair.Key, StringComparer.Ordinal)
                .Select(pair => new CategoryMaxScore(pair.Key, pair.Value.Points, pair.Value.OfferScore))
                .ToArray(),
            LastStrongAt: lastStrongAt?.ToUniversalTime(),
            FirstSeenAt: firstSeenAt?.ToUniversalTime(),
            LastSeenAt: lastSeenAt?.ToUniversalTime(),
            RecentOfferCount: recentCount,
            EvidenceTerms: TopEvidenceTerms(ranked, options.EvidenceTermCount));
    }

    // Scored before unscored, higher score first, then more recent, then the higher (later stored) offer id, so
    // that equal inputs in any order give one order.
    private static int BestFirst(CompanyOffer a, CompanyOffer b)
    {
        var byScore = (b.Score ?? -1).CompareTo(a.Score ?? -1);
        if (byScore != 0) return byScore;
        var byRecency = b.ActivityDate.CompareTo(a.ActivityDate);
        return byRecency != 0 ? byRecency : b.OfferId.CompareTo(a.OfferId);
    }

    private static IReadOnlyList<string> TopEvidenceTerms(CompanyOffer[] ranked, int count) =>
        count <= 0 ? [] : EvidenceTerms.Summarize(ranked.Select(offer => offer.EvidenceTerms)).Take(count).Select(t => t.Term).ToArray();

    private static DateTimeOffset Min(DateTimeOffset? current, DateTimeOffset candidate) =>
        current is { } value && value <= candidate ? value : candidate;

    private static DateTimeOffset Max(DateTimeOffset? current, DateTimeOffset candidate) =>
        current is { } value && value >= candidate ? value : candidate;
}

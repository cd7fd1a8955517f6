using System.Runtime.CompilerServices;
using JobSignal.Core.Signal;

namespace JobSignal.Core.Ingestion;

/// <summary>Which rule of SPEC 5.4 made an offer a repost, in the order the rules are tried.</summary>
public enum RepostRule
{
    /// <summary>Not a repost.</summary>
    None,

    /// <summary>(a) Same content fingerprint.</summary>
    Fingerprint,

    /// <summary>(b) Same normalized title and description similarity at least <see cref="RepostOptions.TitleMatchSimilarity"/>.</summary>
    TitleAndDescription,

    /// <summary>(c) Description similarity at least <see cref="RepostOptions.DescriptionSimilarity"/>, whatever the title.</summary>
    Description,

    /// <summary>(d) The offer has no description: same normalized title, seen within <see cref="RepostOptions.TitleOnlyWindow"/>.</summary>
    TitleOnly,
}

/// <summary>The outcome of repost detection for one new provider offer id.</summary>
/// <param name="Rule">The rule that fired; <see cref="RepostRule.None"/> when the offer is a new vacancy.</param>
/// <param name="CanonicalOfferId">The canonical offer it reposts; null when not a repost.</param>
/// <param name="Similarity">The description similarity that decided (1 for a fingerprint match); null for title-only
/// matches and when not a repost.</param>
public readonly record struct RepostDecision(RepostRule Rule, long? CanonicalOfferId, double? Similarity)
{
    public static RepostDecision NotRepost => default;

    public bool IsRepost => Rule != RepostRule.None;
}

/// <summary>
/// A company's canonical offer with its content signature: what a new offer may be a repost of. The store's repost
/// candidate rows become these with <see cref="ContentSignature.FromBytes"/> on their <c>content_signature</c>.
/// </summary>
/// <param name="OfferId">The store's offer id.</param>
/// <param name="Signature">Its content signature.</param>
/// <param name="LastSeenAt">When it, or a repost of it, was last seen.</param>
public sealed record CanonicalOfferSignature(long OfferId, ContentSignature Signature, DateTimeOffset LastSeenAt);

/// <summary>The windows and thresholds of SPEC 5.4 (defaults as specified).</summary>
public sealed record RepostOptions
{
    public static RepostOptions Default { get; } = new();

    private readonly double _titleMatchSimilarity = 0.85;
    private readonly double _descriptionSimilarity = 0.90;

    /// <summary>Only canonical offers last seen within this window before "now" are candidates (default 180 days).</summary>
    public TimeSpan CandidateWindow { get; init; } = TimeSpan.FromDays(180);

    /// <summary>An offer without description is compared by title only with offers seen this recently (default 30 days).</summary>
    public TimeSpan TitleOnlyWindow { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Rule (b): minimum description similarity when the normalized titles are equal (default 0.85).</summary>
    public double TitleMatchSimilarity
    {
        get => _titleMatchSimilarity;
        init => _titleMatchSimilarity = CheckThreshold(value);
    }

    /// <summary>Rule (c): minimum description similarity whatever the titles (default 0.90).</summary>
    public double DescriptionSimilarity
    {
        get => _descriptionSimilarity;
        init => _descriptionSimilarity = CheckThreshold(value);
    }

    internal double LowestSimilarity => Math.Min(TitleMatchSimilarity, DescriptionSimilarity);

    // A threshold of 0 would make every offer a candidate of every other and defeat the index.
    private static double CheckThreshold(double value) =>
        value is > 0 and <= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "A similarity threshold must be in (0, 1].");
}

/// <summary>
/// Repost detection (SPEC 5.4): signatures of offer content, the similarity of two descriptions, and the rules
/// that decide whether a new provider offer id republishes one of its company's canonical offers. Pure; the
/// tokens come from the tokenizer. <see cref="RepostIndex"/> makes the same decision as <see cref="Decide"/>
/// without looking at every candidate.
/// </summary>
public static class RepostDetector
{
    /// <summary>Builds an offer's content signature from the tokenizer's normalized title and description tokens.</summary>
    public static ContentSignature BuildSignature(IReadOnlyList<string> titleTokens, IReadOnlyList<string> descriptionTokens) =>
        ContentSignature.Create(titleTokens, descriptionTokens);

    /// <summary>
    /// Builds an offer's content signature from its raw title and description, tokenized by
    /// <see cref="Tokenizer.NormalizedTokens"/> (the tokenizer the matcher uses). A blank description is no description.
    /// </summary>
    public static ContentSignature BuildSignature(string? title, string? description) =>
        ContentSignature.Create(Tokenizer.NormalizedTokens(title), Tokenizer.NormalizedTokens(description));

    /// <summary>Builds an offer's content signature from its tokenized title and description (the tokens' values, not copied out).</summary>
    internal static ContentSignature BuildSignature(TokenizedText title, TokenizedText description) =>
        ContentSignature.Create(new TokenizedValues(title), new TokenizedValues(description), description.TokenHashes);

    /// <summary>
    /// Description similarity: tokens in common counting repeats (a token twice in one and three times in the other
    /// counts 2), divided by the longer description's token count. 0 when either has no description.
    /// </summary>
    public static double DescriptionSimilarity(ContentSignature a, ContentSignature b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var longer = Math.Max(a.DescriptionTokenCount, b.DescriptionTokenCount);
        return longer == 0 ? 0 : (double)Overlap(a, b) / longer;
    }

    /// <summary>
    /// The decision against every candidate, one by one: the reference behaviour of <see cref="RepostIndex"/>,
    /// fine for a handful of candidates. Candidates last seen before the candidate window are ignored.
    /// </summary>
    public static RepostDecision Decide(ContentSignature incoming, IEnumerable<CanonicalOfferSignature> candidates,
        DateTimeOffset now, RepostOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        ArgumentNullException.ThrowIfNull(candidates);
        options ??= RepostOptions.Default;
        var best = RepostDecision.NotRepost;
        var bestSeen = default(DateTimeOffset);
        foreach (var candidate in candidates)
        {
            var decision = Evaluate(incoming, candidate.OfferId, candidate.Signature, candidate.LastSeenAt, now, options);
            if (IsBetter(decision, candidate.LastSeenAt, best, bestSeen))
            {
                best = decision;
                bestSeen = candidate.LastSeenAt;
            }
        }
        return best;
    }

    /// <summary>The rules of SPEC 5.4 for one (incoming, candidate) pair, cheapest checks first.</summary>
    internal static RepostDecision Evaluate(ContentSignature incoming, long candidateId, ContentSignature candidate,
        DateTimeOffset candidateLastSeen, DateTimeOffset now, RepostOptions options)
    {
        if (candidateLastSeen < now - options.CandidateWindow) return RepostDecision.NotRepost;

        // (d) Without a description the title is the only evidence, which is weak: only recent offers count, and
        // the fingerprint (title-only content) is not trusted beyond that window either.
        if (!incoming.HasDescription)
        {
            return incoming.NormalizedTitle.Length > 0
                   && incoming.NormalizedTitle == candidate.NormalizedTitle
                   && candidateLastSeen >= now - options.TitleOnlyWindow
                ? new RepostDecision(RepostRule.TitleOnly, candidateId, null)
                : RepostDecision.NotRepost;
        }

        // (a) Identical normalized content.
        if (incoming.HasSameFingerprint(candidate)) return new RepostDecision(RepostRule.Fingerprint, candidateId, 1.0);
        if (!candidate.HasDescription) return RepostDecision.NotRepost;

        // Similarity can never exceed shorter / longer, so a length mismatch rules the pair out without comparing.
        var titlesEqual = incoming.NormalizedTitle == candidate.NormalizedTitle;
        var needed = titlesEqual ? options.LowestSimilarity : options.DescriptionSimilarity;
        var shorter = Math.Min(incoming.DescriptionTokenCount, candidate.DescriptionTokenCount);
        var longer = Math.Max(incoming.DescriptionTokenCount, candidate.DescriptionTokenCount);
        if ((double)shorter / longer < needed) return RepostDecision.NotRepost;

        var similarity = (double)Overlap(incoming, candidate) / longer;
        // (b) before (c): same title needs less textual evidence.
        if (titlesEqual && similarity >= options.TitleMatchSimilarity)
        {
            return new RepostDecision(RepostRule.TitleAndDescription, candidateId, similarity);
        }
        return similarity >= options.DescriptionSimilarity
            ? new RepostDecision(RepostRule.Description, candidateId, similarity)
            : RepostDecision.NotRepost;
    }

    /// <summary>
    /// Which canonical offer a repost belongs to when several qualify: the earliest rule, then the highest
    /// similarity, then the most recently seen, then the lowest (oldest) offer id. A total order, so the index and
    /// <see cref="Decide"/> agree whatever order they meet candidates in.
    /// </summary>
    internal static bool IsBetter(RepostDecision decision, DateTimeOffset lastSeen, RepostDecision best, DateTimeOffset bestLastSeen)
    {
        if (!decision.IsRepost) return false;
        if (!best.IsRepost) return true;
        if (decision.Rule != best.Rule) return decision.Rule < best.Rule;
        var bySimilarity = (decision.Similarity ?? 0).CompareTo(best.Similarity ?? 0);
        if (bySimilarity != 0) return bySimilarity > 0;
        if (lastSeen != bestLastSeen) return lastSeen > bestLastSeen;
        return decision.CanonicalOfferId < best.CanonicalOfferId;
    }

    /// <summary>Tokens in common counting repeats: a merge of the two sorted hash lists.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int Overlap(ContentSignature a, ContentSignature b)
    {
        ReadOnlySpan<uint> hashesA = a.TokenHashes, hashesB = b.TokenHashes;
        ReadOnlySpan<ushort> countsA = a.TokenCounts, countsB = b.TokenCounts;
        int i = 0, j = 0, overlap = 0;
        while (i < hashesA.Length && j < hashesB.Length)
        {
            var ha = hashesA[i];
            var hb = hashesB[j];
            if (ha == hb)
            {
                overlap += Math.Min(countsA[i++], countsB[j++]);
            }
            else if (ha < hb)
            {
                i++;
            }
            else
            {
                j++;
            }
        }
        return overlap;
    }
}

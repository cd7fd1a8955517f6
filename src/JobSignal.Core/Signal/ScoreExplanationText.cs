using System.Globalization;
using System.Text;

namespace JobSignal.Core.Signal;

/// <summary>Writes a <see cref="SignalScore"/> as readable lines: the "why this score" view.</summary>
internal static class ScoreExplanationText
{
    internal static string Format(SignalScore score)
    {
        var text = new StringBuilder();
        text.AppendLine(
            $"Score {score.Score}{(score.Strong ? " (strong)" : "")}: raw {N(score.Raw)} = categories {N(score.CategoryPoints)} + phrases {N(score.PhrasePoints)} + synergy {N(score.SynergyPoints)}" +
            (score.GuardApplied ? $", limited from {N(score.RawBeforeGuard)} to {N(score.GuardCap)} (no fxCore)" : ""));
        text.AppendLine($"fxCore: {(score.FxCore ? "yes" : "no")}{FxCoreTest(score)}; catalog {score.CatalogVersion}");
        foreach (var bucket in score.Buckets.Where(b => b.Uncapped > 0))
        {
            text.AppendLine(bucket.IsCapped
                ? $"{bucket.Bucket}: {N(bucket.Uncapped)} capped to {N(bucket.Capped)}"
                : $"{bucket.Bucket}: {N(bucket.Capped)} (cap {N(bucket.Cap)})");
            foreach (var category in score.Categories.Where(c => c.Bucket == bucket.Bucket))
                text.AppendLine($"  {category.Id} +{N(category.Points)} = tier {category.Tier} ({N(category.TierWeight)}) x {Where(category.Hit)} ({N(category.FieldWeight)}): {Quote(category.Hit)}");
        }
        foreach (var phrase in score.Phrases)
            text.AppendLine($"phrase {phrase.Id} +{N(phrase.Points)} = tier {phrase.Tier} ({N(phrase.TierWeight)}) x {Where(phrase.Hit)} ({N(phrase.FieldWeight)}): {Quote(phrase.Hit)}");
        foreach (var part in score.Synergy)
            text.AppendLine($"synergy {part.Bucket} {N(part.BucketPoints)} {(part.BucketPoints >= part.Threshold ? ">=" : "<")} {N(part.Threshold)}: {(part.Applied ? "+" + N(part.Amount) : "not applied")}" +
                // Without fxCore a bucket above its threshold still gets nothing: say why.
                (!part.Applied && !score.FxCore ? " (no fxCore)" : ""));
        if (score.SynergyCapped)
            text.AppendLine($"synergy {N(score.SynergyUncapped!.Value)} capped to {N(score.SynergyPoints)} (synergy max {N(score.SynergyMax ?? score.SynergyPoints)}): -{N(score.SynergyUncapped.Value - score.SynergyPoints)}");
        if (score.Clamped)
            text.AppendLine($"raw {N(score.Raw)} clamped to {(score.Raw < 0 ? "0" : $"maxScore {score.MaxScore}")}");
        foreach (var hit in score.NegatedHits)
            text.AppendLine($"negated {hit.Id} ('{hit.NegationCue}' {Math.Abs(hit.NegationDistance ?? 0)} {(hit.NegationDistance < 0 ? "before" : "after")}): {Quote(hit)}");
        foreach (var hit in score.ExcludedHits)
            text.AppendLine($"excluded {hit.Id} ({hit.ExclusionReason}): {Quote(hit)}");
        return text.ToString().TrimEnd();
    }

    private static string FxCoreTest(SignalScore score)
    {
        if (score.FxCoreThreshold is not { } threshold) return "";
        var directFx = score.Buckets.FirstOrDefault(b => b.Bucket == Catalog.SignalBuckets.DirectFx)?.Uncapped ?? 0m;
        return $" (direct_fx {N(directFx)} {(score.FxCore ? ">=" : "<")} {N(threshold)})";
    }

    private static string Where(SignalHit hit) => hit.Field.ToString().ToLowerInvariant();

    private static string Quote(SignalHit hit) => $"'{hit.Text}' in \"{hit.Evidence}\"";

    /// <summary>
    /// A number of a score as it is, every decimal kept (1.495, not 1.5): rounded for display, a raw of 1.495 would read
    /// as 1.5 beside its score of 1, as if rounding half up were broken.
    /// </summary>
    internal static string N(decimal value) => OfferScorer.Normalize(value).ToString(CultureInfo.InvariantCulture);
}

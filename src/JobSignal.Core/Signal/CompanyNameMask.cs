using JobSignal.Core.Ingestion;

namespace JobSignal.Core.Signal;

/// <summary>
/// The posting company's own name, which says nothing about the company (SPEC 5.2: company names are not matched): an
/// offer by "Stripe Payments Europe" that says "Stripe" names its employer, not a payment provider it uses, and "Latam
/// Airlines" is no sign of Latin American business. A hit is excluded, with <see cref="Reason"/>, when its alias is a
/// run of the name's words ("stripe" in "stripe payments europe") or the whole name is a run of the alias's words
/// ("stripe payments" by "Stripe"). A single word of the name inside a longer alias is not enough: "international
/// payments" still counts for "Global Payments". The name is read as company identity reads it (legal forms dropped)
/// and tokenized as aliases are.
/// </summary>
public sealed class CompanyNameMask
{
    private readonly string[] _words;

    private CompanyNameMask(string name, string[] words)
    {
        Name = name;
        _words = words;
        Reason = $"part of the company's name '{name}'";
    }

    /// <summary>The name as given.</summary>
    public string Name { get; }

    /// <summary>The exclusion reason a masked hit carries.</summary>
    public string Reason { get; }

    /// <summary>The mask of <paramref name="companyName"/>; null when there is no name or it has no words.</summary>
    public static CompanyNameMask? Of(string? companyName)
    {
        var words = Tokenizer.NormalizedTokens(CompanyIdentity.NormalizeName(companyName));
        return words.Count == 0 ? null : new CompanyNameMask(companyName!.Trim(), [.. words]);
    }

    /// <summary>Whether an alias (its normalized words) is part of the name, or the name part of the alias.</summary>
    public bool Masks(IReadOnlyList<string> aliasWords) =>
        ContainsRun(_words, aliasWords) || ContainsRun(aliasWords, _words);

    private static bool ContainsRun(IReadOnlyList<string> words, IReadOnlyList<string> run)
    {
        for (var start = 0; start + run.Count <= words.Count; start++)
        {
            var i = 0;
            while (i < run.Count && string.Equals(words[start + i], run[i], StringComparison.Ordinal)) i++;
            if (i == run.Count) return true;
        }
        return false;
    }
}

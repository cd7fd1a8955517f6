using JobSignal.Core.Domain;
using JobSignal.Core.Ingestion;

namespace JobSignal.Core.Signal;

/// <summary>
/// The posting company's own name, which says nothing about the company (SPEC 5.2: company names are not matched): an
/// offer by "Stripe Payments Europe" that says "Stripe" names its employer, not a payment provider it uses, and "Latam
/// Airlines" is no sign of Latin American business. A hit is excluded, with <see cref="Reason"/>, when the words of the
/// text it covers are a run of the name's words ("Stripe" or "Stripe Payments" in "stripe payments europe"): where the
/// text names the employer. The same term written otherwise still counts ("Latinoamérica" in an offer of Latam
/// Airlines), and so does a longer text that only holds words of the name ("pagos internacionales" in an offer of
/// "Pagos S.L.", "international payments" in one of "Global Payments"). The name is read as company identity reads it
/// (legal forms dropped) and tokenized as offer text is. A hidden (anonymous) InfoJobs profile has no name to mask: what
/// it shows as one is the recruiter's description of the employer ("Empresa líder en pagos internacionales").
/// </summary>
public sealed class CompanyNameMask
{
    // A run sees the same employers' names over and over: each thread keeps the masks of the names it read last (a
    // slot per name hash), so that a name is not normalized and tokenized again for each of its offers.
    private const int RecentSlots = 4096;
    [ThreadStatic] private static CompanyNameMask?[]? t_recent;

    private readonly string _given;
    private readonly string[] _words;
    private string? _reason;

    private CompanyNameMask(string given, string[] words)
    {
        _given = given;
        _words = words;
    }

    /// <summary>The name as given.</summary>
    public string Name => _given.Trim();

    /// <summary>The exclusion reason a masked hit carries.</summary>
    public string Reason => _reason ??= $"part of the company's name '{Name}'";

    /// <summary>The name to mask for an offer's company: none for a hidden profile, whose "name" describes it.</summary>
    public static string? NameOf(OfferCompany? company) => company is null ? null : NameOf(company.Name, company.Hidden);

    /// <inheritdoc cref="NameOf(OfferCompany?)"/>
    public static string? NameOf(string? companyName, bool hidden) => hidden ? null : companyName;

    /// <summary>The mask of <paramref name="companyName"/>; null when there is no name or it has no words.</summary>
    public static CompanyNameMask? Of(string? companyName)
    {
        if (string.IsNullOrWhiteSpace(companyName)) return null;
        var recent = t_recent ??= new CompanyNameMask?[RecentSlots];
        ref var slot = ref recent[(uint)string.GetHashCode(companyName.AsSpan()) % RecentSlots];
        if (slot is null || !string.Equals(slot._given, companyName, StringComparison.Ordinal))
            slot = new CompanyNameMask(companyName, [.. Tokenizer.NormalizedTokens(CompanyIdentity.NormalizeName(companyName))]);
        // A name of no words ("--") masks nothing; it is kept all the same, so that it is not read again.
        return slot._words.Length == 0 ? null : slot;
    }

    /// <summary>Whether the tokens of a hit's text are a run of the name's words.</summary>
    public bool Masks(ReadOnlySpan<Token> text)
    {
        for (var start = 0; start + text.Length <= _words.Length; start++)
        {
            var i = 0;
            while (i < text.Length && string.Equals(_words[start + i], text[i].Value, StringComparison.Ordinal)) i++;
            if (i == text.Length) return true;
        }
        return false;
    }
}

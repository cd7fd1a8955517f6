using System.Globalization;
using System.Text;
using JobSignal.Core.Common;
using JobSignal.Core.Domain;
using JobSignal.Core.Signal;

namespace JobSignal.Core.Ingestion;

/// <summary>
/// Company identity (SPEC 5.5): the identity keys of an offer's company (website domain, normalized name) and the
/// decision of which stored company an offer belongs to. Pure: what is already stored comes in through
/// <see cref="ICompanyLookup"/>.
/// </summary>
public static class CompanyIdentity
{
    /// <summary>
    /// The identity domain of a website or URL: the lowercase ASCII (punycode) host without <c>www.</c>, scheme,
    /// user info, port, path, query or trailing dot. Null for blank or unusable input (not http(s), an IP address,
    /// a single label, invalid characters, an e-mail address) and for any InfoJobs host, so that an offer link or
    /// a profile URI on infojobs.net never becomes a company's identity; null too for a host many companies share
    /// (<see cref="SharedHosts"/>: a webmail, a social network, a link page), which identifies none of them.
    /// </summary>
    public static string? NormalizeDomain(string? website)
    {
        var text = website.AsSpan().Trim();
        if (text.IsEmpty || ContainsWhitespace(text)) return null;

        // Websites are often typed without a scheme ("www.acme.es", "//acme.es").
        var candidate = text.Contains("://", StringComparison.Ordinal) ? text.ToString()
            : text.StartsWith("//") ? "http:" + text.ToString()
            : "http://" + text.ToString();
        if (!Uri.TryCreate(candidate, UriKind.Absolute, out var uri)) return null;
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) return null;
        // User info means an e-mail address or credentials, not a website; the host would be the mail provider's.
        if (uri.UserInfo.Length > 0 || uri.HostNameType != UriHostNameType.Dns) return null;

        string host;
        try
        {
            // IdnHost is the punycode form, so "café.es" and "xn--caf-dma.es" are one identity.
            host = uri.IdnHost.ToLowerInvariant().TrimEnd('.');
        }
        catch (UriFormatException)
        {
            return null;
        }
        if (host.StartsWith("www.", StringComparison.Ordinal)) host = host[4..];
        return IsUsableHost(host) && !SharedHosts.Contains(host) ? host : null;
    }

    /// <summary>
    /// Hosts where a company is only a path, or a mailbox, on a service thousands of others use: "gmail.com" or
    /// "linkedin.com/company/acme" given as a website would otherwise merge every such company into one. Subdomain
    /// hosts (acme.wixsite.com, acme.blogspot.com) name one site each and stay identities.
    /// </summary>
    internal static readonly HashSet<string> SharedHosts = new(StringComparer.Ordinal)
    {
        // webmail
        "gmail.com", "googlemail.com", "hotmail.com", "hotmail.es", "outlook.com", "outlook.es", "live.com", "live.es",
        "msn.com", "yahoo.com", "yahoo.es", "ymail.com", "icloud.com", "me.com", "aol.com", "protonmail.com", "proton.me",
        "gmx.com", "gmx.es", "zoho.com", "telefonica.net",
        // social networks, link pages and site builders that put every company under one host
        "linkedin.com", "es.linkedin.com", "facebook.com", "es-es.facebook.com", "m.facebook.com", "fb.com",
        "instagram.com", "twitter.com", "x.com", "tiktok.com", "youtube.com", "youtu.be", "pinterest.com",
        "linktr.ee", "sites.google.com", "google.com", "business.site", "wa.me", "t.me", "github.com",
    };

    /// <summary>
    /// The identity name: lowercase, without diacritics, punctuation turned into single spaces (apostrophes
    /// dropped, dotted initials joined: "I.B.M." is "ibm"), and trailing legal-form suffixes removed, repeatedly
    /// ("Acme, S.L.U.", "ACME SA SL", "Acme Sociedad Limitada" are all "acme"). A name that is nothing but a legal
    /// form keeps it ("S.A." is "sa"). Null when the name has no letters or digits.
    /// </summary>
    public static string? NormalizeName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        var words = SplitNameWords(name);
        if (words.Count == 0) return null;

        for (var suffixLength = LegalSuffixLength(words);
             suffixLength > 0 && suffixLength < words.Count;
             suffixLength = LegalSuffixLength(words))
        {
            words.RemoveRange(words.Count - suffixLength, suffixLength);
        }
        return string.Join(' ', words);
    }

    /// <summary>
    /// Decides which stored company an offer's company is, or whether it is a new one, in this order:
    /// <list type="number">
    /// <item>the provider company id already linked to a company (the same InfoJobs profile is the same company);</item>
    /// <item>the website domain (a domain beats a name);</item>
    /// <item>the normalized name, only for profiles that are not hidden, only against companies that are not
    /// hidden, and never against a company that already has another domain;</item>
    /// <item>otherwise a new company keyed by whatever evidence there is, or no identity at all.</item>
    /// </list>
    /// A company found by name or by provider id that has no domain yet is enriched with the offer's domain.
    /// </summary>
    /// <param name="provider">The offer's provider (e.g. <see cref="Providers.Infojobs"/>), scope of provider ids.</param>
    /// <param name="company">The company the offer declares; null counts as no identity evidence.</param>
    /// <param name="known">Read access to the companies already stored.</param>
    public static CompanyResolution Resolve(string provider, OfferCompany? company, ICompanyLookup known) =>
        Resolve(provider, company, KeysOf(company), known);

    /// <summary>
    /// The identity keys of a company as it is declared: text work only, so ingestion computes them for a whole
    /// chunk in parallel before deciding, offer by offer, with <see cref="Resolve(string, OfferCompany?, CompanyKeys, ICompanyLookup)"/>.
    /// </summary>
    public static CompanyKeys KeysOf(OfferCompany? company) =>
        company is null ? default : RecentKeys.Of(company.Website, company.Name);

    /// <summary>
    /// A company posts many offers: the keys of the companies last seen are kept per thread, so ingestion parses each
    /// company's website and normalizes its name once, not at every offer.
    /// </summary>
    private static class RecentKeys
    {
        private const int Slots = 256;
        [ThreadStatic] private static Entry?[]? t_entries;

        public static CompanyKeys Of(string? website, string? name)
        {
            var entries = t_entries ??= new Entry?[Slots];
            var slot = (int)((Hash(website) * 31 + Hash(name)) & (Slots - 1));
            if (entries[slot] is { } entry && OrdinalText.Equal(entry.Website, website) && OrdinalText.Equal(entry.Name, name))
                return entry.Keys;
            var keys = new CompanyKeys(NormalizeDomain(website), NormalizeName(name));
            entries[slot] = new Entry(website, name, keys);
            return keys;
        }

        private static uint Hash(string? text) => text is null ? 0 : TokenHash.Of(text);

        private sealed record Entry(string? Website, string? Name, CompanyKeys Keys);
    }

    /// <inheritdoc cref="Resolve(string, OfferCompany?, ICompanyLookup)"/>
    /// <param name="keys">The company's keys, as <see cref="KeysOf"/> gives them.</param>
    public static CompanyResolution Resolve(string provider, OfferCompany? company, CompanyKeys keys, ICompanyLookup known)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(known);
        if (company is null) return CompanyResolution.NoIdentity(null, hidden: false);

        var sourceId = OfferNormalization.TrimToNull(company.ProviderCompanyId);
        var (domain, name) = keys;
        var hidden = company.Hidden;

        if (sourceId is not null && known.FindBySource(provider, sourceId) is { } linked)
        {
            // The domain is added only if it is free: a domain owned by another company is a conflict that a pure
            // decision cannot merge, so the stable provider link wins and nothing is rewritten.
            return linked.Domain is null && domain is not null && known.FindByDomain(domain) is null
                ? CompanyResolution.Matched(CompanyResolutionKind.Enriched, linked.Id, CompanyMatch.Source, domain, name, sourceId, hidden,
                    "provider company id known; its company had no domain yet")
                : CompanyResolution.Matched(CompanyResolutionKind.Existing, linked.Id, CompanyMatch.Source, linked.Domain, name, sourceId, hidden,
                    "provider company id known");
        }

        if (domain is not null)
        {
            if (known.FindByDomain(domain) is { } byDomain)
            {
                return CompanyResolution.Matched(CompanyResolutionKind.Existing, byDomain.Id, CompanyMatch.Domain, domain, name, sourceId, hidden,
                    "website domain known");
            }
            if (!hidden && name is not null && FindRealCompanyByName(known, name) is { } byName)
            {
                // Same name and no domain yet: the company now shows its website, so it is enriched, not duplicated.
                // Same name but another domain: two companies that happen to share a name.
                return byName.Domain is null
                    ? CompanyResolution.Matched(CompanyResolutionKind.Enriched, byName.Id, CompanyMatch.Name, domain, name, sourceId, hidden,
                        "name known without a domain; domain added")
                    : CompanyResolution.New(domain, name, sourceId, hidden,
                        "name known but under another domain: a different company");
            }
            return CompanyResolution.New(domain, name, sourceId, hidden, "new website domain");
        }

        if (!hidden && name is not null)
        {
            return FindRealCompanyByName(known, name) is { } byName
                ? CompanyResolution.Matched(CompanyResolutionKind.Existing, byName.Id, CompanyMatch.Name, byName.Domain, name, sourceId, hidden,
                    "normalized name known")
                : CompanyResolution.New(null, name, sourceId, hidden, "new normalized name");
        }

        // A hidden profile (or one without name and website) is only ever its own provider profile.
        return sourceId is not null
            ? CompanyResolution.New(null, name, sourceId, hidden, "provider company id only")
            : CompanyResolution.NoIdentity(name, hidden);
    }

    // Lookups must return non-hidden companies only; checked again here because merging an anonymous profile by
    // name would attach a real company's leads to a stranger.
    private static KnownCompany? FindRealCompanyByName(ICompanyLookup known, string name) =>
        known.FindByNormalizedName(name) is { Hidden: false } company ? company : null;

    private static bool ContainsWhitespace(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c)) return true;
        }
        return false;
    }

    private static bool IsUsableHost(string host)
    {
        if (host.Length is 0 or > 253) return false;
        var labels = host.Split('.');
        if (labels.Length < 2) return false;
        foreach (var label in labels)
        {
            if (!IsHostLabel(label)) return false;
            // Any InfoJobs host (www., empresa., media., infojobs.com.es...) is the job board, not the employer.
            if (label == "infojobs") return false;
        }
        // A numeric top-level label is a mistyped IP address, not a domain.
        return !labels[^1].All(char.IsAsciiDigit);
    }

    private static bool IsHostLabel(string label)
    {
        if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-') return false;
        foreach (var c in label)
        {
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c != '-') return false;
        }
        return true;
    }

    private static List<string> SplitNameWords(string name)
    {
        var folded = RemoveDiacritics(name).ToLowerInvariant();
        var words = new List<string>();
        var word = new StringBuilder();
        // Dotted initials ("s.l.", "i.b.m") are collected here and joined into one word.
        var initials = new StringBuilder();

        void EndWord(bool followedByDot)
        {
            if (word.Length == 0) return;
            if (word.Length == 1 && char.IsLetter(word[0]) && (followedByDot || initials.Length > 0))
            {
                initials.Append(word[0]);
                word.Clear();
                if (!followedByDot) EndInitials();
                return;
            }
            EndInitials();
            words.Add(word.ToString());
            word.Clear();
        }

        void EndInitials()
        {
            if (initials.Length == 0) return;
            words.Add(initials.ToString());
            initials.Clear();
        }

        foreach (var c in folded)
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(c);
            }
            else if (c is '\'' or '\u2019' or '\u02BC' or '`' or '\u00B4')
            {
                // Apostrophes join: "L'Oréal" and "LOreal" are one name.
            }
            else if (c == '.')
            {
                EndWord(followedByDot: true);
            }
            else
            {
                EndWord(followedByDot: false);
                EndInitials();
                // "&" is part of many names ("C&A", "Procter & Gamble"); keep it as a word of its own.
                if (c == '&') words.Add("&");
            }
        }
        EndWord(followedByDot: false);
        EndInitials();
        return words;
    }

    internal static string RemoveDiacritics(string text)
    {
        if (text.AsSpan().IndexOfAnyExceptInRange((char)0, (char)0x7F) < 0) return text;
        // Compatibility decomposition too: a ligature ("ﬁ") or a full-width letter ("Ｆ") is the plain letter of a name.
        var decomposed = text.Normalize(NormalizationForm.FormKD);
        var kept = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) kept.Append(c);
        }
        return kept.ToString().Normalize(NormalizationForm.FormC);
    }

    // Spanish legal forms (forms of a company or entity, never words such as Fundación or Grupo that name what it is),
    // written as one word once dots and spaces are gone:
    //   companies: S.L., SLU, S.A., S.A.U., S.A.L., S.L.L., S.L.N.E., S.L.P., S.R.L., S.A.D. (sports), S.C., S.C.P.,
    //     S.R.C., S.Com., S.en C., S.Com.p.A., A.I.E., C.B. (comunidad de bienes), S.A.T. (agraria de transformación);
    //   cooperatives: S.Coop., S.C.L., S.C.A. (andaluza), SCCL (catalana), and the regional forms S.Coop.And.,
    //     S.Coop.Mad., S.Coop.Galega, S.Coop.Ast., S.Coop.Can., S.Coop.Ext., S.Coop. de C-LM, Coop. V. (valenciana),
    //     Koop. E. (Euskadi).
    // UTE is left alone: a temporary union of companies is no company's form, and the UTE is not its members.
    private static readonly HashSet<string> LegalFormCodes =
    [
        "sl", "slu", "sa", "sau", "sal", "sll", "slne", "slp", "srl", "sad", "sc", "scp", "src", "scom", "senc", "scompa",
        "aie", "cb", "sat",
        "scoop", "scl", "sca", "scand", "sccl", "scoopand", "scoopmad", "scoopgal", "scoopgalega", "scoopast", "scoopcan",
        "scoopext", "scoopclm", "scoopdeclm", "scoopv", "coopv", "koope",
    ];

    // Legal forms spelled out, longest first so "sociedad limitada unipersonal" is removed whole.
    private static readonly string[][] LegalFormPhrases =
    [
        ["societat", "cooperativa", "catalana", "limitada"],
        ["sociedad", "agraria", "de", "transformacion"],
        ["sociedad", "de", "responsabilidad", "limitada"],
        ["sociedad", "limitada", "nueva", "empresa"],
        ["sociedad", "limitada", "unipersonal"],
        ["sociedad", "anonima", "unipersonal"],
        ["sociedad", "limitada", "laboral"],
        ["sociedad", "anonima", "laboral"],
        ["sociedad", "limitada", "profesional"],
        ["sociedad", "anonima", "deportiva"],
        ["sociedad", "cooperativa", "andaluza"],
        ["sociedad", "cooperativa", "madrilena"],
        ["sociedade", "cooperativa", "galega"],
        ["sociedad", "cooperativa", "limitada"],
        ["agrupacion", "de", "interes", "economico"],
        ["societat", "cooperativa", "catalana"],
        ["sociedad", "limitada"],
        ["sociedad", "anonima"],
        ["societat", "limitada"],
        ["societat", "anonima"],
        ["sociedad", "cooperativa"],
        ["cooperativa", "valenciana"],
        ["comunidad", "de", "bienes"],
        ["soc", "coop"],
        ["sdad", "coop"],
    ];

    // Trailing short words joined into one code: spacing varies ("S L", "S. Coop. And.", "S.Coop.de C-LM", "S.L.U" all
    // reach here as different word splits). Up to five words ("s coop de c lm"), each at most six letters ("galega").
    private const int MaxCodeWords = 5;
    private const int MaxCodeWordLength = 6;

    // How many trailing words form a legal suffix (0 if none).
    private static int LegalSuffixLength(List<string> words)
    {
        foreach (var phrase in LegalFormPhrases)
        {
            if (EndsWith(words, phrase)) return phrase.Length;
        }
        for (var count = Math.Min(MaxCodeWords, words.Count); count >= 1; count--)
        {
            var tail = words.GetRange(words.Count - count, count);
            if (tail.TrueForAll(word => word.Length <= MaxCodeWordLength) && LegalFormCodes.Contains(string.Concat(tail))) return count;
        }
        return 0;
    }

    private static bool EndsWith(List<string> words, string[] phrase)
    {
        if (words.Count < phrase.Length) return false;
        var offset = words.Count - phrase.Length;
        for (var i = 0; i < phrase.Length; i++)
        {
            if (words[offset + i] != phrase[i]) return false;
        }
        return true;
    }
}

/// <summary>A company's identity keys (SPEC 5.5): its website domain and its normalized name, each null when absent.</summary>
public readonly record struct CompanyKeys(string? Domain, string? NormalizedName);

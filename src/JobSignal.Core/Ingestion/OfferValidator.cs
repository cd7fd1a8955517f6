using JobSignal.Core.Domain;

namespace JobSignal.Core.Ingestion;

/// <summary>Why an offer cannot be ingested: the offending property and a message naming it.</summary>
/// <param name="Field">The <see cref="Offer"/> property at fault: <c>ProviderOfferId</c>, <c>Url</c> or <c>Title</c>.</param>
/// <param name="Message">A sentence for the user, naming the property and quoting a short prefix of its value.</param>
public sealed record OfferValidationFailure(string Field, string Message);

/// <summary>The checks an offer passes before it touches the store (SPEC 7.1); failures count as skipped_invalid.</summary>
public static class OfferValidator
{
    private const int QuotedValueLength = 80;
    private const int MaxPlainUrlLength = 4096;

    /// <summary>Null when the offer can be ingested, otherwise the first problem found (id, then URL, then title).</summary>
    public static OfferValidationFailure? Validate(Offer? offer)
    {
        if (offer is null) return new OfferValidationFailure("Offer", "The offer is null.");
        if (OfferNormalization.TrimToNull(offer.ProviderOfferId) is null)
        {
            return new OfferValidationFailure(nameof(Offer.ProviderOfferId), "ProviderOfferId is missing or blank.");
        }
        var url = OfferNormalization.TrimToNull(offer.Url);
        if (url is null)
        {
            return new OfferValidationFailure(nameof(Offer.Url), "Url is missing or blank.");
        }
        if (!IsAbsoluteHttpUrl(url))
        {
            return new OfferValidationFailure(nameof(Offer.Url), $"Url '{Shorten(url)}' is not an absolute http(s) URL.");
        }
        if (OfferNormalization.TrimToNull(offer.Title) is null)
        {
            return new OfferValidationFailure(nameof(Offer.Title), "Title is missing or blank.");
        }
        return null;
    }

    internal static bool IsAbsoluteHttpUrl(string url) =>
        IsPlainHttpUrl(url) || (Uri.TryCreate(url, UriKind.Absolute, out var uri)
                                && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                                && uri.Host.Length > 0);

    /// <summary>
    /// The usual offer URL, checked by a loop of our own: "http(s)://" in lower case, a host of lower-case letter or
    /// digit labels (hyphens inside), then nothing or a path, query or fragment of URL characters other than '%'. Every
    /// such URL is one <see cref="Uri"/> accepts; anything else goes to <see cref="Uri"/> itself, whose parser would
    /// otherwise run (instrumented, under tiered PGO) for every offer of a nightly run.
    /// </summary>
    internal static bool IsPlainHttpUrl(string url)
    {
        // A long URL is left to Uri, whatever limit it keeps.
        if (url.Length > MaxPlainUrlLength) return false;
        var at = url.StartsWith("https://", StringComparison.Ordinal) ? 8 : url.StartsWith("http://", StringComparison.Ordinal) ? 7 : -1;
        if (at < 0) return false;
        var hostStart = at;
        var labelStart = at;
        for (; at < url.Length && url[at] is not ('/' or '?' or '#'); at++)
        {
            var c = url[at];
            if (c == '.')
            {
                if (!IsLabel(url, labelStart, at)) return false;
                labelStart = at + 1;
            }
            else if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')) return false;
        }
        if (at - hostStart > 253 || !IsLabel(url, labelStart, at)) return false;
        for (; at < url.Length; at++)
        {
            if (!IsUrlCharacter(url[at])) return false;
        }
        return true;
    }

    private static bool IsLabel(string url, int start, int end) =>
        end > start && end - start <= 63 && url[start] != '-' && url[end - 1] != '-';

    // RFC 3986's unreserved and reserved characters but '%', '[' and ']': what a URI path holds as it is.
    private static bool IsUrlCharacter(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or ':' or '/' or '?' or '#' or '@'
            or '!' or '$' or '&' or '\'' or '(' or ')' or '*' or '+' or ',' or ';' or '=';

    private static string Shorten(string value) =>
        value.Length <= QuotedValueLength ? value : string.Concat(value.AsSpan(0, QuotedValueLength), "...");
}

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

    private static bool IsAbsoluteHttpUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.Host.Length > 0;

    private static string Shorten(string value) =>
        value.Length <= QuotedValueLength ? value : string.Concat(value.AsSpan(0, QuotedValueLength), "...");
}

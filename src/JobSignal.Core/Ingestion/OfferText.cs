using JobSignal.Core.Domain;
using JobSignal.Core.Signal;
using JobSignal.Core.Store;

namespace JobSignal.Core.Ingestion;

/// <summary>
/// An offer's text tokenized once, for both its repost signature and its matching: the CPU-heavy part of ingesting
/// an offer, pure, so a chunk's offers are prepared in parallel while the previous chunk is written.
/// </summary>
internal sealed class OfferText
{
    private OfferText(TokenizedText title, TokenizedText description, string? requirements, CompanyKeys companyKeys)
    {
        Title = title;
        Description = description;
        Requirements = requirements;
        CompanyKeys = companyKeys;
        Signature = RepostDetector.BuildSignature(Values(title), Values(description));
        Content = new OfferContent(Signature.Fingerprint, Signature.NormalizedTitle, Signature.DescriptionTokenCount, Signature.ToBytes());
    }

    public TokenizedText Title { get; }
    public TokenizedText Description { get; }
    public string? Requirements { get; }
    public ContentSignature Signature { get; }
    /// <summary>The identity keys of the offer's company (normalizing a name or a website is text work too).</summary>
    public CompanyKeys CompanyKeys { get; }
    /// <summary>What the store keeps of the signature.</summary>
    public OfferContent Content { get; }

    public static OfferText Of(Offer offer) =>
        new(Tokenizer.Tokenize(offer.Title), Tokenizer.Tokenize(offer.Description), offer.Requirements,
            CompanyIdentity.KeysOf(offer.Company));

    private static string[] Values(TokenizedText text)
    {
        var values = new string[text.Count];
        for (var i = 0; i < values.Length; i++) values[i] = text.Tokens[i].Value;
        return values;
    }
}

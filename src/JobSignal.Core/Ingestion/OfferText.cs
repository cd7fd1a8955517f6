using JobSignal.Core.Domain;
using JobSignal.Core.Signal;
using JobSignal.Core.Store;

namespace JobSignal.Core.Ingestion;

/// <summary>
/// What the write of an offer needs from its text: the repost signature (and what the store keeps of it) and the
/// identity keys of its company. Pure text work, prepared for a whole chunk in parallel while the previous chunk is
/// written; the tokens it is built from are not kept, so they die young instead of outliving the chunk.
/// </summary>
internal sealed class OfferText
{
    private OfferText(ContentSignature signature, CompanyKeys companyKeys)
    {
        Signature = signature;
        CompanyKeys = companyKeys;
        // Made here, on a preparing thread, rather than by the writer's first repost probe.
        _ = signature.Sketch;
        Content = new OfferContent(signature.Fingerprint, signature.NormalizedTitle, signature.DescriptionTokenCount, signature.ToBytes());
    }

    public ContentSignature Signature { get; }
    /// <summary>What the store keeps of the signature.</summary>
    public OfferContent Content { get; }
    /// <summary>The identity keys of the offer's company (normalizing a name or a website is text work too).</summary>
    public CompanyKeys CompanyKeys { get; }

    /// <summary>From the offer's title and description, tokenized once for this and for matching.</summary>
    public static OfferText Of(Offer offer, TokenizedText title, TokenizedText description) =>
        new(RepostDetector.BuildSignature(title, description), CompanyIdentity.KeysOf(offer.Company));
}

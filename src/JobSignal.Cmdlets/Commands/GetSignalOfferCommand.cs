using System.Management.Automation;
using JobSignal.Cmdlets.Infrastructure;
using JobSignal.Core.Common;
using JobSignal.Core.Domain;
using JobSignal.Core.Signal;
using JobSignal.Core.Store;

namespace JobSignal.Cmdlets.Commands;

/// <summary>
/// Queries stored offers (best score first) with their match; the explanation is attached as an object (property
/// <c>Match</c>, a JobSignal.Core.Signal.SignalScore) so the "why" can be read without parsing JSON.
/// </summary>
[Cmdlet(VerbsCommon.Get, "SignalOffer")]
[OutputType(typeof(StoredOffer))]
public sealed class GetSignalOfferCommand : SignalQueryCmdlet
{
    public const string MatchPropertyName = "Match";

    /// <summary>
    /// Only offers of these companies; binds from the CompanyId of piped objects (companies, offers, results), a piped
    /// run's AffectedCompanyIds and a feedback import's CompanyIds.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias(CompanyIdAliases.Affected, CompanyIdAliases.Changed)]
    [ValidateIds]
    public long[]? CompanyId { get; set; }

    /// <summary>Only these stored offers; binds from the OfferId of piped objects.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateIds]
    public long[]? OfferId { get; set; }

    /// <summary>Only offers without a match (their match could not be stored, or they were never scored).</summary>
    [Parameter]
    public SwitchParameter Unscored { get; set; }

    // The ids given as parameters, the same for every piped object; each piped object adds the ids it names.
    private long[]? _givenCompanyIds, _givenOfferIds;
    private readonly AskedIds _companies = new(), _offers = new();

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        (_givenCompanyIds, _givenOfferIds) = (CompanyId, OfferId);
    }

    protected override void ProcessRecord()
    {
        if (NamesNothing(nameof(CompanyId), nameof(OfferId))) return;
        // A piped object with an OfferId names that offer (an offer, an ingestion result), one with only a CompanyId
        // that company's offers; an id kind given as a parameter is not bound from the pipeline.
        var offerIds = _givenOfferIds is null ? OfferId : null;
        var companyIds = _givenCompanyIds is null ? CompanyId : null;
        if (offerIds is not null) _offers.Add(offerIds);
        else if (companyIds is not null) _companies.Add(companyIds);
        else
        {
            _offers.Add(null);
            _companies.Add(null);
        }
    }

    protected override void EndProcessing() => ReadStore(WriteOffers);

    private void WriteOffers()
    {
        if (!_offers.Asked && !_companies.Asked) return;
        var offerIds = _givenOfferIds ?? _offers.Ids;
        var companyIds = _givenCompanyIds ?? _companies.Ids;
        var found = WriteEach(Store.Offers.Stream(new OfferFilter
        {
            CompanyIds = companyIds,
            OfferIds = offerIds,
            // What the piped objects name is a union; ids given as parameters are filters, and hold together.
            EitherIds = _givenCompanyIds is null && _givenOfferIds is null,
            Unscored = Unscored,
            MinScore = MinScoreFilter,
            Category = CategoryId,
            Keyword = Keyword,
            Since = SinceFilter,
            Limit = Top,
        }), WithExplanation, offer => (offer.OfferId, offer.CompanyId));
        ReportUnknown(offerIds, found.Select(o => o.OfferId), Store.Offers.ExistingIds, WriteOfferNotFound);
        ReportUnknown(companyIds, found.Select(o => o.CompanyId), Store.Companies.ExistingIds, WriteCompanyNotFound);
    }

    /// <summary>The offer with its explanation attached as an object (property Match).</summary>
    private PSObject WithExplanation(StoredOffer offer)
    {
        var output = PSObject.AsPSObject(offer);
        output.Properties.Add(new PSNoteProperty(MatchPropertyName, Explain(offer)));
        return output;
    }

    private SignalScore? Explain(StoredOffer offer)
    {
        if (offer.Explanation is null) return null;
        try
        {
            return SignalScoreJson.Deserialize(offer.Explanation);
        }
        catch (JobSignalException ex)
        {
            WriteFailure(new JobSignalException(ex.ErrorId, ex.Kind, $"Offer {offer.OfferId}: {ex.Message}", offer.OfferId, ex.RecommendedAction, ex));
            return null;
        }
    }
}

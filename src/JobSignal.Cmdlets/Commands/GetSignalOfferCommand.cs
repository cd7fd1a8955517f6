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

    /// <summary>Only offers of these companies; binds from the CompanyId of piped objects (companies, offers, results).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateIds]
    public long[]? CompanyId { get; set; }

    /// <summary>Only these stored offers; binds from the OfferId of piped objects.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateIds]
    public long[]? OfferId { get; set; }

    /// <summary>Only offers without a match (their match could not be stored, or they were never scored).</summary>
    [Parameter]
    public SwitchParameter Unscored { get; set; }

    protected override void ProcessRecord()
    {
        if (NamesNothing(nameof(CompanyId), nameof(OfferId))) return;
        var found = Query(CompanyId is not null || OfferId is not null, () => Store.Offers.Stream(new OfferFilter
        {
            CompanyIds = CompanyId,
            OfferIds = OfferId,
            Unscored = Unscored,
            MinScore = MinScoreFilter,
            Category = CategoryId,
            Keyword = Keyword,
            Since = SinceFilter,
            Limit = Top,
        }), offer => offer.OfferId, WithExplanation, offer => (offer.OfferId, offer.CompanyId));
        ReportUnknown(OfferId, found.Select(o => o.OfferId), Store.Offers.ExistingIds, WriteOfferNotFound);
        ReportUnknown(CompanyId, found.Select(o => o.CompanyId), Store.Companies.ExistingIds, WriteCompanyNotFound);
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

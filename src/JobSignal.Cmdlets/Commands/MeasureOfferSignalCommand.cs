using System.Management.Automation;
using JobSignal.Cmdlets.Infrastructure;
using JobSignal.Core.Catalog;
using JobSignal.Core.Common;
using JobSignal.Core.Domain;
using JobSignal.Core.Signal;

namespace JobSignal.Cmdlets.Commands;

/// <summary>
/// Matches and scores text or offers against a catalog without storing anything: the "why this score" tool.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "OfferSignal", DefaultParameterSetName = InputObjectSet)]
[OutputType(typeof(SignalScore))]
public sealed class MeasureOfferSignalCommand : JobSignalCmdlet
{
    private const string InputObjectSet = "InputObject";
    private const string TextSet = "Text";
    private const string FieldsSet = "Fields";
    public const string OfferTextMissingErrorId = "OfferTextMissing";
    public const string OfferTextUnreadableErrorId = "OfferTextUnreadable";

    private OfferScorer? _scorer;

    /// <summary>Free text, scored as an offer description.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = TextSet)]
    [AllowEmptyString]
    public string Text { get; set; } = "";

    [Parameter(ParameterSetName = FieldsSet)]
    [AllowEmptyString]
    public string? Title { get; set; }

    [Parameter(ParameterSetName = FieldsSet)]
    [AllowEmptyString]
    public string? Description { get; set; }

    [Parameter(ParameterSetName = FieldsSet)]
    [AllowEmptyString]
    public string? Requirements { get; set; }

    /// <summary>The posting company: a hit that is its own name in the text does not count (SPEC 5.2).</summary>
    [Parameter(ParameterSetName = TextSet)]
    [Parameter(ParameterSetName = FieldsSet)]
    [ValidateNotNullOrEmpty]
    public string? CompanyName { get; set; }

    /// <summary>Offers (any object with Title/Description properties, read as Invoke-OfferIngestion reads them) or strings, from the pipeline.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    public PSObject InputObject { get; set; } = null!;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CatalogPath { get; set; }

    protected override void BeginProcessing()
    {
        try
        {
            _scorer = new OfferScorer(CatalogSource.LoadCompiled(this, CatalogPath));
        }
        catch (CatalogException ex)
        {
            ThrowFailure(ex);
        }
    }

    protected override void ProcessRecord()
    {
        var scorer = _scorer!;
        switch (ParameterSetName)
        {
            case TextSet:
                WriteObject(scorer.Score(null, Text, companyName: CompanyName));
                break;
            case FieldsSet:
                WriteObject(scorer.Score(Title, Description, Requirements, CompanyName));
                break;
            default:
                foreach (var item in OfferInput.Items(InputObject, MyInvocation.ExpectingInput)) Measure(scorer, item);
                break;
        }
    }

    private void Measure(OfferScorer scorer, PSObject item)
    {
        switch (item.BaseObject)
        {
            case string text:
                WriteObject(scorer.Score(null, text));
                return;
            // Named by its store id, so that the result binds to -OfferId of the next cmdlet.
            case StoredOffer stored:
                WriteObject(scorer.Score(stored));
                return;
        }
        var input = OfferInput.Read(item);
        if (input.TextUnreadable)
        {
            // Scoring the rest would give a score that silently ignores the field (ingestion skips such an offer).
            WriteFailure(new JobSignalException(OfferTextUnreadableErrorId, FailureKind.InvalidType,
                $"The input object cannot be scored: {input.Problem}", item,
                "Give that field as text (a string, or an array of lines), e.g. its inner value: $offer.Description.text."));
            return;
        }
        if (!input.HasText)
        {
            WriteFailure(new JobSignalException(OfferTextMissingErrorId, FailureKind.InvalidArgument,
                "The input object has no Title, Description or Requirements property to score.", item,
                "Pipe offers (Get-InfojobsOffer, ConvertFrom-Json of offer payloads) or strings, or use -Title/-Description."));
            return;
        }
        WriteObject(scorer.Score(input.Offer));
    }
}

using System.Collections;
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

    /// <summary>Offers (any object with Title/Description properties) or strings, from the pipeline.</summary>
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
                WriteObject(scorer.Score(null, Text));
                break;
            case FieldsSet:
                WriteObject(scorer.Score(Title, Description, Requirements));
                break;
            default:
                var fields = OfferFields.From(InputObject);
                if (fields is null)
                {
                    WriteFailure(new JobSignalException(OfferTextMissingErrorId, FailureKind.InvalidArgument,
                        "The input object has no Title, Description or Requirements property to score.", InputObject,
                        "Pipe offers (Get-InfojobsOffer, ConvertFrom-Json of offer payloads) or strings, or use -Title/-Description."));
                    return;
                }
                WriteObject(scorer.Score(fields.Title, fields.Description, fields.Requirements) with { OfferId = fields.OfferId });
                break;
        }
    }

    /// <summary>The scoreable fields of whatever came down the pipeline.</summary>
    private sealed record OfferFields(string? OfferId, string? Title, string? Description, string? Requirements)
    {
        public static OfferFields? From(PSObject input)
        {
            switch (input.BaseObject)
            {
                case string text:
                    return new OfferFields(null, null, text, null);
                case Offer offer:
                    return new OfferFields(NullIfEmpty(offer.ProviderOfferId), offer.Title, offer.Description, offer.Requirements);
                case IDictionary dictionary:
                    return FromLookup(name => dictionary.Keys.Cast<object>()
                        .Where(k => string.Equals(k?.ToString(), name, StringComparison.OrdinalIgnoreCase))
                        .Select(k => (true, dictionary[k])).FirstOrDefault());
                default:
                    return FromLookup(name => input.Properties[name] is { } property ? (true, property.Value) : (false, null));
            }
        }

        /// <summary>Property names of offers as the module, InfoJobs payloads and hand-made objects spell them.</summary>
        private static OfferFields? FromLookup(Func<string, (bool Found, object? Value)> lookup)
        {
            string? Read(params string[] names)
            {
                foreach (var name in names)
                {
                    var (found, value) = lookup(name);
                    if (found) return value is PSObject wrapped ? wrapped.BaseObject?.ToString() : value?.ToString();
                }
                return null;
            }

            bool Has(string name) => lookup(name).Found;
            if (!Has("Title") && !Has("Description") && !Has("Requirements") && !Has("minRequirements")) return null;
            var requirements = Read("Requirements")
                ?? string.Join(Environment.NewLine, new[] { Read("minRequirements"), Read("desiredRequirements") }
                    .Where(r => !string.IsNullOrWhiteSpace(r)));
            return new OfferFields(NullIfEmpty(Read("OfferId", "ProviderOfferId", "Id")), Read("Title"),
                Read("Description"), NullIfEmpty(requirements));
        }

        private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
    }
}

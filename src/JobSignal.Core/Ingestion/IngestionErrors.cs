using JobSignal.Core.Common;

namespace JobSignal.Core.Ingestion;

/// <summary>The per-offer failures of an ingestion run, as Invoke-OfferIngestion and the scheduled pipeline report them.</summary>
public static class IngestionErrors
{
    public const string OfferPersistFailed = "OfferPersistFailed";
    public const string MatchPersistFailed = "MatchPersistFailed";

    /// <summary>A failed_db offer: not stored, the run went on.</summary>
    public static JobSignalException OfferNotStored(OfferIngestionResult result) => new(OfferPersistFailed, FailureKind.WriteError,
        $"Offer {result.Provider}:{result.ProviderOfferId} could not be stored: {result.Reason}", result.Offer,
        "The rest of the run went on. Run the ingestion again for this offer once the cause is fixed.");

    /// <summary>A match_failed offer: stored, without a match.</summary>
    public static JobSignalException MatchNotStored(OfferIngestionResult result) => new(MatchPersistFailed, FailureKind.WriteError,
        $"Offer {result.Provider}:{result.ProviderOfferId} was stored without a match: {result.Reason}", result.Offer,
        UnscoredRemedy());

    /// <summary>How to find and score offers stored without a match; <paramref name="databasePathArgument"/> names their store (<see cref="Store.DatabasePathArgument"/>).</summary>
    public static string UnscoredRemedy(string databasePathArgument = "") =>
        $"Get-SignalOffer -Unscored{databasePathArgument} lists such offers; Update-OfferScore -Unscored{databasePathArgument} scores them.";
}

namespace JobSignal.Core.Ingestion;

/// <summary>
/// Names a run's skipped offers for the people watching it, without flooding them: fed every result in input order,
/// it names the first <see cref="Limit"/> offers skipped as invalid or without company identity (what a bad feed
/// produces) one message each, and counts the rest for a <see cref="Summary"/>. An offer skipped because its company's
/// resolution is final is ordinary (a rep closed the lead): it is described, but never among those to warn about.
/// Pure; one instance per run.
/// </summary>
public sealed class SkippedOfferNotices(int limit = SkippedOfferNotices.DefaultLimit)
{
    public const int DefaultLimit = 10;

    private int _position;
    private int _unnamedInvalid;
    private int _unnamedNoIdentity;

    /// <summary>How many skipped offers are named one by one before the rest only count.</summary>
    public int Limit { get; } = limit;

    /// <summary>Offers named so far.</summary>
    public int Named { get; private set; }

    /// <summary>
    /// Takes the next result of the run. Null when it was not skipped; otherwise the message that names it (the offer's
    /// id and title, or its position in the input when it has no id, and the reason) and whether to warn about it: true
    /// for the first <see cref="Limit"/> invalid or unidentifiable offers. <paramref name="reportedElsewhere"/>: the
    /// caller already told the user about this input (it counts as seen, is neither named nor summed up).
    /// </summary>
    public (string Message, bool Warn)? Next(OfferIngestionResult result, bool reportedElsewhere = false)
    {
        ArgumentNullException.ThrowIfNull(result);
        _position++;
        if (result.Outcome is not (IngestionOutcome.SkippedInvalid or IngestionOutcome.SkippedNoIdentity or IngestionOutcome.SkippedResolved))
            return null;
        var message = $"{Describe(result, _position)} was skipped: {result.Reason}";
        if (reportedElsewhere || result.Outcome == IngestionOutcome.SkippedResolved) return (message, false);
        if (Named < Limit)
        {
            Named++;
            return (message, true);
        }
        if (result.Outcome == IngestionOutcome.SkippedInvalid) _unnamedInvalid++;
        else _unnamedNoIdentity++;
        return (message, false);
    }

    /// <summary>What the warnings left out, once the run is over; null when every such skip was named.</summary>
    public string? Summary => _unnamedInvalid + _unnamedNoIdentity == 0 ? null
        : $"{_unnamedInvalid + _unnamedNoIdentity} more offer(s) were skipped and not named above " +
          $"({_unnamedInvalid} invalid, {_unnamedNoIdentity} without company identity).";

    private static string Describe(OfferIngestionResult result, int position)
    {
        var title = string.IsNullOrWhiteSpace(result.Title) ? "" : $" '{Shorten(result.Title.Trim(), 80)}'";
        return result.ProviderOfferId is { } id
            ? $"Offer {Shorten(id, 80)}{title} (input {position})"
            : $"Input {position}{title}";
    }

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 3)] + "...";
}

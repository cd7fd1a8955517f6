using System.Text.Json;
using JobSignal.Core.Common;
using JobSignal.Core.Domain;

namespace JobSignal.Core.Infojobs;

/// <summary>
/// What <see cref="InfojobsClient.FetchAsync"/> reports to the one thread that consumes it (the cmdlet's pipeline
/// thread writes output, progress and errors from these): offers and problems in list order, pages read and retries
/// as they happen.
/// </summary>
public abstract record InfojobsFetchEvent;

/// <summary>A request failed and is retried after <see cref="RetryNotice.Delay"/>: a list page's, or an offer's detail.</summary>
public sealed record InfojobsRetrying(RetryNotice Notice, bool IsDetail) : InfojobsFetchEvent;

/// <summary>A list page was read. <paramref name="Ordinal"/> counts pages of this fetch from 1.</summary>
public sealed record InfojobsPageFetched(int Ordinal, int? CurrentPage, int? TotalPages, int? TotalResults,
    int OfferCount) : InfojobsFetchEvent;

/// <summary>An offer, mapped from its detail answer (<paramref name="IsDetail"/>) or from its list item.</summary>
public sealed record InfojobsOfferFetched(Offer Offer, JsonElement Payload, bool IsDetail) : InfojobsFetchEvent;

/// <summary>A failure that did not end the fetch: one offer lost (or gone: a warning), or paging stopped early.</summary>
public sealed record InfojobsFetchProblem(JobSignalException Error, bool IsWarning) : InfojobsFetchEvent;

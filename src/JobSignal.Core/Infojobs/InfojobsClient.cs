using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using JobSignal.Core.Common;
using JobSignal.Core.Domain;

namespace JobSignal.Core.Infojobs;

/// <summary>
/// The InfoJobs REST API: the offer list (<c>GET /api/9/offer</c>) paged to the end or to the caps, and offer details
/// (<c>GET /api/7/offer/{id}</c>) fetched with bounded concurrency. Every GET is retried on 408/429/5xx and timeouts
/// (<see cref="InfojobsClientOptions.RetryPolicy"/>, honouring Retry-After); every request, page, retry and 429 is
/// counted in the caller's <see cref="FetchStatistics"/>. The client secret only ever leaves in the Authorization header.
/// </summary>
public sealed class InfojobsClient : IDisposable
{
    private const string ListPath = "api/9/offer";
    private const string DetailPath = "api/7/offer/";

    /// <summary>The page number InfoJobs documents for the first page, assumed when an answer has no currentPage.</summary>
    private const int DocumentedFirstPage = 1;

    private readonly HttpClient _http;
    private readonly AuthenticationHeaderValue _authorization;
    private readonly Uri _baseUri;
    private readonly string _clientId;

    public InfojobsClient(InfojobsCredentials credentials, InfojobsClientOptions? options = null,
        HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        Options = options ?? new InfojobsClientOptions();
        Options.Validate();
        _clientId = credentials.ClientId;
        _authorization = new AuthenticationHeaderValue("Basic", credentials.BasicParameter);
        var root = Options.BaseUri.AbsoluteUri;
        _baseUri = new Uri(root.EndsWith('/') ? root : root + "/");
        // Timeouts are per attempt (see SendOnceAsync), so the client-wide one is off.
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = Timeout.InfiniteTimeSpan;
    }

    public InfojobsClientOptions Options { get; }

    /// <summary>The list request for one page; <paramref name="page"/> null lets the server choose its first page.</summary>
    public Uri ListUri(InfojobsQuery query, int? page)
    {
        var parameters = query.Parameters().ToList();
        if (page is { } p) parameters.Add(new("page", p.ToString(CultureInfo.InvariantCulture)));
        parameters.Add(new("maxResults", query.PageSize.ToString(CultureInfo.InvariantCulture)));
        var queryString = string.Join("&",
            parameters.Select(kv => Uri.EscapeDataString(kv.Key) + "=" + Uri.EscapeDataString(kv.Value)));
        return new Uri(_baseUri, ListPath + "?" + queryString);
    }

    public Uri DetailUri(string offerId) => new(_baseUri, DetailPath + Uri.EscapeDataString(offerId));

    /// <summary>Reads one list page; throws a <see cref="JobSignalException"/> with an <see cref="InfojobsErrors"/> id on failure.</summary>
    /// <param name="onRetry">Hears each retry before its wait (on the thread that runs the request).</param>
    public async Task<InfojobsListPage> GetListPageAsync(InfojobsQuery query, int? page, FetchStatistics statistics,
        Action<RetryNotice>? onRetry = null, CancellationToken cancellationToken = default)
    {
        var uri = ListUri(query, page);
        var body = await GetAsync(uri, query.Key, isDetail: false, statistics, onRetry, cancellationToken).ConfigureAwait(false);
        try { return InfojobsListPage.Parse(body); }
        catch (FormatException ex) { throw BadResponse(uri, query.Key, ex.Message, body); }
    }

    /// <summary>Reads one offer's detail payload (a JSON object, detached from its document).</summary>
    /// <param name="onRetry">Hears each retry before its wait (on the thread that runs the request).</param>
    public async Task<JsonElement> GetOfferDetailAsync(string offerId, FetchStatistics statistics,
        Action<RetryNotice>? onRetry = null, CancellationToken cancellationToken = default)
    {
        var uri = DetailUri(offerId);
        var body = await GetAsync(uri, offerId, isDetail: true, statistics, onRetry, cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw BadResponse(uri, offerId, "the answer is not a JSON object", body);
            return document.RootElement.Clone();
        }
        catch (JsonException ex) { throw BadResponse(uri, offerId, "the body is not JSON (" + ex.Message + ")", body); }
    }

    /// <summary>
    /// The list pages of a search, each offer once. The first request has no <c>page</c> parameter; the server's
    /// <c>currentPage</c> in that answer tells whether it counts from 0 or 1, and each next request asks for the page
    /// after the one it got, so no page is read twice or skipped (an answer for another page than the one asked
    /// stops paging). Stops at the last page, at <see cref="InfojobsQuery.MaxPages"/> or
    /// <see cref="InfojobsQuery.MaxOffers"/> (the last page is cut to fit), recording why in
    /// <see cref="FetchStatistics.TruncationReason"/>; a failed page also records its reason, then throws.
    /// </summary>
    public async IAsyncEnumerable<InfojobsListPage> SearchAsync(InfojobsQuery query, FetchStatistics statistics,
        Action<RetryNotice>? onRetry = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        query.Validate();
        statistics.QueryKey ??= query.Key;
        var seenIds = new HashSet<string>(StringComparer.Ordinal);
        int? firstPage = null;
        int? requested = null;
        for (var ordinal = 1; ; ordinal++)
        {
            InfojobsListPage page;
            try
            {
                page = await GetListPageAsync(query, requested, statistics, onRetry, cancellationToken).ConfigureAwait(false);
                if (requested is { } asked && page.CurrentPage is { } answered && answered != asked)
                    throw BadResponse(ListUri(query, requested), query.Key,
                        $"asked for page {asked} but the answer is page {answered}; paging stopped so that no offer is read twice",
                        ReadOnlyMemory<byte>.Empty);
            }
            catch (JobSignalException ex)
            {
                statistics.TruncationReason ??= TruncationReasonFor(ex);
                throw;
            }
            statistics.AddPage();

            var current = page.CurrentPage ?? requested ?? DocumentedFirstPage;
            firstPage ??= current;
            var pageSize = page.PageSize is > 0 ? page.PageSize.Value : query.PageSize;
            var morePages = page.Offers.Count > 0 && (page.TotalPages is { } total
                ? current - firstPage.Value + 1 < total
                : page.Offers.Count >= pageSize);

            // Offers move between pages while new ones are published: one seen on an earlier page is not listed again.
            var fresh = page.Offers.Where(o => InfojobsOfferMapper.OfferId(o) is not { } id || seenIds.Add(id)).ToList();
            var room = query.MaxOffers - statistics.OffersListed;
            var kept = fresh.Count <= room ? fresh : fresh.GetRange(0, room);
            statistics.OffersListed += kept.Count;

            string? stopReason = null;
            if (kept.Count < fresh.Count || (statistics.OffersListed >= query.MaxOffers && morePages)) stopReason = "max_offers";
            else if (morePages && ordinal >= query.MaxPages) stopReason = "max_pages";
            if (stopReason is not null) statistics.TruncationReason ??= stopReason;

            yield return page with { Offers = kept };
            if (stopReason is not null || !morePages) yield break;
            requested = current + 1;
        }
    }

    /// <summary>
    /// The whole fetch: pages through the search and, for every listed offer that <paramref name="needsDetail"/>
    /// accepts (default: all), fetches its detail, at most <see cref="InfojobsClientOptions.DetailConcurrency"/> at
    /// a time while the next page is read. Offers and per-offer problems come out in list order, each as soon as it
    /// and every one before it are ready, whatever order the details finish in and however long a later page backs
    /// off; pages read (<see cref="InfojobsPageFetched"/>) and retries (<see cref="InfojobsRetrying"/>) are told as
    /// they happen. Paging runs at most <see cref="OffersAhead"/> offers ahead of the consumer, which bounds memory.
    /// Per-offer and paging failures are reported as <see cref="InfojobsFetchProblem"/> events (paging failures, and
    /// a detail still answered 429 after its retries, end the fetch after what was already fetched); rejected
    /// credentials throw, after every offer listed before the refusal has come out.
    /// </summary>
    /// <param name="needsDetail">Called with the offer mapped from its list item; false emits that offer as is
    /// (e.g. it is already stored with the same update date). Runs on a worker thread.</param>
    public async IAsyncEnumerable<InfojobsFetchEvent> FetchAsync(InfojobsQuery query, FetchStatistics statistics,
        Func<Offer, bool>? needsDetail = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var gate = new SemaphoreSlim(Options.DetailConcurrency);
        // In list order: each offer's event, or the detail request that will give it.
        var offers = Channel.CreateBounded<Task<InfojobsFetchEvent>>(new BoundedChannelOptions(OffersAhead) { SingleWriter = true });
        // Out of order, as they happen: pages read and retries, so that a long back-off is told while it lasts.
        var news = Channel.CreateUnbounded<InfojobsFetchEvent>();
        void Tell(InfojobsFetchEvent e) => news.Writer.TryWrite(e);
        var paging = Task.Run(() => PageAsync(query, statistics, needsDetail, gate, offers.Writer, Tell, abandon.Token), CancellationToken.None);
        try
        {
            Task<bool>? moreOffers = null;
            Task<bool>? moreNews = null;
            while (true)
            {
                while (news.Reader.TryRead(out var told)) yield return told;
                cancellationToken.ThrowIfCancellationRequested();
                Task next;
                if (offers.Reader.TryPeek(out var head))
                {
                    if (head.IsCompleted)
                    {
                        offers.Reader.TryRead(out _);
                        var e = Release(await head.ConfigureAwait(false), statistics, cancellationToken);
                        yield return e;
                        if (StopsFetch(e)) yield break;
                        continue;
                    }
                    next = head;
                }
                else
                {
                    moreOffers ??= offers.Reader.WaitToReadAsync(abandon.Token).AsTask();
                    if (moreOffers.IsCompletedSuccessfully)
                    {
                        var more = moreOffers.Result;
                        moreOffers = null;
                        if (more) continue;
                        break; // paging has ended and every offer is out
                    }
                    next = moreOffers;
                }
                // Only one wait of each channel at a time: the one a wake-up left pending is reused.
                moreNews ??= news.Reader.WaitToReadAsync(abandon.Token).AsTask();
                await Task.WhenAny(next, moreNews).ConfigureAwait(false);
                if (moreNews.IsCompleted) moreNews = null;
            }
            // What ended paging: nothing, a problem told last, or a fatal error thrown after the offers before it.
            var stopped = await paging.ConfigureAwait(false);
            while (news.Reader.TryRead(out var told)) yield return told;
            if (stopped is not null) yield return new InfojobsFetchProblem(stopped, IsWarning: false);
        }
        finally
        {
            if (cancellationToken.IsCancellationRequested) statistics.TruncationReason ??= "cancelled";
            // Leaving early (a fatal error, a rate limit, the consumer stopped): in-flight details are not wanted any
            // more, and none may still be counting requests once the fetch has ended.
            abandon.Cancel();
            await Settle(paging).ConfigureAwait(false);
            while (offers.Reader.TryRead(out var left)) await Settle(left).ConfigureAwait(false);
        }
    }

    /// <summary>How many offers paging may run ahead of the consumer: finished details wait in order behind a slow one.</summary>
    private int OffersAhead => Options.DetailConcurrency * 4;

    /// <summary>
    /// Pages through the search and queues each listed offer, in list order, as it is started (its detail requested
    /// when needed); waits while <see cref="OffersAhead"/> are queued. Returns the problem that stopped paging early,
    /// or null; throws what ends the whole fetch (rejected credentials).
    /// </summary>
    private async Task<JobSignalException?> PageAsync(InfojobsQuery query, FetchStatistics statistics,
        Func<Offer, bool>? needsDetail, SemaphoreSlim gate, ChannelWriter<Task<InfojobsFetchEvent>> offers,
        Action<InfojobsFetchEvent> tell, CancellationToken cancellationToken)
    {
        try
        {
            var onRetry = (RetryNotice notice) => tell(new InfojobsRetrying(notice, IsDetail: false));
            var stop = new RateLimitStop();
            var sequence = 0;
            await foreach (var page in SearchAsync(query, statistics, onRetry, cancellationToken).ConfigureAwait(false))
            {
                tell(new InfojobsPageFetched(statistics.Pages, page.CurrentPage, page.TotalPages, page.TotalResults, page.Offers.Count));
                for (var i = 0; i < page.Offers.Count; i++)
                {
                    var place = new ListPlace(page.CurrentPage ?? statistics.Pages, i + 1, page.Offers.Count);
                    var offer = StartOffer(page.Offers[i], place, ++sequence, stop, statistics, needsDetail, gate, tell, cancellationToken);
                    try { await offers.WriteAsync(offer, cancellationToken).ConfigureAwait(false); }
                    catch (OperationCanceledException)
                    {
                        await Settle(offer).ConfigureAwait(false); // not queued: nobody else waits for it
                        throw;
                    }
                }
            }
            return null;
        }
        catch (JobSignalException ex) when (!InfojobsErrors.IsFatal(ex)) { return ex; }
        finally { offers.Complete(); }
    }

    /// <summary>
    /// Waits for work nobody wants any more to end; how it ended does not matter then, and must not replace what is
    /// ending the fetch (e.g. the store failing in needsDetail while a detail's refusal is being thrown).
    /// </summary>
    private static async Task Settle(Task work)
    {
        try { await work.ConfigureAwait(false); }
        catch (Exception) { }
    }

    /// <summary>Hands a finished event to the consumer, unless it asked to stop meanwhile.</summary>
    private static InfojobsFetchEvent Release(InfojobsFetchEvent e, FetchStatistics statistics, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (e is InfojobsOfferFetched { IsDetail: true }) statistics.DetailsFetched++;
        if (StopsFetch(e)) statistics.TruncationReason ??= "rate_limited";
        return e;
    }

    /// <summary>SPEC 8: a 429 after retries stops the fetch, for a detail as for a page; what came before it is kept.</summary>
    private static bool StopsFetch(InfojobsFetchEvent e) =>
        e is InfojobsFetchProblem { Error.ErrorId: InfojobsErrors.RateLimited };

    /// <summary>Where an entry is in the list: the page as InfoJobs numbers it, and its place on that page (from 1).</summary>
    private readonly record struct ListPlace(int Page, int Position, int Count)
    {
        public override string ToString() => $"page {Page}, offer {Position} of {Count}";
    }

    /// <summary>
    /// Where a detail still rate limited after its retries stopped the fetch (SPEC 8), for the details listed after
    /// it: those not yet requested are not requested at all, whether or not the consumer has reached the stop yet
    /// (it emits in list order and may be behind); those listed before it go on, as they are kept.
    /// </summary>
    private sealed class RateLimitStop
    {
        private int _at = int.MaxValue;

        public void At(int sequence)
        {
            for (var at = Volatile.Read(ref _at); sequence < at; at = Volatile.Read(ref _at))
                if (Interlocked.CompareExchange(ref _at, sequence, at) == at) return;
        }

        public bool IsPast(int sequence) => sequence > Volatile.Read(ref _at);
    }

    private Task<InfojobsFetchEvent> StartOffer(JsonElement item, ListPlace place, int sequence, RateLimitStop stop,
        FetchStatistics statistics, Func<Offer, bool>? needsDetail, SemaphoreSlim gate, Action<InfojobsFetchEvent> tell,
        CancellationToken cancellationToken)
    {
        Offer listed;
        try { listed = InfojobsOfferMapper.MapOffer(item); }
        catch (FormatException ex)
        {
            // Named by its place (and its id, when it has a readable one), not by a fragment of its JSON.
            var problem = new JobSignalException(InfojobsErrors.BadResponse, FailureKind.InvalidData,
                $"InfoJobs listed an unreadable offer ({place}): {ex.Message} It was skipped; the other offers were read.",
                InfojobsOfferMapper.OfferId(item) ?? place.ToString(),
                "Check -BaseUri; if it is right, the InfoJobs API may have changed.");
            return Task.FromResult<InfojobsFetchEvent>(new InfojobsFetchProblem(problem, IsWarning: false));
        }
        listed.Fetch = statistics;
        if (needsDetail is not null && !needsDetail(listed))
            return Task.FromResult<InfojobsFetchEvent>(new InfojobsOfferFetched(listed, item, IsDetail: false));
        return FetchDetailAsync(listed.ProviderOfferId, sequence, stop, statistics, gate,
            notice => tell(new InfojobsRetrying(notice, IsDetail: true)), cancellationToken);
    }

    private async Task<InfojobsFetchEvent> FetchDetailAsync(string offerId, int sequence, RateLimitStop stop,
        FetchStatistics statistics, SemaphoreSlim gate, Action<RetryNotice> onRetry, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Past the stop: never emitted (the consumer ends at the stop), so not worth another 429.
            if (stop.IsPast(sequence)) throw new OperationCanceledException();
            var payload = await GetOfferDetailAsync(offerId, statistics, onRetry, cancellationToken).ConfigureAwait(false);
            Offer offer;
            try { offer = InfojobsOfferMapper.MapOffer(payload); }
            catch (FormatException ex) { throw BadResponse(DetailUri(offerId), offerId, ex.Message.TrimEnd('.'), JsonSerializer.SerializeToUtf8Bytes(payload)); }
            // Another offer's detail (a mirror, cache or proxy answering for the wrong URL) must not take this one's place.
            if (offer.ProviderOfferId != offerId) return new InfojobsFetchProblem(DetailMismatch(offerId, offer.ProviderOfferId), IsWarning: false);
            offer.Fetch = statistics;
            return new InfojobsOfferFetched(offer, payload, IsDetail: true);
        }
        catch (JobSignalException ex) when (ex.ErrorId == InfojobsErrors.OfferNotFound)
        {
            return new InfojobsFetchProblem(ex, IsWarning: true);
        }
        catch (JobSignalException ex) when (ex.ErrorId == InfojobsErrors.RateLimited)
        {
            stop.At(sequence);
            return new InfojobsFetchProblem(new JobSignalException(ex.ErrorId, ex.Kind,
                $"{ex.Message} The fetch stopped at offer {offerId}: the offers listed before it were kept, the rest were not fetched.",
                offerId, ex.RecommendedAction, ex), IsWarning: false);
        }
        catch (JobSignalException ex) when (!InfojobsErrors.IsFatal(ex))
        {
            return new InfojobsFetchProblem(new JobSignalException(InfojobsErrors.DetailFailed, ex.Kind,
                $"The detail of offer {offerId} could not be fetched: {ex.Message}", offerId, ex.RecommendedAction, ex), IsWarning: false);
        }
        finally { gate.Release(); }
    }

    private JobSignalException DetailMismatch(string requested, string answered) =>
        new(InfojobsErrors.DetailMismatch, FailureKind.InvalidData,
            $"InfoJobs answered GET {DetailUri(requested).AbsolutePath} with the detail of offer {answered}, not of offer {requested}: "
            + $"the answer was not used, and offer {requested} is missing from the output.",
            requested, "Check -BaseUri: a mirror, cache or proxy may answer for the wrong offer. Run again later; the offer is fetched again.");

    private static string TruncationReasonFor(JobSignalException ex) => ex.ErrorId switch
    {
        InfojobsErrors.RateLimited => "rate_limited",
        InfojobsErrors.AuthenticationFailed => "authentication_failed",
        InfojobsErrors.BadResponse => "bad_response",
        _ => "server_error",
    };

    /// <summary>One GET with retries; the body of a 2xx answer, or the failure classified into an ErrorId.</summary>
    private async Task<ReadOnlyMemory<byte>> GetAsync(Uri uri, string target, bool isDetail,
        FetchStatistics statistics, Action<RetryNotice>? onRetry, CancellationToken cancellationToken)
    {
        var policy = Options.RetryPolicy;
        for (var retry = 1; ; retry++)
        {
            var attempt = await SendOnceAsync(uri, statistics, cancellationToken).ConfigureAwait(false);
            if (attempt.IsSuccess) return attempt.Body;
            if (!attempt.IsTransient) throw PermanentFailure(attempt, uri, target, isDetail);
            if (retry > policy.MaxRetries) throw ExhaustedFailure(attempt, uri, target, retry);
            var notice = RetryNotice.For(policy, $"GET {uri.PathAndQuery}", attempt.Describe(), retry, attempt.RetryAfter, "InfoJobs");
            statistics.AddRetry();
            onRetry?.Invoke(notice);
            await policy.Wait(notice.Delay, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<Attempt> SendOnceAsync(Uri uri, FetchStatistics statistics, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.RequestTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = _authorization;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token)
                .ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            statistics.AddRequest(body.Length);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) statistics.AddRateLimited();
            return new Attempt(response.StatusCode, body, RetryPolicy.RetryAfter(response.Headers.RetryAfter), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            statistics.AddRequest(0);
            return new Attempt(null, ReadOnlyMemory<byte>.Empty, null,
                $"no answer within {Options.RequestTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s");
        }
        catch (HttpRequestException ex)
        {
            statistics.AddRequest(0);
            return new Attempt(null, ReadOnlyMemory<byte>.Empty, null, ex.Message);
        }
    }

    /// <summary>One HTTP attempt: an answer (status + body), or no answer (timeout, connection failure) and why.</summary>
    private readonly record struct Attempt(HttpStatusCode? Status, ReadOnlyMemory<byte> Body, TimeSpan? RetryAfter, string? NoAnswer)
    {
        public bool IsSuccess => Status is { } s && (int)s is >= 200 and < 300;
        public bool IsTransient => Status is not { } s || s is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)s >= 500;
        public string Describe() => Status is { } s ? $"{(int)s} {s}" : NoAnswer ?? "no answer";
    }

    private JobSignalException PermanentFailure(Attempt attempt, Uri uri, string target, bool isDetail) => attempt.Status switch
    {
        HttpStatusCode.Unauthorized => new JobSignalException(InfojobsErrors.AuthenticationFailed, FailureKind.AuthenticationError,
            $"InfoJobs rejected the credentials of client id '{_clientId}' (401 Unauthorized) for GET {uri.AbsolutePath}.",
            _clientId, "Check the client id and secret of your InfoJobs application (-Credential or INFOJOBS_CLIENT_ID / INFOJOBS_CLIENT_SECRET)."),
        HttpStatusCode.Forbidden => new JobSignalException(InfojobsErrors.AuthenticationFailed, FailureKind.PermissionDenied,
            $"InfoJobs refused access for client id '{_clientId}' (403 Forbidden) to GET {uri.AbsolutePath}.",
            _clientId, "Check that your InfoJobs application is allowed to use this API and that the credentials belong to it."),
        HttpStatusCode.NotFound when isDetail => new JobSignalException(InfojobsErrors.OfferNotFound, FailureKind.ObjectNotFound,
            $"Offer {target} is no longer available on InfoJobs (404); it was skipped.", target),
        _ => new JobSignalException(InfojobsErrors.RequestFailed, FailureKind.InvalidArgument,
            $"InfoJobs answered {attempt.Describe()} to GET {uri.PathAndQuery}: {InfojobsErrors.Snippet(attempt.Body.Span)}",
            target, "Check the search parameters and -BaseUri."),
    };

    private static JobSignalException ExhaustedFailure(Attempt attempt, Uri uri, string target, int attempts) =>
        attempt.Status == HttpStatusCode.TooManyRequests
            ? new JobSignalException(InfojobsErrors.RateLimited, FailureKind.LimitsExceeded,
                $"InfoJobs kept answering 429 Too Many Requests to GET {uri.PathAndQuery} ({attempts} attempts).",
                target, "Wait before the next run, or lower -MaxPages/-MaxOffers/-DetailConcurrency.")
            : new JobSignalException(InfojobsErrors.RequestFailed, FailureKind.ConnectionError,
                $"GET {uri.PathAndQuery} failed {attempts} times; last: {attempt.Describe()}.",
                target, "InfoJobs may be down or unreachable; try again later.");

    private static JobSignalException BadResponse(Uri uri, string target, string reason, ReadOnlyMemory<byte> body) =>
        new(InfojobsErrors.BadResponse, FailureKind.InvalidData,
            body.IsEmpty
                ? $"Unusable answer to GET {uri.PathAndQuery}: {reason}."
                : $"Unusable answer to GET {uri.PathAndQuery}: {reason}. Body starts: {InfojobsErrors.Snippet(body.Span)}",
            target, "Check -BaseUri; if it is right, the InfoJobs API may have changed.");

    public void Dispose() => _http.Dispose();
}

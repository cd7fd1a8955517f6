using System.Text;
using JobSignal.Core.Common;
using JobSignal.Core.Domain;
using JobSignal.Core.Infojobs;
using JobSignal.TestFakes;

namespace JobSignal.Core.Tests.Infojobs;

public sealed class InfojobsClientTests : IDisposable
{
    private readonly FakeInfojobsServer _fake = new();
    private readonly List<TimeSpan> _waits = new();
    private readonly FetchStatistics _statistics = new();

    public void Dispose() => _fake.Dispose();

    private Task RecordWait(TimeSpan delay, CancellationToken cancellationToken)
    {
        lock (_waits) _waits.Add(delay);
        return Task.CompletedTask;
    }

    private InfojobsClient Client(int maxRetries = 3, TimeSpan? timeout = null, int concurrency = 4,
        string secret = FakeInfojobsServer.DefaultClientSecret) =>
        new(new InfojobsCredentials(FakeInfojobsServer.DefaultClientId, secret), new InfojobsClientOptions
        {
            BaseUri = _fake.BaseUri,
            RequestTimeout = timeout ?? TimeSpan.FromSeconds(20),
            DetailConcurrency = concurrency,
            RetryPolicy = new RetryPolicy(maxRetries, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5),
                jitter: 0, wait: RecordWait),
        });

    private async Task<List<InfojobsFetchEvent>> Fetch(InfojobsQuery query, InfojobsClient? client = null,
        Func<Offer, bool>? needsDetail = null, CancellationToken cancellationToken = default)
    {
        using var owned = client is null ? Client() : null;
        var events = new List<InfojobsFetchEvent>();
        await foreach (var e in (client ?? owned!).FetchAsync(query, _statistics, needsDetail, cancellationToken))
            events.Add(e);
        return events;
    }

    private static List<Offer> Offers(IEnumerable<InfojobsFetchEvent> events) =>
        events.OfType<InfojobsOfferFetched>().Select(e => e.Offer).ToList();

    private static List<InfojobsFetchProblem> Problems(IEnumerable<InfojobsFetchEvent> events) =>
        events.OfType<InfojobsFetchProblem>().ToList();

    private static InfojobsQuery Query(int pageSize = 20, int maxPages = 10, int maxOffers = 500) =>
        new() { PageSize = pageSize, MaxPages = maxPages, MaxOffers = maxOffers };

    [Fact]
    public async Task Pages_to_the_end_and_fetches_every_detail_in_list_order()
    {
        _fake.AddGeneratedOffers(45);

        var events = await Fetch(Query());

        Assert.Equal(_fake.OfferIds(), Offers(events).Select(o => o.ProviderOfferId));
        Assert.All(events.OfType<InfojobsOfferFetched>(), e => Assert.True(e.IsDetail));
        Assert.All(Offers(events), o => Assert.Same(_statistics, o.Fetch));
        Assert.Empty(Problems(events));
        Assert.Equal(3, _fake.RequestsTo(FakeInfojobsEndpoint.List).Length);
        Assert.Equal(45, _fake.RequestsTo(FakeInfojobsEndpoint.Detail).Length);
        Assert.Equal(3, _statistics.Pages);
        Assert.Equal(48, _statistics.Requests);
        Assert.Equal(45, _statistics.OffersListed);
        Assert.Equal(45, _statistics.DetailsFetched);
        Assert.True(_statistics.Bytes > 45 * 1000, $"bytes counted: {_statistics.Bytes}");
        Assert.Null(_statistics.TruncationReason);
        Assert.Equal(new[] { 1, 2, 3 }, events.OfType<InfojobsPageFetched>().Select(p => p.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task Detects_the_page_base_and_reads_each_page_once(int pageBase)
    {
        _fake.PageBase = pageBase;
        _fake.AddGeneratedOffers(50);

        var events = await Fetch(Query(pageSize: 20));

        var lists = _fake.RequestsTo(FakeInfojobsEndpoint.List);
        Assert.Null(lists[0].Value("page"));
        Assert.Equal(new[] { pageBase + 1, pageBase + 2 }, lists.Skip(1).Select(r => int.Parse(r.Value("page")!)));
        Assert.Equal(new[] { pageBase, pageBase + 1, pageBase + 2 }, lists.Select(r => r.ServedPage!.Value));
        Assert.Equal(_fake.OfferIds(), Offers(events).Select(o => o.ProviderOfferId));
        Assert.Equal(new int?[] { pageBase, pageBase + 1, pageBase + 2 },
            events.OfType<InfojobsPageFetched>().Select(p => p.CurrentPage));
    }

    [Fact]
    public async Task Stops_when_the_server_answers_another_page_than_asked()
    {
        _fake.IgnorePage = true;
        _fake.AddGeneratedOffers(45);

        var events = await Fetch(Query(pageSize: 20));

        Assert.Equal(_fake.OfferIds().Take(20), Offers(events).Select(o => o.ProviderOfferId));
        var problem = Assert.Single(Problems(events));
        Assert.Equal(InfojobsErrors.BadResponse, problem.Error.ErrorId);
        Assert.Contains("asked for page 2 but the answer is page 1", problem.Error.Message);
        Assert.Equal("bad_response", _statistics.TruncationReason);
    }

    [Theory]
    [InlineData(100, 10, 3, 500, 30, 3, "max_pages")]
    [InlineData(100, 20, 10, 25, 25, 2, "max_offers")]
    [InlineData(40, 20, 2, 40, 40, 2, null)]
    public async Task Caps_the_fetch_and_records_why(int corpus, int pageSize, int maxPages, int maxOffers,
        int expectedOffers, int expectedPages, string? expectedReason)
    {
        _fake.AddGeneratedOffers(corpus);

        var events = await Fetch(Query(pageSize, maxPages, maxOffers));

        Assert.Equal(_fake.OfferIds().Take(expectedOffers), Offers(events).Select(o => o.ProviderOfferId));
        Assert.Equal(expectedPages, _fake.RequestsTo(FakeInfojobsEndpoint.List).Length);
        Assert.Equal(expectedOffers, _fake.RequestsTo(FakeInfojobsEndpoint.Detail).Length);
        Assert.Equal(expectedReason, _statistics.TruncationReason);
    }

    [Fact]
    public async Task Reads_the_older_items_array()
    {
        _fake.UseItemsArray = true;
        _fake.AddGeneratedOffers(25);

        var events = await Fetch(Query(pageSize: 20));

        Assert.Equal(_fake.OfferIds(), Offers(events).Select(o => o.ProviderOfferId));
    }

    [Fact]
    public async Task Encodes_accents_and_repeats_list_parameters()
    {
        var query = new InfojobsQuery
        {
            Text = "contabilidad inglés",
            Provinces = new[] { "madrid", "a-coruna" },
            Categories = new[] { "administracion-empresas", "finanzas-banca" },
            Since = new InfojobsSince(InfojobsSinceBucket.Last7Days),
            Order = "updated-desc",
            PageSize = 30,
        };

        await Fetch(query);

        var request = Assert.Single(_fake.RequestsTo(FakeInfojobsEndpoint.List));
        Assert.Equal("/api/9/offer", request.Path);
        Assert.Equal("q=contabilidad%20ingl%C3%A9s&province=madrid&province=a-coruna&category=administracion-empresas"
            + "&category=finanzas-banca&sinceDate=_7_DAYS&order=updated-desc&maxResults=30", request.RawQuery);
        Assert.Equal("contabilidad inglés", request.Value("q"));
        Assert.Equal(new[] { "madrid", "a-coruna" }, request.Values("province"));
    }

    [Fact]
    public async Task Sends_since_and_query_filters_the_server_applies()
    {
        var now = DateTimeOffset.UtcNow;
        _fake.AddOffer($$"""{"id":"recent","title":"Tesorería USD","creationDate":"{{now.AddHours(-2):yyyy-MM-dd'T'HH:mm:ss'.000+0000'}}"}""");
        _fake.AddOffer($$"""{"id":"old","title":"Tesorería USD","creationDate":"{{now.AddDays(-3):yyyy-MM-dd'T'HH:mm:ss'.000+0000'}}"}""");
        _fake.AddOffer($$"""{"id":"other","title":"Recepcionista","creationDate":"{{now.AddHours(-1):yyyy-MM-dd'T'HH:mm:ss'.000+0000'}}"}""");

        var events = await Fetch(Query() with
        {
            Text = "tesoreria",
            Since = InfojobsSince.FromDate(now.AddHours(-20), now),
        });

        Assert.Equal("_24_HOURS", _fake.RequestsTo(FakeInfojobsEndpoint.List)[0].Value("sinceDate"));
        Assert.Equal(new[] { "recent" }, Offers(events).Select(o => o.ProviderOfferId));
    }

    [Fact]
    public async Task Sends_the_exact_basic_authorization_on_every_request()
    {
        _fake.AddGeneratedOffers(3);

        await Fetch(Query());

        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("fake-client-id:fake-Secret-9f2c41"));
        Assert.Equal(4, _fake.Requests.Count);
        Assert.All(_fake.Requests, r => Assert.Equal(expected, r.Authorization));
    }

    [Fact]
    public async Task Retries_429_honouring_retry_after()
    {
        _fake.AddGeneratedOffers(5);
        _fake.RateLimitCount = 2;
        _fake.RetryAfterSeconds = 3;

        var events = await Fetch(Query());

        Assert.Equal(5, Offers(events).Count);
        Assert.Empty(Problems(events));
        Assert.Equal(new[] { TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3) }, _waits);
        Assert.Equal(2, _statistics.RateLimited);
        Assert.Equal(2, _statistics.Retries);
        Assert.Equal(8, _statistics.Requests);
    }

    [Fact]
    public async Task A_retry_after_of_zero_still_waits_the_base_delay_instead_of_retrying_in_a_burst()
    {
        _fake.AddGeneratedOffers(2);
        _fake.RateLimitCount = 3;
        _fake.RetryAfterSeconds = 0;

        var events = await Fetch(Query());

        Assert.Equal(2, Offers(events).Count);
        Assert.Equal(Enumerable.Repeat(TimeSpan.FromMilliseconds(100), 3), _waits);
    }

    [Fact]
    public async Task Credentials_read_with_a_carriage_return_or_spaces_around_them_still_authenticate()
    {
        _fake.AddGeneratedOffers(1);
        using var client = new InfojobsClient(
            new InfojobsCredentials(FakeInfojobsServer.DefaultClientId + "\r", " " + FakeInfojobsServer.DefaultClientSecret + "\r\n"),
            new InfojobsClientOptions { BaseUri = _fake.BaseUri });

        var events = await Fetch(Query(), client);

        Assert.Single(Offers(events));
        Assert.Equal(FakeInfojobsServer.DefaultClientId, new InfojobsCredentials(FakeInfojobsServer.DefaultClientId + "\r", "s").ClientId);
        // A secret of nothing but whitespace is no secret.
        Assert.Throws<ArgumentException>(() => new InfojobsCredentials("id", " \r "));
    }

    [Fact]
    public async Task Caps_a_long_retry_after_at_the_policy_maximum()
    {
        _fake.AddGeneratedOffers(1);
        _fake.RateLimitCount = 1;
        _fake.RetryAfterSeconds = 120;

        await Fetch(Query());

        Assert.Equal(new[] { TimeSpan.FromSeconds(5) }, _waits);
    }

    [Fact]
    public async Task Backs_off_exponentially_on_500_then_succeeds()
    {
        _fake.AddGeneratedOffers(4);
        _fake.ServerErrorCount = 2;
        _fake.RetryAfterSeconds = null;

        var events = await Fetch(Query());

        Assert.Equal(_fake.OfferIds(), Offers(events).Select(o => o.ProviderOfferId));
        Assert.Equal(new[] { TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200) }, _waits);
        Assert.Equal(2, _statistics.Retries);
        Assert.Null(_statistics.TruncationReason);
    }

    [Fact]
    public async Task Throws_authentication_failed_on_401_without_retrying_or_leaking_the_secret()
    {
        _fake.AddGeneratedOffers(3);
        using var client = Client(secret: "wrong-secret-123");

        var ex = await Assert.ThrowsAsync<JobSignalException>(() => Fetch(Query(), client));

        Assert.Equal(InfojobsErrors.AuthenticationFailed, ex.ErrorId);
        Assert.Equal(FailureKind.AuthenticationError, ex.Kind);
        Assert.Contains("401", ex.Message);
        Assert.Contains("fake-client-id", ex.Message);
        Assert.DoesNotContain("wrong-secret-123", ex.ToString());
        Assert.Single(_fake.Requests);
        Assert.Empty(_waits);
    }

    [Fact]
    public async Task Throws_authentication_failed_on_403()
    {
        _fake.AddGeneratedOffers(3);
        _fake.Forbidden = true;

        var ex = await Assert.ThrowsAsync<JobSignalException>(() => Fetch(Query()));

        Assert.Equal(InfojobsErrors.AuthenticationFailed, ex.ErrorId);
        Assert.Equal(FailureKind.PermissionDenied, ex.Kind);
        Assert.Contains("403", ex.Message);
    }

    /// <summary>From the <paramref name="after"/>+1st request to <paramref name="endpoint"/> on, every answer is a 429.</summary>
    private void RateLimitAfter(FakeInfojobsEndpoint endpoint, int after)
    {
        _fake.FaultEndpoint = endpoint;
        _fake.FaultsAfter = after;
        _fake.RateLimitCount = 1000;
    }

    /// <summary>The fetch ended on one RateLimited problem, its last event, and was counted as truncated by it.</summary>
    private InfojobsFetchProblem AssertStoppedByRateLimit(List<InfojobsFetchEvent> events)
    {
        var problem = Assert.Single(Problems(events));
        Assert.Same(problem, events[^1]);
        Assert.Equal(InfojobsErrors.RateLimited, problem.Error.ErrorId);
        Assert.Equal(FailureKind.LimitsExceeded, problem.Error.Kind);
        Assert.Equal("rate_limited", _statistics.TruncationReason);
        return problem;
    }

    [Fact]
    public async Task Stops_paging_on_a_429_storm_and_keeps_what_was_fetched()
    {
        _fake.AddGeneratedOffers(50);
        RateLimitAfter(FakeInfojobsEndpoint.List, 1);

        var events = await Fetch(Query(pageSize: 20));

        Assert.Equal(_fake.OfferIds().Take(20), Offers(events).Select(o => o.ProviderOfferId));
        AssertStoppedByRateLimit(events);
        Assert.Equal(3, _waits.Count);
        Assert.Equal(4, _statistics.RateLimited);
        Assert.Equal(5, _fake.RequestsTo(FakeInfojobsEndpoint.List).Length);
    }

    [Fact]
    public async Task Stops_the_whole_fetch_on_a_detail_still_rate_limited_after_its_retries()
    {
        _fake.AddGeneratedOffers(30);
        RateLimitAfter(FakeInfojobsEndpoint.Detail, 3); // three details come through, then every detail answers 429
        using var client = Client(concurrency: 1);

        var events = await Fetch(Query(pageSize: 10), client);

        var ids = _fake.OfferIds();
        Assert.Equal(ids.Take(3), Offers(events).Select(o => o.ProviderOfferId));
        var problem = AssertStoppedByRateLimit(events);
        Assert.Equal(ids[3], problem.Error.Target);
        Assert.Contains($"stopped at offer {ids[3]}", problem.Error.Message);
        // One offer's four attempts, not four for each of the 27 left: the details listed after it are not requested,
        // however far behind the consumer is (concurrency 1: the next one waited for the first to give up); no page
        // after the first is read.
        Assert.Equal(3 + 4, _fake.RequestsTo(FakeInfojobsEndpoint.Detail).Length);
        Assert.Equal(1, _statistics.Pages);
    }

    [Fact]
    public async Task A_detail_still_rate_limited_stops_the_details_listed_after_it_even_while_the_consumer_is_behind()
    {
        _fake.AddGeneratedOffers(30);
        RateLimitAfter(FakeInfojobsEndpoint.Detail, 3);
        using var client = Client(concurrency: 1);

        // A slow consumer (ingestion busy with a chunk): it reaches the stop long after the detail gave up.
        var events = new List<InfojobsFetchEvent>();
        await foreach (var e in client.FetchAsync(Query(pageSize: 10), _statistics))
        {
            events.Add(e);
            if (e is InfojobsOfferFetched) await Task.Delay(300);
        }

        AssertStoppedByRateLimit(events);
        Assert.Equal(3, Offers(events).Count);
        Assert.Equal(3 + 4, _fake.RequestsTo(FakeInfojobsEndpoint.Detail).Length);
    }

    [Fact]
    public async Task Reports_a_request_failure_when_the_server_never_answers_in_time()
    {
        _fake.AddGeneratedOffers(2);
        _fake.Latency = TimeSpan.FromSeconds(3);
        using var client = Client(maxRetries: 1, timeout: TimeSpan.FromMilliseconds(150));

        var events = await Fetch(Query(), client);

        var problem = Assert.Single(Problems(events));
        Assert.Equal(InfojobsErrors.RequestFailed, problem.Error.ErrorId);
        Assert.Contains("no answer within 0.15 s", problem.Error.Message);
        Assert.Empty(Offers(events));
        Assert.Equal(2, _statistics.Requests);
        Assert.Single(_waits);
        Assert.Equal("server_error", _statistics.TruncationReason);
    }

    [Fact]
    public async Task Reports_a_garbage_list_body_as_a_bad_response_with_a_snippet()
    {
        _fake.AddGeneratedOffers(5);
        _fake.GarbageCount = 1;

        var events = await Fetch(Query());

        var problem = Assert.Single(Problems(events));
        Assert.Equal(InfojobsErrors.BadResponse, problem.Error.ErrorId);
        Assert.Contains("<html><body><h1>Mantenimiento", problem.Error.Message);
        Assert.Empty(Offers(events));
        Assert.Equal("bad_response", _statistics.TruncationReason);
    }

    [Fact]
    public async Task Reports_a_list_answer_without_an_offers_array()
    {
        _fake.ListBodyOverride = """{"currentPage":1,"totalResults":0,"results":[]}""";

        var events = await Fetch(Query());

        var problem = Assert.Single(Problems(events));
        Assert.Equal(InfojobsErrors.BadResponse, problem.Error.ErrorId);
        Assert.Contains("no 'offers' or 'items' array", problem.Error.Message);
        Assert.Contains("\"results\"", problem.Error.Message);
    }

    [Fact]
    public async Task Reports_a_failed_detail_and_goes_on_with_the_others()
    {
        _fake.AddGeneratedOffers(6);
        _fake.FaultEndpoint = FakeInfojobsEndpoint.Detail;
        _fake.GarbageCount = 1;
        using var client = Client(concurrency: 1);

        var events = await Fetch(Query(), client);

        var ids = _fake.OfferIds();
        var problem = Assert.Single(Problems(events));
        Assert.Equal(InfojobsErrors.DetailFailed, problem.Error.ErrorId);
        Assert.Equal(ids[0], problem.Error.Target);
        Assert.Contains("not JSON", problem.Error.Message);
        Assert.Equal(ids.Skip(1), Offers(events).Select(o => o.ProviderOfferId));
        Assert.Null(_statistics.TruncationReason);
    }

    [Fact]
    public async Task Reports_a_detail_whose_text_is_not_utf8_and_goes_on_with_the_others()
    {
        _fake.AddGeneratedOffers(3);
        var ids = _fake.OfferIds();
        _fake.SetRawDetail(ids[1], [.. System.Text.Encoding.UTF8.GetBytes($"{{\"id\":\"{ids[1]}\",\"title\":\"Tesorer"), 0xED, .. "a\"}"u8]);
        using var client = Client(concurrency: 1);

        var events = await Fetch(Query(), client);

        var problem = Assert.Single(Problems(events));
        Assert.Equal((InfojobsErrors.DetailFailed, (object)ids[1]), (problem.Error.ErrorId, problem.Error.Target));
        Assert.Contains("A text value is not valid UTF-8 (was it saved in another encoding, such as Latin-1?)", problem.Error.Message);
        Assert.Equal([ids[0], ids[2]], Offers(events).Select(o => o.ProviderOfferId));
    }

    [Fact]
    public async Task Reports_a_detail_that_keeps_failing_with_500()
    {
        _fake.AddGeneratedOffers(3);
        _fake.FaultEndpoint = FakeInfojobsEndpoint.Detail;
        _fake.ServerErrorCount = 4;
        using var client = Client(concurrency: 1);

        var events = await Fetch(Query(), client);

        var problem = Assert.Single(Problems(events));
        Assert.Equal(InfojobsErrors.DetailFailed, problem.Error.ErrorId);
        Assert.Contains("500", problem.Error.Message);
        Assert.Equal(2, Offers(events).Count);
    }

    [Fact]
    public async Task Warns_about_a_detail_that_is_gone()
    {
        _fake.AddGeneratedOffers(5);
        var ids = _fake.OfferIds();
        _fake.SetMissing(ids[2]);

        var events = await Fetch(Query());

        var problem = Assert.Single(Problems(events));
        Assert.True(problem.IsWarning);
        Assert.Equal(InfojobsErrors.OfferNotFound, problem.Error.ErrorId);
        Assert.Equal(ids[2], problem.Error.Target);
        Assert.Same(problem, events.Where(e => e is not InfojobsPageFetched).ElementAt(2));
        Assert.Equal(ids.Where(id => id != ids[2]), Offers(events).Select(o => o.ProviderOfferId));
    }

    [Fact]
    public async Task Keeps_list_order_while_details_finish_out_of_order()
    {
        _fake.AddGeneratedOffers(40);
        _fake.DetailLatencySpread = TimeSpan.FromMilliseconds(60);

        var events = await Fetch(Query(pageSize: 15));

        Assert.Equal(_fake.OfferIds(), Offers(events).Select(o => o.ProviderOfferId));
        Assert.InRange(_fake.MaxConcurrentDetails, 2, 4);
    }

    [Fact]
    public async Task Emits_list_items_as_is_when_no_detail_is_needed()
    {
        _fake.AddGeneratedOffers(5);

        var events = await Fetch(Query(), needsDetail: _ => false);

        Assert.Empty(_fake.RequestsTo(FakeInfojobsEndpoint.Detail));
        Assert.All(events.OfType<InfojobsOfferFetched>(), e => Assert.False(e.IsDetail));
        Assert.All(Offers(events), o => Assert.Null(o.Description));
        Assert.All(Offers(events), o => Assert.NotNull(o.Title));
        Assert.Equal(0, _statistics.DetailsFetched);
    }

    [Fact]
    public async Task Stops_when_cancelled_and_records_it()
    {
        _fake.AddGeneratedOffers(60);
        _fake.Latency = TimeSpan.FromMilliseconds(20);
        using var cancellation = new CancellationTokenSource();
        using var client = Client();
        var offers = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var e in client.FetchAsync(Query(), _statistics, null, cancellation.Token))
                if (e is InfojobsOfferFetched && ++offers == 3) cancellation.Cancel();
        });

        Assert.Equal(3, offers);
        Assert.Equal("cancelled", _statistics.TruncationReason);
        Assert.True(_fake.Requests.Count < 61);
    }

    /// <summary>A client whose retry waits last until <paramref name="release"/> is set (or the fetch is cancelled).</summary>
    private InfojobsClient HeldClient(TaskCompletionSource release, int concurrency = 4) =>
        new(new InfojobsCredentials(FakeInfojobsServer.DefaultClientId, FakeInfojobsServer.DefaultClientSecret), new InfojobsClientOptions
        {
            BaseUri = _fake.BaseUri,
            DetailConcurrency = concurrency,
            RetryPolicy = new RetryPolicy(3, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30), jitter: 0,
                wait: (delay, cancellationToken) => { RecordWait(delay, cancellationToken); return release.Task.WaitAsync(cancellationToken); }),
        });

    /// <summary>Reads events until <paramref name="enough"/> holds; false when that took longer than a generous limit.</summary>
    private static async Task<bool> ReadUntil(IAsyncEnumerator<InfojobsFetchEvent> events, List<InfojobsFetchEvent> read,
        Func<List<InfojobsFetchEvent>, bool> enough)
    {
        var reading = Task.Run(async () =>
        {
            while (!enough(read) && await events.MoveNextAsync()) read.Add(events.Current);
        });
        return await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(20))) == reading && enough(read);
    }

    /// <summary>12 offers; the first answer for the second list page is a 429.</summary>
    private void SecondPageRateLimited(int? retryAfterSeconds)
    {
        _fake.AddGeneratedOffers(12);
        _fake.FaultEndpoint = FakeInfojobsEndpoint.List;
        _fake.FaultsAfter = 1;
        _fake.RateLimitCount = 1;
        _fake.RetryAfterSeconds = retryAfterSeconds;
    }

    [Fact]
    public async Task Emits_each_offer_as_soon_as_it_and_those_before_it_are_ready_while_the_next_page_backs_off()
    {
        SecondPageRateLimited(retryAfterSeconds: 10);
        var release = new TaskCompletionSource();
        using var client = HeldClient(release);
        await using var events = client.FetchAsync(Query(pageSize: 5), _statistics).GetAsyncEnumerator();
        var read = new List<InfojobsFetchEvent>();

        // Page 2 waits out its Retry-After (held here), and meanwhile page 1's offers come out, and its retry is told.
        Assert.True(await ReadUntil(events, read, r => Offers(r).Count == 5 && r.OfType<InfojobsRetrying>().Any()),
            $"read while page 2 backs off: {string.Join(", ", read.Select(e => e.GetType().Name))}");
        Assert.False(release.Task.IsCompleted);
        Assert.Equal(_fake.OfferIds().Take(5), Offers(read).Select(o => o.ProviderOfferId));
        var retrying = Assert.Single(read.OfType<InfojobsRetrying>());
        Assert.False(retrying.IsDetail);
        Assert.Equal("GET /api/9/offer?page=2&maxResults=5 failed (429 TooManyRequests): retry 1 of 3 in 10 s, as InfoJobs' Retry-After asked.",
            retrying.Notice.ToString());

        release.SetResult();
        while (await events.MoveNextAsync()) read.Add(events.Current);
        Assert.Equal(_fake.OfferIds(), Offers(read).Select(o => o.ProviderOfferId));
        Assert.Empty(Problems(read));
    }

    [Fact]
    public async Task A_slow_consumer_holds_paging_and_details_back_to_a_bounded_number_of_offers()
    {
        _fake.AddGeneratedOffers(120);
        using var client = Client(concurrency: 2);
        await using var events = client.FetchAsync(Query(pageSize: 50), _statistics).GetAsyncEnumerator();
        var read = new List<InfojobsFetchEvent>();

        Assert.True(await ReadUntil(events, read, r => Offers(r).Count == 1));
        await Task.Delay(500);

        // 2 x 4 queued, the one the consumer took and the one paging waits to queue: not the whole first page.
        Assert.InRange(_fake.RequestsTo(FakeInfojobsEndpoint.Detail).Length, 1, 10);
        Assert.Single(_fake.RequestsTo(FakeInfojobsEndpoint.List));
    }

    [Fact]
    public async Task A_403_on_a_later_page_ends_the_fetch_after_the_offers_listed_before_it()
    {
        _fake.AddGeneratedOffers(12);
        _fake.FaultEndpoint = FakeInfojobsEndpoint.List;
        _fake.FaultsAfter = 1;
        _fake.ForbiddenCount = 1;
        using var client = Client();
        var read = new List<InfojobsFetchEvent>();

        var ex = await Assert.ThrowsAsync<JobSignalException>(async () =>
        {
            await foreach (var e in client.FetchAsync(Query(pageSize: 5), _statistics)) read.Add(e);
        });

        Assert.Equal(InfojobsErrors.AuthenticationFailed, ex.ErrorId);
        Assert.Equal(_fake.OfferIds().Take(5), Offers(read).Select(o => o.ProviderOfferId));
        Assert.Equal(5, _statistics.DetailsFetched);
        Assert.Equal("authentication_failed", _statistics.TruncationReason);
    }

    [Fact]
    public async Task Tells_each_retry_with_its_request_status_and_wait_as_it_happens()
    {
        _fake.AddGeneratedOffers(2);
        var ids = _fake.OfferIds();
        _fake.FaultEndpoint = FakeInfojobsEndpoint.Detail;
        _fake.ServerErrorCount = 1;
        _fake.RetryAfterSeconds = null;
        using var client = Client(concurrency: 1);

        var events = await Fetch(Query(), client);

        var retrying = Assert.Single(events.OfType<InfojobsRetrying>());
        Assert.True(retrying.IsDetail);
        Assert.Equal($"GET /api/7/offer/{ids[0]} failed (500 InternalServerError): retry 1 of 3 in 0.1 s.", retrying.Notice.ToString());
        Assert.Equal($"Waiting 0.1 s (500 InternalServerError) before retry 1 of 3: GET /api/7/offer/{ids[0]}", retrying.Notice.Waiting);
        // Told before the offer it held up.
        Assert.True(events.IndexOf(retrying) < events.FindIndex(e => e is InfojobsOfferFetched));
        Assert.Equal(ids, Offers(events).Select(o => o.ProviderOfferId));
    }

    [Fact]
    public async Task A_detail_answered_for_another_offer_is_an_error_naming_both_and_is_not_emitted()
    {
        _fake.AddGeneratedOffers(3);
        var ids = _fake.OfferIds();
        _fake.SetRawDetail(ids[1], Encoding.UTF8.GetBytes("""{"id":"OTHER","title":"Another vacancy","description":"x"}"""));

        var events = await Fetch(Query());

        var problem = Assert.Single(Problems(events));
        Assert.False(problem.IsWarning);
        Assert.Equal((InfojobsErrors.DetailMismatch, FailureKind.InvalidData, (object?)ids[1]),
            (problem.Error.ErrorId, problem.Error.Kind, problem.Error.Target));
        Assert.Equal($"InfoJobs answered GET /api/7/offer/{ids[1]} with the detail of offer OTHER, not of offer {ids[1]}: "
            + $"the answer was not used, and offer {ids[1]} is missing from the output.", problem.Error.Message);
        Assert.StartsWith("Check -BaseUri", problem.Error.RecommendedAction);
        Assert.Equal([ids[0], ids[2]], Offers(events).Select(o => o.ProviderOfferId));
        // In its place in list order.
        Assert.Same(problem, events.Where(e => e is InfojobsOfferFetched or InfojobsFetchProblem).ElementAt(1));
    }

    [Fact]
    public async Task Unreadable_list_entries_are_errors_named_by_their_place_or_id_with_what_to_do()
    {
        var latin1 = Encoding.UTF8.GetBytes("""{"currentPage":1,"totalPages":1,"offers":[1,"x",null,{"id":{"a":1},"title":"T"},{"id":"","title":"T"},""")
            .Concat(Encoding.UTF8.GetBytes("""{"id":"lat1","title":"Tesorer""")).Append((byte)0xED).Concat(Encoding.UTF8.GetBytes("""a"}]}""")).ToArray();
        _fake.ListRawBodyOverride = latin1;

        var events = await Fetch(Query(), needsDetail: _ => false);

        Assert.Empty(Offers(events));
        var problems = Problems(events);
        Assert.All(problems, p => Assert.Equal((InfojobsErrors.BadResponse, false), (p.Error.ErrorId, p.IsWarning)));
        Assert.All(problems, p => Assert.StartsWith("Check -BaseUri", p.Error.RecommendedAction));
        Assert.Equal(new object?[] { "page 1, offer 1 of 6", "page 1, offer 2 of 6", "page 1, offer 3 of 6", "page 1, offer 4 of 6", "page 1, offer 5 of 6", "lat1" },
            problems.Select(p => p.Error.Target));
        Assert.Equal("InfoJobs listed an unreadable offer (page 1, offer 4 of 6): Its id is an object, not a text or a number. It was skipped; the other offers were read.",
            problems[3].Error.Message);
        Assert.Contains("Its id is blank.", problems[4].Error.Message);
        Assert.Contains("not valid UTF-8", problems[5].Error.Message);
    }

    [Fact]
    public async Task Stops_promptly_when_cancelled_during_a_long_back_off_after_emitting_what_was_ready()
    {
        SecondPageRateLimited(retryAfterSeconds: 0);
        var release = new TaskCompletionSource(); // never set: only cancellation ends the wait
        using var client = HeldClient(release);
        using var cancellation = new CancellationTokenSource();
        var read = new List<InfojobsFetchEvent>();
        await using var events = client.FetchAsync(Query(pageSize: 5), _statistics, null, cancellation.Token).GetAsyncEnumerator();
        Assert.True(await ReadUntil(events, read, r => Offers(r).Count == 5 && r.OfType<InfojobsRetrying>().Any()));

        var next = events.MoveNextAsync().AsTask();
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal("cancelled", _statistics.TruncationReason);
    }
}

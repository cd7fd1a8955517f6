using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace JobSignal.TestFakes;

/// <summary>Which InfoJobs endpoint a request hit (and which ones faults apply to).</summary>
public enum FakeInfojobsEndpoint
{
    Any,
    List,
    Detail,
    Other,
}

/// <summary>One request as the fake saw it, with what it answered.</summary>
public sealed record FakeInfojobsRequest(FakeInfojobsEndpoint Endpoint, string Path, string RawQuery,
    IReadOnlyList<KeyValuePair<string, string>> Parameters, string? Authorization, int StatusCode, int? ServedPage,
    string? OfferId)
{
    /// <summary>Every value of a query parameter, in request order (repeatable parameters).</summary>
    public string[] Values(string name) =>
        Parameters.Where(p => p.Key == name).Select(p => p.Value).ToArray();

    public string? Value(string name) => Values(name).FirstOrDefault();
}

/// <summary>
/// A loopback InfoJobs API over a corpus of detail-shaped offers: <c>GET /api/9/offer</c> (list items derived from
/// the details, q/province/category/sinceDate filters, maxResults, paging from <see cref="PageBase"/>) and
/// <c>GET /api/7/offer/{id}</c>, both behind HTTP Basic auth. Faults are switched on by properties and consumed
/// request by request; every request is recorded. Independent of JobSignal.Core; Pester loads it with Add-Type.
/// </summary>
public sealed class FakeInfojobsServer : LoopbackServer
{
    public const string DefaultClientId = "fake-client-id";
    public const string DefaultClientSecret = "fake-Secret-9f2c41";
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 50;

    private static readonly Dictionary<string, TimeSpan?> SinceWindows = new(StringComparer.Ordinal)
    {
        ["_24_HOURS"] = TimeSpan.FromHours(24),
        ["_7_DAYS"] = TimeSpan.FromDays(7),
        ["_15_DAYS"] = TimeSpan.FromDays(15),
        ["ANY"] = null,
    };

    private readonly object _lock = new();
    private readonly List<CorpusEntry> _corpus = new();
    private readonly List<FakeInfojobsRequest> _requests = new();
    private readonly HashSet<string> _missingOfferIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _rawDetails = new(StringComparer.Ordinal);
    private int _faultableSeen;
    private int _detailsInFlight;
    private int _maxDetailsInFlight;

    public FakeInfojobsServer() : this(DefaultClientId, DefaultClientSecret) { }

    public FakeInfojobsServer(string clientId, string clientSecret)
    {
        ClientId = clientId;
        ClientSecret = clientSecret;
    }

    public string ClientId { get; set; }
    public string ClientSecret { get; set; }

    /// <summary>The number of the first page (InfoJobs documents 1). A page below it is answered with the first page.</summary>
    public int PageBase { get; set; } = 1;

    /// <summary>Answer with the older <c>items</c> array name instead of <c>offers</c>.</summary>
    public bool UseItemsArray { get; set; }

    /// <summary>Ignore the <c>page</c> parameter and always answer the first page (a broken server or proxy).</summary>
    public bool IgnorePage { get; set; }

    /// <summary>When set, every list request is answered 200 with this body (e.g. JSON without an offers array).</summary>
    public string? ListBodyOverride { get; set; }

    /// <summary>When set, every list request is answered 200 with these bytes (text in another encoding, say).</summary>
    public byte[]? ListRawBodyOverride { get; set; }

    /// <summary>Answer 403 to correctly authenticated requests (an application without API access).</summary>
    public bool Forbidden { get; set; }

    /// <summary>Delay before every answer.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Extra delay per detail, between 0 and this, fixed per offer id, so details finish out of order.</summary>
    public TimeSpan DetailLatencySpread { get; set; }

    /// <summary>The clock used by sinceDate filtering; null = the real UTC time.</summary>
    public DateTimeOffset? Now { get; set; }

    /// <summary>The next N faultable requests answer 429 Too Many Requests.</summary>
    public int RateLimitCount { get; set; }

    /// <summary>The next N faultable requests answer 500 Internal Server Error.</summary>
    public int ServerErrorCount { get; set; }

    /// <summary>The next N faultable requests answer 200 with an HTML body.</summary>
    public int GarbageCount { get; set; }

    /// <summary>The next N faultable requests answer 403 (access revoked midway through a fetch).</summary>
    public int ForbiddenCount { get; set; }

    /// <summary>Retry-After (seconds) sent with 429 and 500 fault answers; null sends none.</summary>
    public int? RetryAfterSeconds { get; set; } = 0;

    /// <summary>Which requests faults apply to.</summary>
    public FakeInfojobsEndpoint FaultEndpoint { get; set; } = FakeInfojobsEndpoint.Any;

    /// <summary>This many faultable requests are answered normally before faults start.</summary>
    public int FaultsAfter { get; set; }

    /// <summary>List requests whose <c>q</c> is this text always answer 500 (one failing query among several).</summary>
    public string? FailingQuery { get; set; }

    /// <summary>Forgets the requests recorded so far (to assert on the next run only).</summary>
    public void ClearRequests()
    {
        lock (_lock) _requests.Clear();
    }

    public IReadOnlyList<FakeInfojobsRequest> Requests
    {
        get { lock (_lock) return _requests.ToArray(); }
    }

    public FakeInfojobsRequest[] RequestsTo(FakeInfojobsEndpoint endpoint) =>
        Requests.Where(r => endpoint == FakeInfojobsEndpoint.Any || r.Endpoint == endpoint).ToArray();

    /// <summary>The most detail requests that were being answered at the same time.</summary>
    public int MaxConcurrentDetails => Volatile.Read(ref _maxDetailsInFlight);

    /// <summary>The Authorization header a correct client sends.</summary>
    public string ExpectedAuthorization =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(ClientId + ":" + ClientSecret));

    /// <summary>Adds one detail-shaped offer (a JSON object with at least an <c>id</c>).</summary>
    public void AddOffer(string detailJson)
    {
        var entry = CorpusEntry.From(detailJson);
        lock (_lock) _corpus.Add(entry);
    }

    public void AddOffers(IEnumerable<string> detailJsons)
    {
        foreach (var json in detailJsons) AddOffer(json);
    }

    /// <summary>Adds every non-blank line of a JSON Lines file of details.</summary>
    public void AddOffersFromJsonLines(string path) =>
        AddOffers(File.ReadLines(path).Where(l => !string.IsNullOrWhiteSpace(l)));

    /// <summary>Adds <paramref name="count"/> generated offers dated up to <paramref name="anchor"/> (default: now).</summary>
    public void AddGeneratedOffers(int count, DateTimeOffset? anchor = null) =>
        AddOffers(InfojobsSampleCorpus.Generate(count, InfojobsSampleCorpus.DefaultSeed, anchor ?? DateTimeOffset.UtcNow));

    /// <summary>Serves these bytes as the detail of an offer already listed (text in another encoding, say).</summary>
    public void SetRawDetail(string offerId, byte[] body)
    {
        lock (_lock) _rawDetails[offerId] = body;
    }

    /// <summary>The detail of these offers answers 404 (they stay in the list).</summary>
    public void SetMissing(params string[] offerIds)
    {
        lock (_lock) _missingOfferIds.UnionWith(offerIds);
    }

    /// <summary>The ids of the corpus, in list order.</summary>
    public string[] OfferIds()
    {
        lock (_lock) return _corpus.Select(e => e.Id).ToArray();
    }

    protected override async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var rawUrl = request.RawUrl ?? "/";
        var queryStart = rawUrl.IndexOf('?');
        var path = queryStart < 0 ? rawUrl : rawUrl[..queryStart];
        var rawQuery = queryStart < 0 ? "" : rawUrl[(queryStart + 1)..];
        var parameters = ParseQuery(rawQuery);
        var authorization = request.Headers["Authorization"];
        var (endpoint, offerId) = Route(request.HttpMethod, path);

        var isDetail = endpoint == FakeInfojobsEndpoint.Detail;
        if (isDetail) TrackDetailStart();
        FakeAnswer answer;
        try
        {
            if (Latency > TimeSpan.Zero) await Task.Delay(Latency).ConfigureAwait(false);
            if (isDetail && DetailLatencySpread > TimeSpan.Zero) await Task.Delay(SpreadFor(offerId!)).ConfigureAwait(false);
            answer = Answer(endpoint, offerId, parameters, authorization);
        }
        finally
        {
            if (isDetail) Interlocked.Decrement(ref _detailsInFlight);
        }
        lock (_lock)
            _requests.Add(new FakeInfojobsRequest(endpoint, path, rawQuery, parameters, authorization, answer.Status,
                answer.ServedPage, offerId));

        var response = context.Response;
        response.StatusCode = answer.Status;
        response.ContentType = answer.ContentType;
        if (answer.RetryAfter is { } retryAfter) response.AddHeader("Retry-After", retryAfter.ToString(CultureInfo.InvariantCulture));
        if (answer.Status == 401) response.AddHeader("WWW-Authenticate", "Basic realm=\"InfoJobs API\"");
        var bytes = answer.RawBody ?? Encoding.UTF8.GetBytes(answer.Body);
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
    }

    private void TrackDetailStart()
    {
        var now = Interlocked.Increment(ref _detailsInFlight);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxDetailsInFlight))
            && Interlocked.CompareExchange(ref _maxDetailsInFlight, now, seen) != seen) { }
    }

    private sealed record FakeAnswer(int Status, string Body, string ContentType = "application/json; charset=utf-8",
        int? RetryAfter = null, int? ServedPage = null, byte[]? RawBody = null);

    private FakeAnswer Answer(FakeInfojobsEndpoint endpoint, string? offerId,
        IReadOnlyList<KeyValuePair<string, string>> parameters, string? authorization)
    {
        if (!string.Equals(authorization, ExpectedAuthorization, StringComparison.Ordinal))
            return Error(401, "Invalid client credentials");
        if (Forbidden) return Error(403, "Client not allowed to use this API");
        if (NextFault(endpoint) is { } fault) return fault;
        if (endpoint == FakeInfojobsEndpoint.List && FailingQuery is not null
            && parameters.Any(p => p.Key == "q" && p.Value == FailingQuery))
            return Error(500, "Internal server error") with { RetryAfter = RetryAfterSeconds };
        return endpoint switch
        {
            FakeInfojobsEndpoint.List => ListAnswer(parameters),
            FakeInfojobsEndpoint.Detail => DetailAnswer(offerId!),
            _ => Error(404, "No such endpoint"),
        };
    }

    private FakeAnswer? NextFault(FakeInfojobsEndpoint endpoint)
    {
        if (endpoint == FakeInfojobsEndpoint.Other) return null;
        if (FaultEndpoint != FakeInfojobsEndpoint.Any && FaultEndpoint != endpoint) return null;
        lock (_lock)
        {
            if (++_faultableSeen <= FaultsAfter) return null;
            if (RateLimitCount > 0)
            {
                RateLimitCount--;
                return Error(429, "Too many requests") with { RetryAfter = RetryAfterSeconds };
            }
            if (ServerErrorCount > 0)
            {
                ServerErrorCount--;
                return Error(500, "Internal server error") with { RetryAfter = RetryAfterSeconds };
            }
            if (ForbiddenCount > 0)
            {
                ForbiddenCount--;
                return Error(403, "Client not allowed to use this API");
            }
            if (GarbageCount > 0)
            {
                GarbageCount--;
                return new FakeAnswer(200, "<html><body><h1>Mantenimiento</h1>Volvemos enseguida.</body></html>",
                    "text/html; charset=utf-8");
            }
        }
        return null;
    }

    private FakeAnswer ListAnswer(IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        if (ListRawBodyOverride is { } raw) return new FakeAnswer(200, "", RawBody: raw);
        if (ListBodyOverride is { } overridden) return new FakeAnswer(200, overridden);
        string? Single(string name) => parameters.LastOrDefault(p => p.Key == name).Value;
        string[] All(string name) => parameters.Where(p => p.Key == name).Select(p => p.Value).ToArray();

        var pageSize = DefaultPageSize;
        if (Single("maxResults") is { } max && (!int.TryParse(max, out pageSize) || pageSize is < 1 or > MaxPageSize))
            return Error(400, $"maxResults must be between 1 and {MaxPageSize}");
        var page = PageBase;
        if (!IgnorePage && Single("page") is { } pageText && !int.TryParse(pageText, out page))
            return Error(400, "page must be a number");
        // Like a server that counts from 1 and reads page=0 as "the first page": the audited client's double fetch.
        if (page < PageBase) page = PageBase;
        TimeSpan? window = null;
        if (Single("sinceDate") is { } since && !SinceWindows.TryGetValue(since, out window))
            return Error(400, "sinceDate must be one of " + string.Join(", ", SinceWindows.Keys));

        var now = Now ?? DateTimeOffset.UtcNow;
        var terms = (Single("q") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Fold).ToArray();
        var provinces = All("province").Select(Fold).ToHashSet();
        var categories = All("category").Select(Fold).ToHashSet();
        List<CorpusEntry> matches;
        lock (_lock)
            matches = _corpus.Where(e =>
                    terms.All(t => e.SearchText.Contains(t, StringComparison.Ordinal))
                    && (provinces.Count == 0 || provinces.Contains(e.ProvinceKey))
                    && (categories.Count == 0 || categories.Contains(e.CategoryKey))
                    && (window is null || (e.Updated is { } u && u >= now - window.Value)))
                .ToList();

        var totalPages = (matches.Count + pageSize - 1) / pageSize;
        var items = matches.Skip((page - PageBase) * pageSize).Take(pageSize).Select(e => JsonNode.Parse(e.ListItemJson)).ToArray();
        var body = new JsonObject
        {
            ["currentPage"] = page,
            ["pageSize"] = pageSize,
            ["totalResults"] = matches.Count,
            ["currentResults"] = items.Length,
            ["totalPages"] = totalPages,
            [UseItemsArray ? "items" : "offers"] = new JsonArray(items),
        };
        return new FakeAnswer(200, body.ToJsonString(), ServedPage: page);
    }

    private FakeAnswer DetailAnswer(string offerId)
    {
        CorpusEntry? entry;
        lock (_lock)
            entry = _missingOfferIds.Contains(offerId) ? null : _corpus.FirstOrDefault(e => e.Id == offerId);
        if (entry is null) return Error(404, $"Offer {offerId} not found");
        lock (_lock)
            return _rawDetails.TryGetValue(offerId, out var raw) ? new FakeAnswer(200, "", RawBody: raw) : new FakeAnswer(200, entry.DetailJson);
    }

    private static FakeAnswer Error(int status, string message) =>
        new(status, new JsonObject { ["error"] = status.ToString(CultureInfo.InvariantCulture), ["error_description"] = message }.ToJsonString());

    private static (FakeInfojobsEndpoint, string?) Route(string method, string path)
    {
        if (method != "GET") return (FakeInfojobsEndpoint.Other, null);
        if (path.TrimEnd('/') == "/api/9/offer") return (FakeInfojobsEndpoint.List, null);
        const string detailPrefix = "/api/7/offer/";
        if (path.StartsWith(detailPrefix, StringComparison.Ordinal) && path.Length > detailPrefix.Length)
            return (FakeInfojobsEndpoint.Detail, Uri.UnescapeDataString(path[detailPrefix.Length..]));
        return (FakeInfojobsEndpoint.Other, null);
    }

    private TimeSpan SpreadFor(string offerId)
    {
        var hash = offerId.Aggregate(17, (h, c) => unchecked(h * 31 + c)) & 0x7fffffff;
        return TimeSpan.FromTicks(DetailLatencySpread.Ticks * (hash % 10) / 9);
    }

    private static List<KeyValuePair<string, string>> ParseQuery(string rawQuery) =>
        rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var eq = pair.IndexOf('=');
                var key = eq < 0 ? pair : pair[..eq];
                var value = eq < 0 ? "" : pair[(eq + 1)..];
                return new KeyValuePair<string, string>(Unescape(key), Unescape(value));
            })
            .ToList();

    private static string Unescape(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    /// <summary>Lowercase without diacritics, spaces as dashes: how InfoJobs keys look ("castellon", "a-coruna").</summary>
    internal static string Fold(string text)
    {
        var decomposed = text.Trim().ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var kept = decomposed.Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark);
        return new string(kept.Select(c => c == ' ' ? '-' : c).ToArray());
    }

    /// <summary>A corpus offer, parsed once so that concurrent requests only read immutable strings.</summary>
    private sealed record CorpusEntry(string Id, string DetailJson, string ListItemJson, string SearchText,
        string ProvinceKey, string CategoryKey, DateTimeOffset? Updated)
    {
        public static CorpusEntry From(string detailJson)
        {
            var detail = JsonNode.Parse(detailJson) as JsonObject
                ?? throw new ArgumentException("An offer must be a JSON object.", nameof(detailJson));
            var id = detail["id"]?.ToString();
            if (string.IsNullOrEmpty(id)) throw new ArgumentException("An offer needs an id.", nameof(detailJson));
            string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
            string DictionaryValue(string name) => Text(detail[name]?["value"]);
            var profile = detail["profile"] as JsonObject;
            var updated = ParseDate(Text(detail["updateDate"])) ?? ParseDate(Text(detail["creationDate"]));
            return new CorpusEntry(id, detail.ToJsonString(), ListItem(detail, id).ToJsonString(),
                Fold(string.Join(' ', Text(detail["title"]), Text(detail["description"]), Text(profile?["name"]))),
                Fold(DictionaryValue("province")), Fold(DictionaryValue("category")), updated);
        }

        private static DateTimeOffset? ParseDate(string text)
        {
            // InfoJobs writes offsets as "+0000"; .NET reads "+00:00".
            var normalized = text.Length > 5 && text[^5] is '+' or '-' ? text[..^2] + ":" + text[^2..] : text;
            return DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal,
                out var value) ? value : null;
        }

        /// <summary>The list endpoint's shape of an offer (v9 field names; no description).</summary>
        private static JsonObject ListItem(JsonObject detail, string id)
        {
            JsonNode? Copy(string name) => detail[name]?.DeepClone();
            JsonNode EmptyItem() => new JsonObject { ["id"] = 0, ["value"] = "" };
            JsonNode PayItem(string name) => detail[name] is JsonObject pay
                ? new JsonObject { ["id"] = pay["amountId"]?.DeepClone() ?? 0, ["value"] = pay["amountValue"]?.DeepClone() ?? "" }
                : EmptyItem();
            var profile = detail["profile"] as JsonObject;
            var item = new JsonObject
            {
                ["id"] = id,
                ["title"] = Copy("title"),
                ["province"] = Copy("province"),
                ["city"] = Copy("city"),
                ["link"] = Copy("link"),
                ["category"] = Copy("category"),
                ["contractType"] = Copy("contractType"),
                ["subcategory"] = Copy("subcategory"),
                ["salaryMin"] = PayItem("minPay"),
                ["salaryMax"] = PayItem("maxPay"),
                ["salaryPeriod"] = detail["minPay"] is JsonObject minPay
                    ? new JsonObject { ["id"] = minPay["periodId"]?.DeepClone() ?? 0, ["value"] = minPay["periodValue"]?.DeepClone() ?? "" }
                    : EmptyItem(),
                ["experienceMin"] = Copy("experienceMin"),
                ["workDay"] = Copy("journey"),
                ["study"] = Copy("studiesMin"),
                ["teleworking"] = Copy("teleworking"),
                ["published"] = Copy("creationDate"),
                ["updated"] = Copy("updateDate"),
                ["author"] = profile is null ? null : new JsonObject
                {
                    ["id"] = profile["id"]?.DeepClone(),
                    ["name"] = profile["name"]?.DeepClone(),
                    ["uri"] = "https://www.infojobs.net/empresa/em-i" + profile["id"],
                },
                ["requirementMin"] = Copy("minRequirements"),
                ["bold"] = false,
                ["urgent"] = false,
                // The list sends the count as a string; the detail as a number.
                ["applications"] = detail["applications"]?.ToString() ?? "0",
                ["salaryDescription"] = Copy("salaryDescription"),
            };
            return item;
        }
    }
}

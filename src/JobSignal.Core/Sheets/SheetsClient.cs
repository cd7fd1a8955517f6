using System.Net;
using System.Text;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Responses;
using Google.Apis.Http;
using Google.Apis.Json;
using JobSignal.Core.Common;
using Newtonsoft.Json;

namespace JobSignal.Core.Sheets;

/// <summary>How a <see cref="SheetsClient"/> reaches Google and how long it keeps trying.</summary>
public sealed record SheetsClientOptions
{
    public static readonly Uri DefaultBaseUri = new("https://sheets.googleapis.com/");

    /// <summary>The Sheets API root; tests and emulators point it at loopback.</summary>
    public Uri BaseUri { get; init; } = DefaultBaseUri;

    /// <summary>Back-off for rate limits (429), server errors (5xx) and network failures; Retry-After is honoured.</summary>
    public RetryPolicy RetryPolicy { get; init; } =
        new(maxRetries: 5, baseDelay: TimeSpan.FromSeconds(1), maxDelay: TimeSpan.FromSeconds(64));

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(100);
}

/// <summary>How values.batchGet renders cells.</summary>
public enum SheetValueRender
{
    /// <summary>Formulas as their text, numbers and dates unformatted (serial numbers): what the sync compares.</summary>
    Formula,
    /// <summary>Computed values, unformatted (numbers as numbers, dates as serial numbers): for ids and dropdown values.</summary>
    UnformattedValue,
    /// <summary>
    /// Each cell's text as the rep sees it, number formats applied (a date typed in the cell as typed, 50% as "50%"):
    /// for free text, which must not come back as the number Google parsed it into.
    /// </summary>
    FormattedValue,
}

/// <summary>How Sheets reads values the client writes.</summary>
public enum SheetValueInput
{
    /// <summary>As if typed: formulas run, a leading apostrophe keeps text literal.</summary>
    UserEntered,
    /// <summary>Stored exactly as sent.</summary>
    Raw,
}

/// <summary>
/// A small typed client for the Sheets v4 REST API on Google's HTTP stack (ConfigurableHttpClient, with the
/// service-account credential attaching and refreshing the bearer token) and Google's Newtonsoft serializer.
/// Google's own back-off is not installed (it retries only 503, and would retry appends blindly); this client
/// retries rate limits, server errors and network failures itself with <see cref="RetryPolicy"/>, honouring
/// Retry-After, except for appends, which are never retried: the caller reconciles them. Every request is counted.
/// </summary>
public sealed class SheetsClient : IDisposable
{
    private static readonly HashSet<int> TransientStatuses = [408, 429, 500, 502, 503, 504];

    private readonly ConfigurableHttpClient _http;
    private readonly SheetsClientOptions _options;
    private readonly NewtonsoftJsonSerializer _json;
    private readonly Uri _baseUri;
    private readonly ITokenAccess? _tokens;
    private readonly string _tokenHost;

    internal SheetsClient(IConfigurableHttpClientInitializer credential, string principal, SheetsClientOptions? options,
        Uri? tokenUri = null)
    {
        _options = options ?? new SheetsClientOptions();
        _tokens = credential as ITokenAccess;
        _tokenHost = tokenUri?.Authority ?? "the Google token endpoint";
        // Relative paths resolve under the base only when it ends with a slash (http://host/emulator/).
        _baseUri = _options.BaseUri.AbsoluteUri.EndsWith('/') ? _options.BaseUri : new Uri(_options.BaseUri.AbsoluteUri + "/");
        Principal = principal;
        _http = new HttpClientFactory().CreateHttpClient(new CreateHttpClientArgs
        {
            ApplicationName = "JobSignal",
            GZipEnabled = true,
            Initializers = { credential },
        });
        _http.Timeout = _options.Timeout;
        var settings = NewtonsoftJsonSerializer.CreateDefaultSettings();
        settings.NullValueHandling = NullValueHandling.Ignore;
        // Cell text such as "2024-05-01" must stay text, not become a DateTime.
        settings.DateParseHandling = DateParseHandling.None;
        _json = new NewtonsoftJsonSerializer(settings);
    }

    /// <summary>A client authenticated as the service account of a JSON key file (its token_uri is honoured).</summary>
    public static SheetsClient FromServiceAccountKeyFile(string keyFilePath, SheetsClientOptions? options = null)
    {
        var (credential, email, tokenUri) = ServiceAccountKey.Load(keyFilePath);
        return new SheetsClient(credential, email, options, tokenUri);
    }

    /// <summary>Who the client acts as (the service account's e-mail): the address the Sheet must be shared with.</summary>
    public string Principal { get; }

    public SheetsCallStatistics Statistics { get; } = new();

    public RetryPolicy RetryPolicy => _options.RetryPolicy;

    /// <summary>
    /// Hears each retry before its wait: the call, why (ErrorId and status, never Google's text nor any key material),
    /// which retry of how many and how long the wait is (for -Verbose). Raised on the thread that runs the call.
    /// </summary>
    public event Action<RetryNotice>? Retrying;

    /// <summary>spreadsheets.get, tab properties only (titles, ids, grid sizes, frozen rows).</summary>
    public Task<Spreadsheet> GetSpreadsheetAsync(string spreadsheetId, CancellationToken cancellationToken = default) =>
        SendAsync<Spreadsheet>(SheetsCallKind.GetSpreadsheet, spreadsheetId, HttpMethod.Get,
            $"v4/spreadsheets/{Escape(spreadsheetId)}?fields=spreadsheetId,sheets.properties", null, true, cancellationToken);

    /// <summary>
    /// spreadsheets.batchUpdate: all requests apply atomically. Retried on transient failures unless it adds a tab
    /// (a retried addSheet that had landed would fail; the caller re-reads the tabs instead).
    /// </summary>
    public Task<BatchUpdateSpreadsheetResponse> BatchUpdateAsync(string spreadsheetId, IReadOnlyList<SheetRequest> requests,
        CancellationToken cancellationToken = default) =>
        SendAsync<BatchUpdateSpreadsheetResponse>(SheetsCallKind.BatchUpdate, spreadsheetId, HttpMethod.Post,
            $"v4/spreadsheets/{Escape(spreadsheetId)}:batchUpdate",
            new BatchUpdateSpreadsheetMessage { Requests = requests.ToList() },
            retryTransient: requests.All(r => r.AddSheet is null), cancellationToken);

    /// <summary>values.batchGet: one <see cref="SheetState"/> per range, rows by row, in the order asked.</summary>
    public async Task<IReadOnlyList<SheetState>> BatchGetValuesAsync(string spreadsheetId, IReadOnlyList<string> ranges,
        SheetValueRender render = SheetValueRender.Formula, CancellationToken cancellationToken = default)
    {
        var query = string.Concat(ranges.Select(r => "ranges=" + Escape(r) + "&"))
                    + "majorDimension=ROWS&dateTimeRenderOption=SERIAL_NUMBER&valueRenderOption="
                    + render switch
                    {
                        SheetValueRender.Formula => "FORMULA",
                        SheetValueRender.FormattedValue => "FORMATTED_VALUE",
                        _ => "UNFORMATTED_VALUE",
                    };
        var answer = await SendAsync<BatchGetValuesMessage>(SheetsCallKind.ValuesBatchGet, spreadsheetId, HttpMethod.Get,
            $"v4/spreadsheets/{Escape(spreadsheetId)}/values:batchGet?{query}", null, true, cancellationToken)
            .ConfigureAwait(false);
        var got = answer.ValueRanges ?? [];
        if (got.Count != ranges.Count)
            throw InvalidResponse(SheetsCallKind.ValuesBatchGet, spreadsheetId, $"it returned {got.Count} ranges for {ranges.Count} asked");
        return got.Select(r => new SheetState((r.Values ?? [])
            .Select(row => (IReadOnlyList<object?>)(row ?? []).Select(Normalize).ToArray()).ToArray())).ToArray();
    }

    /// <summary>
    /// values.batchUpdate: writes every range in one request; retried on transient failures (idempotent) unless
    /// <paramref name="retryTransient"/> is false: a caller whose ranges must be checked before each attempt retries itself.
    /// </summary>
    public Task<BatchUpdateValuesResponse> BatchUpdateValuesAsync(string spreadsheetId, IReadOnlyList<SheetValueRange> data,
        SheetValueInput input = SheetValueInput.UserEntered, CancellationToken cancellationToken = default,
        bool retryTransient = true) =>
        SendAsync<BatchUpdateValuesResponse>(SheetsCallKind.ValuesBatchUpdate, spreadsheetId, HttpMethod.Post,
            $"v4/spreadsheets/{Escape(spreadsheetId)}/values:batchUpdate",
            new BatchUpdateValuesMessage { ValueInputOption = InputOption(input), Data = data.Select(Message).ToList() },
            retryTransient, cancellationToken);

    /// <summary>
    /// values.append with insertDataOption INSERT_ROWS after the table found in <paramref name="range"/>.
    /// Never retried: after a failure the rows may or may not have landed, so the caller re-reads and decides.
    /// </summary>
    public Task<AppendValuesResponse> AppendValuesAsync(string spreadsheetId, string range,
        IReadOnlyList<IReadOnlyList<object>> rows, SheetValueInput input = SheetValueInput.UserEntered,
        CancellationToken cancellationToken = default) =>
        SendAsync<AppendValuesResponse>(SheetsCallKind.ValuesAppend, spreadsheetId, HttpMethod.Post,
            $"v4/spreadsheets/{Escape(spreadsheetId)}/values/{Escape(range)}:append"
            + $"?valueInputOption={InputOption(input)}&insertDataOption=INSERT_ROWS",
            Message(new SheetValueRange(range, rows)), false, cancellationToken);

    /// <param name="spreadsheetId">The spreadsheet the call is about: the target of every error it ends in.</param>
    private async Task<T> SendAsync<T>(SheetsCallKind kind, string spreadsheetId, HttpMethod method, string pathAndQuery,
        object? body, bool retryTransient, CancellationToken cancellationToken)
    {
        var json = body is null ? null : _json.Serialize(body);
        var policy = _options.RetryPolicy;
        for (var retry = 0; ; retry++)
        {
            SheetsApiException failure;
            try { return await SendOnceAsync<T>(kind, spreadsheetId, method, pathAndQuery, json, cancellationToken).ConfigureAwait(false); }
            catch (SheetsApiException ex) when (ex.IsTransient) { failure = ex; }
            if (!retryTransient || retry >= policy.MaxRetries) throw failure.AfterRetries(retry);
            await WaitBeforeRetryAsync(failure, retry + 1, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Counts retry number <paramref name="retry"/> (1-based) of the call <paramref name="failure"/> ended, tells
    /// <see cref="Retrying"/> and waits the policy's delay, or Google's Retry-After when it gave one.
    /// </summary>
    internal async Task WaitBeforeRetryAsync(SheetsApiException failure, int retry, CancellationToken cancellationToken)
    {
        var policy = _options.RetryPolicy;
        var notice = RetryNotice.For(policy, Describe(failure.Call),
            failure.StatusCode is { } status ? $"{failure.ErrorId}, {status}" : failure.ErrorId, retry, failure.RetryAfter, "Google");
        Statistics.AddRetry();
        Retrying?.Invoke(notice);
        await policy.Wait(notice.Delay, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> SendOnceAsync<T>(SheetsCallKind kind, string spreadsheetId, HttpMethod method, string pathAndQuery,
        string? json, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await SignInAsync(kind, spreadsheetId, cancellationToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(method, new Uri(_baseUri, pathAndQuery));
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        Statistics.AddRequest(kind, json is null ? 0 : Encoding.UTF8.GetByteCount(json));

        HttpResponseMessage response;
        try { response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false); }
        catch (TokenResponseException ex) { throw TokenFailure(kind, spreadsheetId, ex); }
        catch (HttpRequestException ex)
        {
            throw new SheetsApiException("SheetsUnavailable", FailureKind.ConnectionError,
                $"Google Sheets could not be reached for {Describe(kind)} ({ex.HttpRequestError}).", kind, null, true,
                target: spreadsheetId,
                recommendedAction: "Check the network connection and -BaseUri, then run the sync again.", inner: ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SheetsApiException("SheetsUnavailable", FailureKind.ConnectionError,
                $"Google Sheets did not answer {Describe(kind)} within {_options.Timeout.TotalSeconds:0} s.", kind, null,
                true, target: spreadsheetId, inner: ex);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) throw Failure(kind, spreadsheetId, response, text);
            try
            {
                return _json.Deserialize<T>(text) ?? throw InvalidResponse(kind, spreadsheetId, "the body is empty");
            }
            catch (JsonException ex) { throw InvalidResponse(kind, spreadsheetId, $"the body is not the expected JSON ({ex.GetType().Name})"); }
        }
    }

    /// <summary>
    /// Gets the access token before the call (the credential caches it, so this asks the token endpoint only when a
    /// new token is due): the sign-in goes to the key file's token_uri, not to -BaseUri, and a failure there is told
    /// as the token endpoint's, so nobody checks the Sheets address for it.
    /// </summary>
    private async Task SignInAsync(SheetsCallKind kind, string spreadsheetId, CancellationToken cancellationToken)
    {
        if (_tokens is null) return;
        const string action = "Check the network connection and the key file's token_uri (a key downloaded from Google "
                              + "signs in at https://oauth2.googleapis.com/token), then run the command again.";
        try { await _tokens.GetAccessTokenForRequestAsync(cancellationToken: cancellationToken).ConfigureAwait(false); }
        catch (TokenResponseException ex) { throw TokenFailure(kind, spreadsheetId, ex); }
        catch (HttpRequestException ex)
        {
            throw new SheetsApiException("SheetsUnavailable", FailureKind.ConnectionError,
                $"The token endpoint {_tokenHost} (the key file's token_uri) could not be reached to sign in for "
                + $"{Describe(kind)} ({ex.HttpRequestError}).", kind, null, true, target: spreadsheetId,
                recommendedAction: action, inner: ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SheetsApiException("SheetsUnavailable", FailureKind.ConnectionError,
                $"The token endpoint {_tokenHost} (the key file's token_uri) did not answer the sign-in for {Describe(kind)}.",
                kind, null, true, target: spreadsheetId, recommendedAction: action, inner: ex);
        }
    }

    private SheetsApiException Failure(SheetsCallKind kind, string spreadsheetId, HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        GoogleErrorDetail? error = null;
        try { error = _json.Deserialize<GoogleErrorMessage>(body)?.Error; }
        catch (JsonException) { /* not Google's error shape: the status alone speaks */ }
        var reason = error?.Message is { Length: > 0 } m ? (m.Length > 500 ? m[..500] + "…" : m) : response.ReasonPhrase;
        var said = $"Google Sheets answered {status} {error?.Status ?? response.ReasonPhrase} to {Describe(kind)}: {reason}";
        var retryAfter = RetryPolicy.RetryAfter(response.Headers.RetryAfter);

        var rateLimited = status == 429 || (status == 403 && (error?.Status == "RESOURCE_EXHAUSTED"
                                                              || (reason ?? "").Contains("quota", StringComparison.OrdinalIgnoreCase)
                                                              || (reason ?? "").Contains("rate limit", StringComparison.OrdinalIgnoreCase)));
        if (rateLimited)
        {
            Statistics.AddRateLimited();
            return new SheetsApiException("SheetsRateLimited", FailureKind.LimitsExceeded, said, kind, status, true, retryAfter,
                spreadsheetId, recommendedAction: "Wait a minute and run the sync again, or raise the Sheets API quota of the project.");
        }
        return status switch
        {
            401 => new SheetsApiException("SheetsAuthenticationFailed", FailureKind.AuthenticationError, said, kind, status,
                false, target: spreadsheetId, recommendedAction: "Check that the service-account key is current (not deleted or disabled)."),
            403 => new SheetsApiException("SheetsPermissionDenied", FailureKind.PermissionDenied, said, kind, status, false,
                target: spreadsheetId, recommendedAction: $"Share the spreadsheet with {Principal} as Editor, and enable the Sheets API for the project."),
            404 => new SheetsApiException("SheetsSpreadsheetNotFound", FailureKind.ObjectNotFound, said, kind, status, false,
                target: spreadsheetId, recommendedAction: "Check the spreadsheet id (-SpreadsheetId or JOBSIGNAL_SPREADSHEET_ID): the part of the "
                                   + "Sheet's URL between /d/ and /edit."),
            _ when TransientStatuses.Contains(status) => new SheetsApiException("SheetsUnavailable",
                FailureKind.ResourceUnavailable, said, kind, status, true, retryAfter, spreadsheetId,
                recommendedAction: "Google Sheets is having trouble; run the sync again later."),
            _ => new SheetsApiException("SheetsRequestRejected", FailureKind.InvalidArgument, said, kind, status, false,
                target: spreadsheetId,
                recommendedAction: "Google refused the request itself, so running the command again unchanged fails the same way. "
                                   + "Fix what Google's reason names in the spreadsheet (for example a spreadsheet at Google's limit "
                                   + "of 10 million cells, or a tab changed so that it cannot take the rows), then run it again; "
                                   + "report the message if it names nothing you can fix."),
        };
    }

    private SheetsApiException TokenFailure(SheetsCallKind kind, string spreadsheetId, TokenResponseException ex)
    {
        var status = (int?)ex.StatusCode;
        var transient = status is >= 500 or 429;
        var what = ex.Error?.Error ?? "no error code";
        var description = ex.Error?.ErrorDescription is { Length: > 0 } d ? $" ({(d.Length > 300 ? d[..300] + "…" : d)})" : "";
        return new SheetsApiException(transient ? "SheetsUnavailable" : "SheetsAuthenticationFailed",
            transient ? FailureKind.ResourceUnavailable : FailureKind.AuthenticationError,
            $"The token endpoint {_tokenHost} refused the service account's sign-in for {Describe(kind)}: "
            + $"{status?.ToString() ?? "no status"} {what}{description}.",
            kind, status, transient, target: spreadsheetId,
            recommendedAction: "Check that the key file is the current key of an enabled service account and that the "
                               + "machine's clock is right (the sign-in is time-stamped).");
    }

    private static SheetsApiException InvalidResponse(SheetsCallKind kind, string spreadsheetId, string why) =>
        new("SheetsInvalidResponse", FailureKind.InvalidData, $"Google Sheets answered {Describe(kind)} unexpectedly: {why}.",
            kind, null, false, target: spreadsheetId,
            recommendedAction: "Check -BaseUri (the pipeline's Sheet.BaseUri): it must be the Sheets API root, "
                               + "https://sheets.googleapis.com/ unless you use an emulator or a proxy. If it is, run the "
                               + "command again later, and report the message if it persists.");

    private static object? Normalize(object? value) => value switch
    {
        long l => (double)l,
        int i => (double)i,
        _ => value,
    };

    private static ValueRangeMessage Message(SheetValueRange range) => new()
    {
        Range = range.Range,
        MajorDimension = "ROWS",
        Values = range.Values.Select(row => row.Select(v => (object?)v).ToList()).ToList(),
    };

    private static string InputOption(SheetValueInput input) => input == SheetValueInput.Raw ? "RAW" : "USER_ENTERED";

    private static string Escape(string text) => Uri.EscapeDataString(text);

    private static string Describe(SheetsCallKind kind) => kind switch
    {
        SheetsCallKind.GetSpreadsheet => "spreadsheets.get",
        SheetsCallKind.BatchUpdate => "spreadsheets.batchUpdate",
        SheetsCallKind.ValuesBatchGet => "values.batchGet",
        SheetsCallKind.ValuesBatchUpdate => "values.batchUpdate",
        _ => "values.append",
    };

    public void Dispose() => _http.Dispose();
}

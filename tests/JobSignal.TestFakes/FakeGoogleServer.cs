using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace JobSignal.TestFakes;

/// <summary>The endpoints of the fake, for the request log and fault injection.</summary>
public enum FakeGoogleCall
{
    Token,
    GetSpreadsheet,
    BatchUpdate,
    ValuesBatchGet,
    ValuesBatchUpdate,
    ValuesAppend,
    Unknown,
}

/// <summary>One request the fake received: what, where, how big, and the status it answered.</summary>
public sealed record FakeGoogleRequest(FakeGoogleCall Call, string Method, string Path, string Query, long BodyBytes, int Status);

/// <summary>
/// A loopback Google: an OAuth token endpoint for service accounts (JWT-bearer grant) and the Sheets v4 methods the
/// sync uses (spreadsheets.get / batchUpdate, values.batchGet / batchUpdate / append), with Google's JSON shapes and
/// error bodies. Sheets calls need a bearer token this server issued (401 otherwise). Faults (429 with Retry-After,
/// 5xx, quota 403, 401...) can be queued for the next calls of one kind, optionally after applying the call, as when
/// Google did the work but the answer was lost. Every request is logged for request-count assertions.
/// </summary>
public sealed class FakeGoogleServer : LoopbackServer
{
    public const string SheetsScope = "https://www.googleapis.com/auth/spreadsheets";
    private const string GoogleTokenAudience = "https://oauth2.googleapis.com/token";

    private readonly object _gate = new();
    private readonly Dictionary<string, FakeSpreadsheet> _spreadsheets = new(StringComparer.Ordinal);
    private readonly List<FakeGoogleRequest> _requests = [];
    private readonly List<Fault> _faults = [];
    private readonly HashSet<string> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RSAParameters> _accounts = new(StringComparer.Ordinal);
    private (int Status, string Error, string Description)? _tokenRefusal;

    private sealed class Fault(FakeGoogleCall call, int status, int times, int? retryAfterSeconds, bool applyFirst,
        string? googleStatus, int after)
    {
        public FakeGoogleCall Call { get; } = call;
        public int CallsToLetThrough { get; set; } = after;
        public int Status { get; } = status;
        public int Remaining { get; set; } = times;
        public int? RetryAfterSeconds { get; } = retryAfterSeconds;
        public bool ApplyFirst { get; } = applyFirst;
        public string? GoogleStatus { get; } = googleStatus;
    }

    /// <summary>The token endpoint to put in a service-account key file's <c>token_uri</c>.</summary>
    public Uri TokenUri => new(BaseUri, "token");

    public FakeSpreadsheet AddSpreadsheet(string id = "test-spreadsheet")
    {
        lock (_gate)
        {
            var spreadsheet = new FakeSpreadsheet(id, _gate);
            _spreadsheets.Add(id, spreadsheet);
            return spreadsheet;
        }
    }

    public FakeSpreadsheet Spreadsheet(string id)
    {
        lock (_gate) return _spreadsheets[id];
    }

    public IReadOnlyList<FakeGoogleRequest> Requests { get { lock (_gate) return _requests.ToArray(); } }

    public int Count(FakeGoogleCall call)
    {
        lock (_gate) return _requests.Count(r => r.Call == call);
    }

    /// <summary>Sheets API requests (everything but the token endpoint).</summary>
    public int SheetsRequestCount
    {
        get { lock (_gate) return _requests.Count(r => r.Call is not FakeGoogleCall.Token); }
    }

    public void ClearRequests()
    {
        lock (_gate) _requests.Clear();
    }

    /// <summary>
    /// The next <paramref name="times"/> calls of <paramref name="call"/> answer <paramref name="status"/> with Google's
    /// error body (and a Retry-After header when given). With <paramref name="applyFirst"/> a write is applied before
    /// the error is answered. <paramref name="googleStatus"/> overrides the body's status (e.g. RESOURCE_EXHAUSTED
    /// with 403 for a quota error). With <paramref name="after"/> that many calls of the kind succeed first.
    /// </summary>
    public void FailNext(FakeGoogleCall call, int status, int times = 1, int? retryAfterSeconds = null,
        bool applyFirst = false, string? googleStatus = null, int after = 0)
    {
        lock (_gate) _faults.Add(new Fault(call, status, times, retryAfterSeconds, applyFirst, googleStatus, after));
    }

    /// <summary>Raised after each request is answered (outside the server's lock): a test can act as a rep "meanwhile".</summary>
    public event Action<FakeGoogleRequest>? Answered;

    /// <summary>From now on the token endpoint refuses every sign-in (as Google does for a deleted key).</summary>
    public void RefuseTokens(int status = 400, string error = "invalid_grant", string description = "Invalid JWT Signature.")
    {
        lock (_gate) _tokenRefusal = (status, error, description);
    }

    /// <summary>Forgets every issued token: the next Sheets call answers 401 until the client signs in again.</summary>
    public void RevokeTokens()
    {
        lock (_gate) _tokens.Clear();
    }

    /// <summary>Only assertions signed by a registered account's key are accepted once any account is registered.</summary>
    public void RegisterServiceAccount(string clientEmail, RSAParameters publicKey)
    {
        lock (_gate) _accounts[clientEmail] = publicKey;
    }

    public int IssuedTokenCount { get; private set; }

    protected override async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        byte[] body;
        using (var buffer = new MemoryStream())
        {
            await request.InputStream.CopyToAsync(buffer).ConfigureAwait(false);
            body = buffer.ToArray();
        }
        var raw = request.RawUrl ?? "/";
        var q = raw.IndexOf('?');
        var rawPath = q < 0 ? raw : raw[..q];
        var query = q < 0 ? "" : raw[(q + 1)..];
        var call = Classify(request.HttpMethod, rawPath);

        Reply reply;
        FakeGoogleRequest logged;
        lock (_gate)
        {
            reply = call == FakeGoogleCall.Token ? Token(body) : Sheets(call, request, rawPath, query, body);
            logged = new FakeGoogleRequest(call, request.HttpMethod, Uri.UnescapeDataString(rawPath), query, body.LongLength, reply.Status);
            _requests.Add(logged);
        }
        Answered?.Invoke(logged);

        var response = context.Response;
        response.StatusCode = reply.Status;
        response.ContentType = "application/json; charset=UTF-8";
        if (reply.RetryAfterSeconds is { } seconds) response.Headers["Retry-After"] = seconds.ToString(CultureInfo.InvariantCulture);
        var bytes = Encoding.UTF8.GetBytes(reply.Json.ToJsonString());
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
    }

    private sealed record Reply(int Status, JsonNode Json, int? RetryAfterSeconds = null);

    private static FakeGoogleCall Classify(string method, string rawPath)
    {
        if (rawPath == "/token") return method == "POST" ? FakeGoogleCall.Token : FakeGoogleCall.Unknown;
        if (!rawPath.StartsWith("/v4/spreadsheets/", StringComparison.Ordinal)) return FakeGoogleCall.Unknown;
        return (method, rawPath) switch
        {
            ("POST", _) when rawPath.EndsWith(":append", StringComparison.Ordinal) && rawPath.Contains("/values/") => FakeGoogleCall.ValuesAppend,
            ("POST", _) when rawPath.EndsWith("/values:batchUpdate", StringComparison.Ordinal) => FakeGoogleCall.ValuesBatchUpdate,
            ("GET", _) when rawPath.EndsWith("/values:batchGet", StringComparison.Ordinal) => FakeGoogleCall.ValuesBatchGet,
            ("POST", _) when rawPath.EndsWith(":batchUpdate", StringComparison.Ordinal) => FakeGoogleCall.BatchUpdate,
            ("GET", _) when !rawPath[17..].Contains('/') && !rawPath[17..].Contains(':') => FakeGoogleCall.GetSpreadsheet,
            _ => FakeGoogleCall.Unknown,
        };
    }

    // ----- OAuth token endpoint -----

    private Reply Token(byte[] body)
    {
        if (_tokenRefusal is { } refusal) return TokenError(refusal.Status, refusal.Error, refusal.Description);
        var form = ParseQuery(Encoding.UTF8.GetString(body), plusIsSpace: true);
        if (form.GetValueOrDefault("grant_type")?.FirstOrDefault() != "urn:ietf:params:oauth:grant-type:jwt-bearer")
            return TokenError(400, "unsupported_grant_type", "Invalid grant_type.");
        var assertion = form.GetValueOrDefault("assertion")?.FirstOrDefault() ?? "";
        var parts = assertion.Split('.');
        if (parts.Length != 3) return TokenError(400, "invalid_grant", "Invalid JWT.");
        JsonNode? header, payload;
        try
        {
            header = JsonNode.Parse(Base64Url(parts[0]));
            payload = JsonNode.Parse(Base64Url(parts[1]));
        }
        catch (Exception ex) when (ex is JsonException or FormatException) { return TokenError(400, "invalid_grant", "Invalid JWT."); }

        if ((string?)header?["alg"] != "RS256") return TokenError(400, "invalid_grant", "Invalid JWT: unsupported algorithm.");
        var issuer = (string?)payload?["iss"] ?? "";
        // Google.Apis.Auth signs for Google's canonical token URL whatever token_uri it posts to; Google accepts both.
        var audience = (string?)payload?["aud"];
        if (audience != TokenUri.ToString() && audience != GoogleTokenAudience)
            return TokenError(400, "invalid_grant", "Invalid JWT: the audience is not a token endpoint.");
        if (!((string?)payload?["scope"] ?? "").Split(' ').Contains(SheetsScope))
            return TokenError(400, "invalid_scope", "The spreadsheets scope was not requested.");
        var expires = payload?["exp"]?.GetValue<long>() ?? 0;
        if (expires < DateTimeOffset.UtcNow.ToUnixTimeSeconds())
            return TokenError(400, "invalid_grant", "Invalid JWT: Token must be a short-lived token and in a reasonable timeframe.");
        if (_accounts.Count > 0)
        {
            if (!_accounts.TryGetValue(issuer, out var key)) return TokenError(400, "invalid_grant", "Invalid grant: account not found");
            using var rsa = RSA.Create(key);
            var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
            if (!rsa.VerifyData(signed, Base64UrlBytes(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
                return TokenError(400, "invalid_grant", "Invalid JWT Signature.");
        }

        var token = "ya29.fake-" + Guid.NewGuid().ToString("n");
        _tokens.Add(token);
        IssuedTokenCount++;
        return new Reply(200, new JsonObject { ["access_token"] = token, ["expires_in"] = 3599, ["token_type"] = "Bearer" });
    }

    private static Reply TokenError(int status, string error, string description) =>
        new(status, new JsonObject { ["error"] = error, ["error_description"] = description });

    // ----- Sheets v4 -----

    private Reply Sheets(FakeGoogleCall call, HttpListenerRequest request, string rawPath, string query, byte[] body)
    {
        var authorization = request.Headers["Authorization"] ?? "";
        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal) || !_tokens.Contains(authorization[7..]))
            return GoogleError(401, null, "Request had invalid authentication credentials. Expected OAuth 2 access token, "
                                          + "login cookie or other valid authentication credential.");

        var fault = _faults.FirstOrDefault(f => f.Call == call && f.Remaining > 0);
        if (fault is { CallsToLetThrough: > 0 })
        {
            fault.CallsToLetThrough--;
            fault = null;
        }
        if (fault is not null)
        {
            fault.Remaining--;
            if (!fault.ApplyFirst) return GoogleError(fault.Status, fault.GoogleStatus, null, fault.RetryAfterSeconds);
        }

        Reply reply;
        try { reply = Dispatch(call, rawPath, query, body); }
        catch (BadRequest ex) { reply = GoogleError(ex.Status, null, ex.Message); }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or NullReferenceException)
        {
            reply = GoogleError(400, null, "Invalid JSON payload received. " + ex.Message);
        }
        return fault is not null ? GoogleError(fault.Status, fault.GoogleStatus, null, fault.RetryAfterSeconds) : reply;
    }

    private Reply Dispatch(FakeGoogleCall call, string rawPath, string query, byte[] body)
    {
        var rest = rawPath["/v4/spreadsheets/".Length..];
        var idEnd = rest.IndexOfAny(['/', ':']);
        var id = Uri.UnescapeDataString(idEnd < 0 ? rest : rest[..idEnd]);
        if (!_spreadsheets.TryGetValue(id, out var spreadsheet)) throw new BadRequest(404, "Requested entity was not found.");
        var parameters = ParseQuery(query, plusIsSpace: false);
        return call switch
        {
            FakeGoogleCall.GetSpreadsheet => Ok(GetSpreadsheet(spreadsheet)),
            FakeGoogleCall.BatchUpdate => Ok(BatchUpdate(spreadsheet, Json(body))),
            FakeGoogleCall.ValuesBatchGet => Ok(BatchGet(spreadsheet, parameters)),
            FakeGoogleCall.ValuesBatchUpdate => Ok(ValuesBatchUpdate(spreadsheet, Json(body))),
            FakeGoogleCall.ValuesAppend => Ok(Append(spreadsheet,
                Uri.UnescapeDataString(rest[(rest.IndexOf("/values/", StringComparison.Ordinal) + 8)..^":append".Length]),
                parameters, Json(body))),
            _ => throw new BadRequest(404, "Method not found."),
        };
    }

    private static Reply Ok(JsonNode json) => new(200, json);

    private static JsonObject GetSpreadsheet(FakeSpreadsheet spreadsheet) => new()
    {
        ["spreadsheetId"] = spreadsheet.Id,
        ["sheets"] = new JsonArray(spreadsheet.Tabs.Select(t => (JsonNode)new JsonObject { ["properties"] = t.PropertiesJson() }).ToArray()),
    };

    private static JsonObject BatchUpdate(FakeSpreadsheet spreadsheet, JsonNode body)
    {
        var requests = body["requests"]?.AsArray() ?? throw new BadRequest(400, "Invalid requests: no requests.");
        // Validate everything first (later requests may use a tab an earlier one adds): all apply, or none.
        var actions = new List<Func<JsonObject>>();
        var added = new List<(string Title, int SheetId)>();
        for (var i = 0; i < requests.Count; i++)
        {
            var item = requests[i]!.AsObject();
            if (item.Count != 1) throw new BadRequest(400, $"Invalid requests[{i}]: exactly one kind of request must be set.");
            var (kind, value) = (item.First().Key, item.First().Value!);
            actions.Add(kind switch
            {
                "addSheet" => AddSheet(spreadsheet, i, value, added),
                "updateSheetProperties" => UpdateSheetProperties(spreadsheet, added, i, value),
                "setDataValidation" => SetDataValidation(spreadsheet, added, i, value),
                "repeatCell" => RepeatCell(spreadsheet, added, i, value),
                "appendDimension" => AppendDimension(spreadsheet, added, i, value),
                _ => throw new BadRequest(400, $"Invalid JSON payload received. Unknown name \"{kind}\" at 'requests[{i}]'."),
            });
        }
        var replies = actions.Select(a => (JsonNode)a()).ToArray();
        return new JsonObject { ["spreadsheetId"] = spreadsheet.Id, ["replies"] = new JsonArray(replies) };
    }

    private static Func<JsonObject> AddSheet(FakeSpreadsheet spreadsheet, int i, JsonNode value, List<(string Title, int SheetId)> added)
    {
        var properties = value["properties"] ?? new JsonObject();
        var title = (string?)properties["title"] ?? $"Sheet{spreadsheet.Tabs.Count + added.Count + 1}";
        if (spreadsheet.FindTab(title) is not null || added.Any(a => string.Equals(a.Title, title, StringComparison.OrdinalIgnoreCase)))
            throw new BadRequest(400, $"Invalid requests[{i}].addSheet: A sheet with the name \"{title}\" already exists. Please enter another name.");
        var existingIds = spreadsheet.Tabs.Select(t => t.SheetId).Concat(added.Select(a => a.SheetId)).ToList();
        var sheetId = properties["sheetId"]?.GetValue<int>() ?? (existingIds.Count == 0 ? 0 : existingIds.Max() + 1);
        if (existingIds.Contains(sheetId))
            throw new BadRequest(400, $"Invalid requests[{i}].addSheet: Sheet with id {sheetId} already exists.");
        added.Add((title, sheetId));
        var grid = properties["gridProperties"];
        return () =>
        {
            var tab = spreadsheet.AddTab(title, sheetId);
            if (grid?["rowCount"] is { } rows) tab.RowCount = rows.GetValue<int>();
            if (grid?["columnCount"] is { } columns) tab.ColumnCount = columns.GetValue<int>();
            if (grid?["frozenRowCount"] is { } frozen) tab.FrozenRowCount = frozen.GetValue<int>();
            return new JsonObject { ["addSheet"] = new JsonObject { ["properties"] = tab.PropertiesJson() } };
        };
    }

    private static Func<JsonObject> UpdateSheetProperties(FakeSpreadsheet spreadsheet, List<(string Title, int SheetId)> added, int i, JsonNode value)
    {
        var tab = TabById(spreadsheet, added, value["properties"]?["sheetId"], i);
        var fields = (string?)value["fields"] ?? throw new BadRequest(400, $"Invalid requests[{i}].updateSheetProperties: You must specify at least one field to update.");
        var frozen = value["properties"]?["gridProperties"]?["frozenRowCount"]?.GetValue<int>() ?? 0;
        return () =>
        {
            if (fields.Split(',').Contains("gridProperties.frozenRowCount") || fields == "*") tab().FrozenRowCount = frozen;
            return new JsonObject();
        };
    }

    private static Func<JsonObject> SetDataValidation(FakeSpreadsheet spreadsheet, List<(string Title, int SheetId)> added, int i, JsonNode value)
    {
        var range = value["range"] ?? throw new BadRequest(400, $"Invalid requests[{i}].setDataValidation: range is required.");
        var tab = TabById(spreadsheet, added, range["sheetId"], i);
        var rule = value["rule"];
        var validation = new FakeValidation(Index(range, "startRowIndex"), Index(range, "endRowIndex"),
            Index(range, "startColumnIndex"), Index(range, "endColumnIndex"),
            (string?)rule?["condition"]?["type"] ?? "",
            rule?["condition"]?["values"]?.AsArray().Select(v => (string?)v?["userEnteredValue"] ?? "").ToArray() ?? [],
            rule?["strict"]?.GetValue<bool>() ?? false, rule?["showCustomUi"]?.GetValue<bool>() ?? false);
        return () => { tab().AddValidation(validation); return new JsonObject(); };
    }

    private static Func<JsonObject> AppendDimension(FakeSpreadsheet spreadsheet, List<(string Title, int SheetId)> added, int i, JsonNode value)
    {
        var tab = TabById(spreadsheet, added, value["sheetId"], i);
        var dimension = (string?)value["dimension"];
        var length = value["length"]?.GetValue<int>() ?? 0;
        if (dimension is not ("ROWS" or "COLUMNS"))
            throw new BadRequest(400, $"Invalid requests[{i}].appendDimension: dimension must be ROWS or COLUMNS.");
        if (length < 1) throw new BadRequest(400, $"Invalid requests[{i}].appendDimension: length must be positive.");
        return () =>
        {
            if (dimension == "ROWS") tab().RowCount += length;
            else tab().ColumnCount += length;
            return new JsonObject();
        };
    }

    private static Func<JsonObject> RepeatCell(FakeSpreadsheet spreadsheet, List<(string Title, int SheetId)> added, int i, JsonNode value)
    {
        var range = value["range"] ?? throw new BadRequest(400, $"Invalid requests[{i}].repeatCell: range is required.");
        var tab = TabById(spreadsheet, added, range["sheetId"], i);
        var fields = (string?)value["fields"] ?? throw new BadRequest(400, $"Invalid requests[{i}].repeatCell: fields is required.");
        var format = new FakeFormat(Index(range, "startRowIndex"), Index(range, "endRowIndex"), Index(range, "startColumnIndex"),
            Index(range, "endColumnIndex"), fields, value["cell"]?.ToJsonString() ?? "{}");
        return () => { tab().AddFormat(format); return new JsonObject(); };
    }

    private static int? Index(JsonNode range, string name) => range[name]?.GetValue<int>();

    /// <summary>The tab a request targets, found when the request applies (it may be added by an earlier request).</summary>
    private static Func<FakeSheetTab> TabById(FakeSpreadsheet spreadsheet, List<(string Title, int SheetId)> added, JsonNode? sheetId, int i)
    {
        var id = sheetId?.GetValue<int>() ?? 0;
        if (spreadsheet.FindTab(id) is null && added.All(a => a.SheetId != id))
            throw new BadRequest(400, $"Invalid requests[{i}]: No grid with id: {id}");
        return () => spreadsheet.FindTab(id)!;
    }

    private static JsonObject BatchGet(FakeSpreadsheet spreadsheet, Dictionary<string, List<string>> parameters)
    {
        var render = parameters.GetValueOrDefault("valueRenderOption")?.FirstOrDefault() ?? "FORMATTED_VALUE";
        var ranges = new JsonArray();
        foreach (var text in parameters.GetValueOrDefault("ranges") ?? [])
        {
            var range = ParseRange(spreadsheet, text);
            // Google refuses a range past the grid, reading as writing ("exceeds grid limits").
            CheckGrid(range, range.StartRow, range.EndRow ?? range.StartRow, range.EndColumn ?? range.StartColumn);
            var lastRow = Math.Min(range.EndRow ?? range.Tab.RowCount, range.Tab.RowCount);
            var lastColumn = Math.Min(range.EndColumn ?? range.Tab.ColumnCount - 1, range.Tab.ColumnCount - 1);
            var rows = new List<JsonArray>();
            for (var r = range.StartRow; r <= lastRow; r++)
            {
                var cells = new List<JsonNode?>();
                for (var c = range.StartColumn; c <= lastColumn; c++) cells.Add(Render(range.Tab.Raw(r, c), render));
                while (cells.Count > 0 && cells[^1] is null) cells.RemoveAt(cells.Count - 1);
                rows.Add(new JsonArray(cells.Select(v => v ?? JsonValue.Create("")).ToArray()));
            }
            while (rows.Count > 0 && rows[^1].Count == 0) rows.RemoveAt(rows.Count - 1);
            var answer = new JsonObject
            {
                ["range"] = A1(range.Tab, range.StartRow, range.StartColumn, lastRow, lastColumn),
                ["majorDimension"] = "ROWS",
            };
            if (rows.Count > 0) answer["values"] = new JsonArray(rows.Select(r => (JsonNode)r).ToArray());
            ranges.Add(answer);
        }
        return new JsonObject { ["spreadsheetId"] = spreadsheet.Id, ["valueRanges"] = ranges };
    }

    private static JsonNode? Render(object? raw, string render) => raw switch
    {
        null => null,
        FakeSheetTab.Formatted f when render == "FORMATTED_VALUE" => JsonValue.Create(f.Shown),
        FakeSheetTab.Formatted f => Render(f.Value, render),
        FakeSheetTab.Formula f when render == "FORMULA" => JsonValue.Create(f.Text),
        FakeSheetTab.Formula f => JsonValue.Create(HyperlinkLabel(f.Text) ?? f.Text),
        double d when render == "FORMATTED_VALUE" => JsonValue.Create(d.ToString(CultureInfo.InvariantCulture)),
        double d => JsonValue.Create(d),
        bool b when render == "FORMATTED_VALUE" => JsonValue.Create(b ? "TRUE" : "FALSE"),
        bool b => JsonValue.Create(b),
        string s => JsonValue.Create(s),
        _ => JsonValue.Create(raw.ToString()),
    };

    /// <summary>The shown text of =HYPERLINK("url") or =HYPERLINK("url","label"): the only formula the fake computes.</summary>
    private static string? HyperlinkLabel(string formula)
    {
        var m = Regex.Match(formula, "^=HYPERLINK\\(\"((?:[^\"]|\"\")*)\"(?:\\s*,\\s*\"((?:[^\"]|\"\")*)\")?\\)$", RegexOptions.IgnoreCase);
        if (!m.Success) return null;
        return (m.Groups[2].Success ? m.Groups[2].Value : m.Groups[1].Value).Replace("\"\"", "\"");
    }

    private static JsonObject ValuesBatchUpdate(FakeSpreadsheet spreadsheet, JsonNode body)
    {
        var input = (string?)body["valueInputOption"] ?? throw new BadRequest(400, "'valueInputOption' is required but not specified");
        var data = body["data"]?.AsArray() ?? [];
        var writes = data.Select(d => (Range: ParseRange(spreadsheet, (string?)d!["range"] ?? ""), Values: Values(d!))).ToList();
        foreach (var (range, values) in writes) CheckWrite(range, values, range.StartRow);
        var responses = new JsonArray();
        int totalRows = 0, totalCells = 0;
        foreach (var (range, values) in writes)
        {
            var written = Write(range.Tab, range.StartRow, range.StartColumn, values, input);
            totalRows += values.Count;
            totalCells += written;
            responses.Add(UpdateResponse(spreadsheet, range.Tab, range.StartRow, range.StartColumn, values, written));
        }
        return new JsonObject
        {
            ["spreadsheetId"] = spreadsheet.Id, ["totalUpdatedRows"] = totalRows, ["totalUpdatedCells"] = totalCells,
            ["totalUpdatedSheets"] = writes.Select(w => w.Range.Tab).Distinct().Count(), ["responses"] = responses,
        };
    }

    private static JsonObject Append(FakeSpreadsheet spreadsheet, string rangeText, Dictionary<string, List<string>> parameters, JsonNode body)
    {
        var input = parameters.GetValueOrDefault("valueInputOption")?.FirstOrDefault()
                    ?? throw new BadRequest(400, "'valueInputOption' is required but not specified");
        var insert = parameters.GetValueOrDefault("insertDataOption")?.FirstOrDefault() ?? "OVERWRITE";
        var range = ParseRange(spreadsheet, rangeText);
        var values = Values(body);
        // The table is the block of data the range touches; the fake takes it to end at the tab's last data row.
        var lastData = range.Tab.LastRowWithData();
        var start = lastData + 1;
        if (insert == "INSERT_ROWS") range.Tab.InsertRows(start, values.Count);
        CheckWrite(range, values, start);
        var written = Write(range.Tab, start, range.StartColumn, values, input);
        var answer = new JsonObject
        {
            ["spreadsheetId"] = spreadsheet.Id,
            ["updates"] = UpdateResponse(spreadsheet, range.Tab, start, range.StartColumn, values, written),
        };
        if (lastData > 0) answer["tableRange"] = A1(range.Tab, 1, range.StartColumn, lastData, range.EndColumn ?? range.StartColumn);
        return answer;
    }

    private static JsonObject UpdateResponse(FakeSpreadsheet spreadsheet, FakeSheetTab tab, int row, int column,
        IReadOnlyList<JsonArray> values, int cells)
    {
        var width = values.Count == 0 ? 0 : values.Max(v => v.Count);
        return new JsonObject
        {
            ["spreadsheetId"] = spreadsheet.Id,
            ["updatedRange"] = A1(tab, row, column, row + Math.Max(values.Count, 1) - 1, column + Math.Max(width, 1) - 1),
            ["updatedRows"] = values.Count, ["updatedColumns"] = width, ["updatedCells"] = cells,
        };
    }

    private static void CheckWrite(FakeRange range, IReadOnlyList<JsonArray> values, int startRow)
    {
        var width = values.Count == 0 ? 0 : values.Max(v => v.Count);
        if (range.EndRow is { } endRow && startRow + values.Count - 1 > endRow && range.StartRow == startRow)
            throw new BadRequest(400, $"Requested writing within range [{range.Text}], but tried writing to row [{startRow + values.Count - 1}]");
        if (range.EndColumn is { } endColumn && range.StartColumn + width - 1 > endColumn)
            throw new BadRequest(400, $"Requested writing within range [{range.Text}], but tried writing to column [{FakeSheetTab.ColumnLetters(range.StartColumn + width - 1)}]");
        CheckGrid(range, startRow, startRow + values.Count - 1, range.StartColumn + width - 1);
    }

    private static void CheckGrid(FakeRange range, int startRow, int lastRow, int lastColumn)
    {
        if (lastRow > range.Tab.RowCount || lastColumn >= range.Tab.ColumnCount || startRow > range.Tab.RowCount)
            throw new BadRequest(400, $"Range ({range.Text}) exceeds grid limits. Max rows: {range.Tab.RowCount}, max columns: {range.Tab.ColumnCount}");
    }

    /// <summary>Writes rows of JSON values; USER_ENTERED parses them as typing would, RAW stores them as sent.</summary>
    private static int Write(FakeSheetTab tab, int row, int column, IReadOnlyList<JsonArray> values, string input)
    {
        var cells = 0;
        for (var r = 0; r < values.Count; r++)
            for (var c = 0; c < values[r].Count; c++)
            {
                var node = values[r][c];
                if (node is null) continue; // null leaves the cell as it is
                tab.Set(row + r, column + c, input == "RAW" ? RawValue(node) : UserEntered(node));
                cells++;
            }
        return cells;
    }

    private static object? RawValue(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.Number => node.GetValue<double>(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => node.GetValue<string>() is { Length: > 0 } s ? s : null,
    };

    private static object? UserEntered(JsonNode node)
    {
        if (node.GetValueKind() != JsonValueKind.String) return RawValue(node);
        var text = node.GetValue<string>();
        if (text.Length == 0) return null;
        if (text[0] == '\'') return text.Length == 1 ? null : text[1..];
        if (text[0] == '=') return new FakeSheetTab.Formula(text);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) return number;
        if (bool.TryParse(text, out var flag)) return flag;
        return text;
    }

    private static List<JsonArray> Values(JsonNode valueRange) =>
        valueRange["values"]?.AsArray().Select(r => r?.AsArray() ?? []).ToList() ?? [];

    // ----- A1 ranges -----

    private sealed record FakeRange(string Text, FakeSheetTab Tab, int StartRow, int? EndRow, int StartColumn, int? EndColumn);

    private static FakeRange ParseRange(FakeSpreadsheet spreadsheet, string text)
    {
        string title, cells;
        if (text.StartsWith('\''))
        {
            var end = 1;
            var name = new StringBuilder();
            while (end < text.Length)
            {
                if (text[end] == '\'' && end + 1 < text.Length && text[end + 1] == '\'') { name.Append('\''); end += 2; continue; }
                if (text[end] == '\'') break;
                name.Append(text[end++]);
            }
            title = name.ToString();
            cells = end + 1 < text.Length && text[end + 1] == '!' ? text[(end + 2)..] : "";
        }
        else
        {
            var bang = text.LastIndexOf('!');
            title = bang < 0 ? text : text[..bang];
            cells = bang < 0 ? "" : text[(bang + 1)..];
        }
        var tab = spreadsheet.FindTab(title) ?? throw new BadRequest(400, $"Unable to parse range: {text}");
        if (cells.Length == 0) return new FakeRange(text, tab, 1, null, 0, null);
        var m = Regex.Match(cells.ToUpperInvariant(), "^([A-Z]*)([0-9]*)(?::([A-Z]*)([0-9]*))?$");
        if (!m.Success || (m.Groups[1].Length == 0 && m.Groups[2].Length == 0)) throw new BadRequest(400, $"Unable to parse range: {text}");
        int? Number(Group g) => g.Length == 0 ? null : int.Parse(g.Value, CultureInfo.InvariantCulture);
        int? Column(Group g) => g.Length == 0 ? null : FakeSheetTab.ColumnIndex(g.Value);
        var startRow = Number(m.Groups[2]) ?? 1;
        var startColumn = Column(m.Groups[1]) ?? 0;
        if (!m.Groups[3].Success) return new FakeRange(text, tab, startRow, startRow, startColumn, startColumn);
        return new FakeRange(text, tab, startRow, Number(m.Groups[4]), startColumn, Column(m.Groups[3]));
    }

    private static string A1(FakeSheetTab tab, int row1, int column1, int row2, int column2) =>
        "'" + tab.Title.Replace("'", "''") + "'!" + FakeSheetTab.ColumnLetters(column1) + row1.ToString(CultureInfo.InvariantCulture)
        + ":" + FakeSheetTab.ColumnLetters(column2) + row2.ToString(CultureInfo.InvariantCulture);

    // ----- plumbing -----

    private sealed class BadRequest(int status, string message) : Exception(message)
    {
        public int Status { get; } = status;
    }

    private static Reply GoogleError(int status, string? googleStatus, string? message, int? retryAfterSeconds = null)
    {
        var (defaultStatus, defaultMessage) = status switch
        {
            400 => ("INVALID_ARGUMENT", "Request contains an invalid argument."),
            401 => ("UNAUTHENTICATED", "Request had invalid authentication credentials."),
            403 => ("PERMISSION_DENIED", "The caller does not have permission"),
            404 => ("NOT_FOUND", "Requested entity was not found."),
            429 => ("RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute per user' "
                                          + "of service 'sheets.googleapis.com' for consumer 'project_number:000000000000'."),
            500 => ("INTERNAL", "Internal error encountered."),
            503 => ("UNAVAILABLE", "The service is currently unavailable."),
            _ => ("UNKNOWN", "Unknown error."),
        };
        var resolved = googleStatus ?? defaultStatus;
        if (message is null && resolved == "RESOURCE_EXHAUSTED") message = "Quota exceeded for quota metric 'Read requests'.";
        return new Reply(status, new JsonObject
        {
            ["error"] = new JsonObject { ["code"] = status, ["message"] = message ?? defaultMessage, ["status"] = resolved },
        }, retryAfterSeconds);
    }

    private static JsonNode Json(byte[] body) => JsonNode.Parse(body) ?? throw new BadRequest(400, "Invalid JSON payload received.");

    private static Dictionary<string, List<string>> ParseQuery(string query, bool plusIsSpace)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            string Decode(string s) => Uri.UnescapeDataString(plusIsSpace ? s.Replace('+', ' ') : s);
            var name = Decode(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Decode(pair[(eq + 1)..]);
            if (!result.TryGetValue(name, out var list)) result[name] = list = [];
            list.Add(value);
        }
        return result;
    }

    private static string Base64Url(string text) => Encoding.UTF8.GetString(Base64UrlBytes(text));

    private static byte[] Base64UrlBytes(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }
}

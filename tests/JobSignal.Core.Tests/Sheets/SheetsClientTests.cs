using JobSignal.Core.Common;
using JobSignal.Core.Sheets;
using JobSignal.TestFakes;

namespace JobSignal.Core.Tests.Sheets;

public sealed class SheetsClientTests : IDisposable
{
    private readonly SheetsFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    private const string Id = SheetsFixture.SpreadsheetId;

    [Fact]
    public async Task Signs_in_with_the_key_file_once_and_reads_the_tabs()
    {
        _fx.Spreadsheet.AddTab("Sheet1");
        var tab = _fx.Spreadsheet.AddTab("Companies");
        using var client = _fx.CreateClient();

        var first = await client.GetSpreadsheetAsync(Id);
        await client.GetSpreadsheetAsync(Id);

        Assert.Equal(new[] { "Sheet1", "Companies" }, first.Sheets!.Select(s => s.Properties!.Title));
        var properties = first.Sheets![1].Properties!;
        Assert.Equal(tab.SheetId, properties.SheetId);
        Assert.Equal(1000, properties.GridProperties!.RowCount);
        Assert.Equal(26, properties.GridProperties.ColumnCount);
        Assert.Equal(1, _fx.Server.IssuedTokenCount);
        Assert.Equal(1, _fx.Server.Count(FakeGoogleCall.Token));
        Assert.Equal(2, client.Statistics.Requests);
        Assert.Equal(2, client.Statistics.Count(SheetsCallKind.GetSpreadsheet));
        Assert.Equal(_fx.Account.ClientEmail, client.Principal);
    }

    [Fact]
    public async Task Values_round_trip_typed_and_formulas_are_kept_as_given()
    {
        _fx.Spreadsheet.AddTab("Data");
        using var client = _fx.CreateClient();
        await client.BatchUpdateValuesAsync(Id,
        [
            new SheetValueRange("'Data'!A1:D1", [["'=not a formula", 7L, "=HYPERLINK(\"https://x.test/\")", "'2024-05-01"]]),
        ]);
        var append = await client.AppendValuesAsync(Id, "'Data'!A:D", [["'second", 2.5, "", "'x"]]);

        var tab = _fx.Spreadsheet.Tab("Data");
        Assert.Equal("=not a formula", tab["A1"]);
        Assert.False(tab.IsFormula("A1"));
        Assert.Equal(7.0, tab["B1"]);
        Assert.True(tab.IsFormula("C1"));
        Assert.Equal("2024-05-01", tab["D1"]);
        Assert.Equal("'Data'!A2:D2", append.Updates!.UpdatedRange);
        Assert.Equal(1001, tab.RowCount); // INSERT_ROWS grows the grid

        var read = await client.BatchGetValuesAsync(Id, ["'Data'!A1:D", "'Data'!B:B"]);
        Assert.Equal(new object?[] { "=not a formula", 7.0, "=HYPERLINK(\"https://x.test/\")", "2024-05-01" }, read[0].Rows[0]);
        Assert.Equal(new object?[] { "second", 2.5, "", "x" }, read[0].Rows[1]);
        Assert.Equal(new object?[] { 7.0 }, read[1].Rows[0]);
        var shown = await client.BatchGetValuesAsync(Id, ["'Data'!C1"], SheetValueRender.UnformattedValue);
        Assert.Equal("https://x.test/", shown[0].Rows[0][0]);
    }

    [Fact]
    public async Task A_storm_of_429_is_waited_out_honouring_Retry_After()
    {
        _fx.Spreadsheet.AddTab("Companies");
        _fx.Server.FailNext(FakeGoogleCall.GetSpreadsheet, 429, times: 3, retryAfterSeconds: 7);
        using var client = _fx.CreateClient(maxRetries: 4);

        var spreadsheet = await client.GetSpreadsheetAsync(Id);

        Assert.Single(spreadsheet.Sheets!);
        Assert.Equal(new[] { TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(7) }, _fx.Waits);
        Assert.Equal(4, _fx.Server.Count(FakeGoogleCall.GetSpreadsheet));
        Assert.Equal(4, client.Statistics.Requests);
        Assert.Equal(3, client.Statistics.Retries);
        Assert.Equal(3, client.Statistics.RateLimited);
    }

    [Fact]
    public async Task Server_errors_back_off_exponentially_and_give_up_after_the_bound()
    {
        _fx.Spreadsheet.AddTab("Companies");
        _fx.Server.FailNext(FakeGoogleCall.ValuesBatchGet, 500, times: 10);
        using var client = _fx.CreateClient(maxRetries: 3);

        var ex = await Assert.ThrowsAsync<SheetsApiException>(() => client.BatchGetValuesAsync(Id, ["'Companies'!A:A"]));

        Assert.Equal("SheetsUnavailable", ex.ErrorId);
        Assert.True(ex.IsTransient);
        Assert.Equal(500, ex.StatusCode);
        Assert.Contains("Gave up after 3 retries", ex.Message);
        Assert.Contains("Internal error encountered.", ex.Message);
        Assert.Equal(new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4) }, _fx.Waits);
        Assert.Equal(4, _fx.Server.Count(FakeGoogleCall.ValuesBatchGet));
    }

    [Fact]
    public async Task A_quota_403_is_a_rate_limit_and_is_retried()
    {
        _fx.Spreadsheet.AddTab("Companies");
        _fx.Server.FailNext(FakeGoogleCall.ValuesBatchGet, 403, googleStatus: "RESOURCE_EXHAUSTED");
        using var client = _fx.CreateClient();
        await client.BatchGetValuesAsync(Id, ["'Companies'!A:A"]);
        Assert.Equal(1, client.Statistics.RateLimited);
        Assert.Equal(2, _fx.Server.Count(FakeGoogleCall.ValuesBatchGet));
    }

    [Fact]
    public async Task Appends_are_never_retried()
    {
        _fx.Spreadsheet.AddTab("Companies");
        _fx.Server.FailNext(FakeGoogleCall.ValuesAppend, 503);
        using var client = _fx.CreateClient();

        var ex = await Assert.ThrowsAsync<SheetsApiException>(() => client.AppendValuesAsync(Id, "'Companies'!A:B", [["'a", 1L]]));

        Assert.True(ex.IsTransient);
        Assert.Equal(SheetsCallKind.ValuesAppend, ex.Call);
        Assert.Equal(1, _fx.Server.Count(FakeGoogleCall.ValuesAppend));
        Assert.Empty(_fx.Waits);
        Assert.Equal(0, _fx.Spreadsheet.Tab("Companies").LastDataRow);
    }

    [Fact]
    public async Task A_batch_update_that_adds_a_tab_is_not_retried_blindly()
    {
        _fx.Server.FailNext(FakeGoogleCall.BatchUpdate, 500, applyFirst: true);
        using var client = _fx.CreateClient();
        await Assert.ThrowsAsync<SheetsApiException>(() => client.BatchUpdateAsync(Id,
            [new SheetRequest { AddSheet = new AddSheetRequest { Properties = new SheetProperties { Title = "New" } } }]));
        Assert.Equal(1, _fx.Server.Count(FakeGoogleCall.BatchUpdate));
        Assert.NotNull(_fx.Spreadsheet.FindTab("New"));
    }

    [Fact]
    public async Task Missing_spreadsheet_and_missing_permission_have_their_own_error_ids()
    {
        using var client = _fx.CreateClient();
        var missing = await Assert.ThrowsAsync<SheetsApiException>(() => client.GetSpreadsheetAsync("no-such-sheet"));
        Assert.Equal("SheetsSpreadsheetNotFound", missing.ErrorId);
        Assert.Equal(FailureKind.ObjectNotFound, missing.Kind);

        _fx.Server.FailNext(FakeGoogleCall.GetSpreadsheet, 403);
        var denied = await Assert.ThrowsAsync<SheetsApiException>(() => client.GetSpreadsheetAsync(Id));
        Assert.Equal("SheetsPermissionDenied", denied.ErrorId);
        Assert.Equal(FailureKind.PermissionDenied, denied.Kind);
        Assert.Contains(_fx.Account.ClientEmail, denied.RecommendedAction);
        Assert.False(denied.IsTransient);
    }

    [Theory]
    [InlineData(401, "SheetsAuthenticationFailed")]
    [InlineData(403, "SheetsPermissionDenied")]
    [InlineData(404, "SheetsSpreadsheetNotFound")]
    [InlineData(429, "SheetsRateLimited")]
    public async Task A_refused_call_has_its_spreadsheet_as_the_target(int status, string errorId)
    {
        _fx.Spreadsheet.AddTab("Companies");
        _fx.Server.FailNext(FakeGoogleCall.ValuesBatchGet, status, times: 20);
        using var client = _fx.CreateClient(maxRetries: 1);

        var ex = await Assert.ThrowsAsync<SheetsApiException>(() => client.BatchGetValuesAsync(Id, ["'Companies'!A:A"]));

        Assert.Equal((errorId, (object)Id), (ex.ErrorId, ex.Target));
    }

    [Fact]
    public async Task An_unreachable_token_endpoint_is_named_instead_of_the_Sheets_address()
    {
        // A port that was free a moment ago: nothing answers there.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var path = Path.Combine(_fx.Directory, "unreachable-token.json");
        File.WriteAllText(path, _fx.Account.KeyJson.Replace(_fx.Server.TokenUri.ToString(), $"http://127.0.0.1:{port}/token"));
        using var client = SheetsClient.FromServiceAccountKeyFile(path, new SheetsClientOptions
        {
            BaseUri = _fx.Server.BaseUri,
            RetryPolicy = new RetryPolicy(1, TimeSpan.FromSeconds(1), jitter: 0, wait: (_, _) => Task.CompletedTask),
        });

        var ex = await Assert.ThrowsAsync<SheetsApiException>(() => client.GetSpreadsheetAsync(Id));

        Assert.Equal("SheetsUnavailable", ex.ErrorId);
        Assert.Equal(FailureKind.ConnectionError, ex.Kind);
        Assert.Contains($"token endpoint 127.0.0.1:{port}", ex.Message);
        Assert.DoesNotContain("Google Sheets could not be reached", ex.Message);
        Assert.Contains("token_uri", ex.RecommendedAction);
        Assert.DoesNotContain("BaseUri", ex.RecommendedAction);
        Assert.Equal(Id, ex.Target);
        Assert.Equal(0, _fx.Server.Count(FakeGoogleCall.GetSpreadsheet));
    }

    [Fact]
    public void A_folder_given_as_the_key_file_is_called_a_folder()
    {
        var ex = Assert.ThrowsAny<JobSignalException>(() => SheetsClient.FromServiceAccountKeyFile(_fx.Directory));
        Assert.Equal("SheetsCredentialNotFound", ex.ErrorId);
        Assert.Equal($"'{_fx.Directory}' is a folder, not a service-account key file.", ex.Message);
        Assert.Contains("not at its folder", ex.RecommendedAction);
        Assert.Equal(_fx.Directory, ex.Target);
    }

    [Fact]
    public async Task A_bad_range_is_a_rejected_request_with_Googles_reason()
    {
        using var client = _fx.CreateClient();
        var ex = await Assert.ThrowsAsync<SheetsApiException>(() => client.BatchGetValuesAsync(Id, ["'Nope'!A:A"]));
        Assert.Equal("SheetsRequestRejected", ex.ErrorId);
        Assert.Contains("Unable to parse range: 'Nope'!A:A", ex.Message);
        Assert.Empty(_fx.Waits);
    }

    [Fact]
    public async Task A_revoked_token_is_renewed_transparently()
    {
        using var client = _fx.CreateClient();
        await client.GetSpreadsheetAsync(Id);
        _fx.Server.RevokeTokens();
        await client.GetSpreadsheetAsync(Id);
        Assert.Equal(2, _fx.Server.IssuedTokenCount);
    }

    [Fact]
    public async Task Persistent_401_from_Sheets_is_an_authentication_failure_without_key_material()
    {
        _fx.Server.FailNext(FakeGoogleCall.GetSpreadsheet, 401, times: 20);
        using var client = _fx.CreateClient();
        var ex = await Assert.ThrowsAsync<SheetsApiException>(() => client.GetSpreadsheetAsync(Id));
        Assert.Equal("SheetsAuthenticationFailed", ex.ErrorId);
        Assert.Equal(FailureKind.AuthenticationError, ex.Kind);
        Assert.Equal(401, ex.StatusCode);
        Assert.Empty(_fx.Waits);
        AssertNoKeyMaterial(ex);
    }

    [Fact]
    public async Task Token_endpoint_refusal_is_an_authentication_failure_without_key_material()
    {
        _fx.Server.RefuseTokens();
        using var client = _fx.CreateClient();
        var ex = await Assert.ThrowsAsync<SheetsApiException>(() => client.GetSpreadsheetAsync(Id));
        Assert.Equal("SheetsAuthenticationFailed", ex.ErrorId);
        Assert.Contains("invalid_grant", ex.Message);
        Assert.Contains("Invalid JWT Signature.", ex.Message);
        Assert.Contains($"token endpoint {_fx.Server.TokenUri.Authority}", ex.Message);
        Assert.Equal(Id, ex.Target);
        Assert.Equal(0, _fx.Server.Count(FakeGoogleCall.GetSpreadsheet));
        AssertNoKeyMaterial(ex);
    }

    [Fact]
    public async Task A_key_signed_by_another_private_key_is_refused_by_the_token_endpoint()
    {
        using var other = new FakeGoogleServer();
        var foreign = FakeServiceAccount.Create(other, Path.Combine(_fx.Directory, "foreign"), _fx.Account.ClientEmail);
        var json = foreign.KeyJson.Replace(other.TokenUri.ToString(), _fx.Server.TokenUri.ToString());
        var path = Path.Combine(_fx.Directory, "foreign.json");
        File.WriteAllText(path, json);

        using var client = SheetsClient.FromServiceAccountKeyFile(path, new SheetsClientOptions { BaseUri = _fx.Server.BaseUri });
        var ex = await Assert.ThrowsAsync<SheetsApiException>(() => client.GetSpreadsheetAsync(Id));
        Assert.Equal("SheetsAuthenticationFailed", ex.ErrorId);
        AssertNoKeyMaterial(ex, foreign);
    }

    public static TheoryData<string, string> BadKeyFiles => new()
    {
        { "missing", "SheetsCredentialNotFound" },
        { "not-json", "SheetsCredentialInvalid" },
        { "user-credential", "SheetsCredentialInvalid" },
        { "no-private-key", "SheetsCredentialInvalid" },
        { "corrupt-private-key", "SheetsCredentialInvalid" },
        { "bad-token-uri", "SheetsCredentialInvalid" },
    };

    [Theory]
    [MemberData(nameof(BadKeyFiles))]
    public void Bad_key_files_fail_with_stable_error_ids_and_no_key_material(string variant, string errorId)
    {
        var key = _fx.Account.KeyJson;
        var pemBody = string.Join("\\n", _fx.Account.PrivateKeyLines);
        var content = variant switch
        {
            "not-json" => key[..(key.Length / 2)],
            "user-credential" => key.Replace("\"service_account\"", "\"authorized_user\""),
            "no-private-key" => key.Replace("\"private_key\"", "\"private_key_removed\""),
            "corrupt-private-key" => key.Replace(pemBody, pemBody[..200] + "@@@" + pemBody[203..]),
            "bad-token-uri" => key.Replace(_fx.Server.TokenUri.ToString(), "ftp://example.test/token"),
            _ => null,
        };
        var path = Path.Combine(_fx.Directory, variant + ".json");
        if (content is not null) File.WriteAllText(path, content);
        Assert.True(variant == "missing" || content != key, "the variant must change the file");

        var ex = Assert.ThrowsAny<JobSignalException>(() => SheetsClient.FromServiceAccountKeyFile(path));

        Assert.Equal(errorId, ex.ErrorId);
        Assert.Contains(path, ex.Message);
        Assert.NotNull(ex.RecommendedAction);
        AssertNoKeyMaterial(ex);
    }

    [Fact]
    public void A_key_file_that_is_no_JSON_at_all_is_said_so_from_its_first_line()
    {
        var path = Path.Combine(_fx.Directory, "hello.json");
        File.WriteAllText(path, "hello");

        var ex = Assert.ThrowsAny<JobSignalException>(() => SheetsClient.FromServiceAccountKeyFile(path));

        Assert.Equal($"The service-account key file '{path}' is not valid JSON (line 1, position 1).", ex.Message);
    }

    [Fact]
    public async Task Each_retry_is_told_with_its_call_its_reason_and_its_wait()
    {
        _fx.Spreadsheet.AddTab("Companies");
        using var client = _fx.CreateClient(maxRetries: 2);
        var told = new List<string>();
        client.Retrying += notice => told.Add(notice.ToString());
        _fx.Server.FailNext(FakeGoogleCall.GetSpreadsheet, 429, times: 1, retryAfterSeconds: 3);
        _fx.Server.FailNext(FakeGoogleCall.ValuesBatchGet, 503, times: 2);

        await client.GetSpreadsheetAsync(Id);
        await client.BatchGetValuesAsync(Id, ["'Companies'!A:A"]);

        Assert.Equal(new[]
        {
            "spreadsheets.get failed (SheetsRateLimited, 429): retry 1 of 2 in 3 s, as Google's Retry-After asked.",
            "values.batchGet failed (SheetsUnavailable, 503): retry 1 of 2 in 1 s.",
            "values.batchGet failed (SheetsUnavailable, 503): retry 2 of 2 in 2 s.",
        }, told);
        Assert.Equal(3, client.Statistics.Retries);
    }

    /// <summary>No message, action or inner message anywhere in the chain holds a line of the private key.</summary>
    private void AssertNoKeyMaterial(Exception ex, FakeServiceAccount? account = null)
    {
        // The PEM's last line can be a few characters that may occur anywhere by chance: check the full-width ones.
        var lines = (account ?? _fx.Account).PrivateKeyLines.Where(l => l.Length >= 24).ToList();
        Assert.NotEmpty(lines);
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            var texts = new[] { e.Message, (e as JobSignalException)?.RecommendedAction ?? "", e.ToString() };
            foreach (var text in texts)
            {
                Assert.DoesNotContain("PRIVATE KEY", text);
                foreach (var line in lines) Assert.DoesNotContain(line[..24], text);
            }
        }
    }

    [Fact]
    public async Task A_rejected_request_and_an_unexpected_answer_each_say_what_to_do()
    {
        using var client = _fx.CreateClient();
        var rejected = await Assert.ThrowsAsync<SheetsApiException>(() => client.BatchGetValuesAsync(Id, ["'Nope'!A:A"]));
        using var notSheets = new NotSheetsServer();
        using var misdirected = SheetsClient.FromServiceAccountKeyFile(_fx.Account.KeyFilePath, new SheetsClientOptions { BaseUri = notSheets.BaseUri });
        var unexpected = await Assert.ThrowsAsync<SheetsApiException>(() => misdirected.GetSpreadsheetAsync(Id));

        Assert.Equal(("SheetsRequestRejected", (object?)Id), (rejected.ErrorId, rejected.Target));
        Assert.StartsWith("Google refused the request itself, so running the command again unchanged fails the same way.", rejected.RecommendedAction);
        Assert.Equal(("SheetsInvalidResponse", FailureKind.InvalidData, (object?)Id), (unexpected.ErrorId, unexpected.Kind, unexpected.Target));
        Assert.Equal("Google Sheets answered spreadsheets.get unexpectedly: the body is not the expected JSON (JsonReaderException).", unexpected.Message);
        Assert.StartsWith("Check -BaseUri (the pipeline's Sheet.BaseUri): it must be the Sheets API root", unexpected.RecommendedAction);
    }

    /// <summary>A web server that is not the Sheets API: every answer is a 200 HTML page.</summary>
    private sealed class NotSheetsServer : LoopbackServer
    {
        protected override async Task HandleAsync(System.Net.HttpListenerContext context)
        {
            context.Response.ContentType = "text/html";
            await context.Response.OutputStream.WriteAsync("<html>It works!</html>"u8.ToArray());
        }
    }
}

using System.Text.Json;
using JobSignal.Core.Common;
using JobSignal.Core.Domain;
using JobSignal.Core.Infojobs;
using JobSignal.TestFakes;

namespace JobSignal.Core.Tests.Infojobs;

public sealed class PayloadReplayTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("jobsignal-replay-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>An offer's content as text, without the fetch it came from.</summary>
    private static string Snapshot(Offer offer)
    {
        var fetch = offer.Fetch;
        offer.Fetch = null;
        try { return JsonSerializer.Serialize(offer); }
        finally { offer.Fetch = fetch; }
    }

    [Fact]
    public async Task Replaying_a_saved_fetch_gives_the_same_offers()
    {
        using var fake = new FakeInfojobsServer();
        fake.AddGeneratedOffers(30);
        fake.SetMissing(fake.OfferIds()[4]);
        using var client = new InfojobsClient(
            new InfojobsCredentials(FakeInfojobsServer.DefaultClientId, FakeInfojobsServer.DefaultClientSecret),
            new InfojobsClientOptions { BaseUri = fake.BaseUri });
        var archivePath = Path.Combine(_folder, "archive", "run.jsonl");
        var fetched = new List<Offer>();
        using (var archive = new PayloadArchive(archivePath, DateTimeOffset.UtcNow))
        {
            await foreach (var e in client.FetchAsync(new InfojobsQuery { PageSize = 12 }, new FetchStatistics(),
                               offer => offer.ProviderOfferId != fake.OfferIds()[7]))
            {
                if (e is not InfojobsOfferFetched f) continue;
                fetched.Add(f.Offer);
                archive.Write(f.Payload);
            }
            Assert.Equal(29, archive.Count);
        }

        var replayed = PayloadReplay.Read(archivePath).ToList();

        Assert.All(replayed, r => Assert.Null(r.Error));
        Assert.Equal(Enumerable.Range(1, 29).Cast<int?>(), replayed.Select(r => r.Line));
        Assert.Equal(fetched.Select(Snapshot), replayed.Select(r => Snapshot(r.Offer!)));
        Assert.All(replayed, r => Assert.Null(r.Offer!.Fetch));
        Assert.Equal(29, File.ReadAllLines(archivePath).Length);
    }

    [Fact]
    public void Appends_to_an_existing_archive_and_names_a_file_in_a_folder()
    {
        var payload = JsonDocument.Parse("""{"id":"a","title":"Gestión de cobros en divisa"}""").RootElement;
        var file = Path.Combine(_folder, "run.jsonl");
        using (var first = new PayloadArchive(file, DateTimeOffset.UtcNow)) first.Write(payload);
        using (var second = new PayloadArchive(file, DateTimeOffset.UtcNow)) second.Write(payload);
        using var inFolder = new PayloadArchive(_folder, new DateTimeOffset(2025, 6, 2, 8, 30, 5, TimeSpan.Zero));

        Assert.Equal(new[] { """{"id":"a","title":"Gestión de cobros en divisa"}""", """{"id":"a","title":"Gestión de cobros en divisa"}""" },
            File.ReadAllLines(file));
        Assert.Equal(Path.Combine(_folder, "infojobs-20250602-083005.jsonl"), inFolder.FilePath);
    }

    [Fact]
    public void A_path_ending_in_a_separator_is_a_folder_to_create_not_a_file()
    {
        var payload = JsonDocument.Parse("""{"id":"a","title":"Tesorero"}""").RootElement;
        var folder = Path.Combine(_folder, "new", "archive") + Path.DirectorySeparatorChar;

        using (var archive = new PayloadArchive(folder, new DateTimeOffset(2025, 6, 2, 8, 30, 5, TimeSpan.Zero)))
        {
            archive.Write(payload);
            Assert.Equal(Path.Combine(folder, "infojobs-20250602-083005.jsonl"), archive.FilePath);
        }

        Assert.Equal(["a"], PayloadReplay.Read(folder).Select(r => r.Offer!.ProviderOfferId));
    }

    [Fact]
    public void Reports_malformed_lines_with_file_and_line_and_reads_the_rest()
    {
        var path = Write("mixed.jsonl", string.Join("\n",
            """{"id":"one","title":"Uno"}""",
            """{"id":"two", "title": """,
            """{"id":"three","title":"Tres"}""",
            "",
            "42",
            """{"id":"four","title":"Cuatro"}"""));

        var records = PayloadReplay.Read(path).ToList();

        Assert.Equal(new[] { "one", "three", "four" }, records.Where(r => r.Offer is not null).Select(r => r.Offer!.ProviderOfferId));
        var errors = records.Where(r => r.Error is not null).ToList();
        Assert.Equal(new int?[] { 2, 5 }, errors.Select(r => r.Line));
        Assert.All(errors, r => Assert.Equal(InfojobsErrors.PayloadInvalid, r.Error!.ErrorId));
        Assert.All(errors, r => Assert.Equal(FailureKind.InvalidData, r.Error!.Kind));
        Assert.Contains($"{path}, line 2: not valid JSON", errors[0].Error!.Message);
        Assert.Contains($"{path}, line 5", errors[1].Error!.Message);
        Assert.Contains("must be a JSON object, not a number", errors[1].Error!.Message);
        Assert.DoesNotContain("of the array", errors[1].Error!.Message);
        Assert.Equal(new int?[] { 1, 2, 3, 5, 6 }, records.Select(r => r.Line));
    }

    [Fact]
    public void Names_the_offer_of_an_array_that_is_not_an_object()
    {
        var lines = Write("array.jsonl", """[{"id":"a1","title":"Uno"}, 7, "x"]""");
        var document = Write("array.json", """{"offers":[{"id":"d1","title":"Uno"}, 7]}""");

        var fromLines = PayloadReplay.Read(lines).ToList();
        var fromDocument = PayloadReplay.Read(document).ToList();

        Assert.Equal("a1", fromLines[0].Offer!.ProviderOfferId);
        Assert.Equal($"Unreadable InfoJobs payload in {lines}, line 1: offer 2 of the array: An InfoJobs offer must be a JSON object, not a number.", fromLines[1].Error!.Message);
        Assert.EndsWith("line 1: offer 3 of the array: An InfoJobs offer must be a JSON object, not a string.", fromLines[2].Error!.Message);
        Assert.Equal("d1", fromDocument[0].Offer!.ProviderOfferId);
        Assert.Equal($"Unreadable InfoJobs payload in {document}: offer 2 of the array: An InfoJobs offer must be a JSON object, not a number.", fromDocument[1].Error!.Message);
    }

    [Fact]
    public void A_line_that_is_no_offer_is_an_error_naming_the_file_and_line_not_an_empty_offer()
    {
        var path = Write("not-offers.jsonl", string.Join("\n",
            """{"spreadsheetId":"abc","rows":3}""",
            """{"id":"ok","title":"Tesorero/a"}""",
            "{}",
            """{"id":{"a":1},"title":"T"}""",
            """{"id":"  ","title":"T"}""",
            """{"id":null,"title":"T"}""",
            """[{"id":"a1"},{"title":"no id"}]"""));

        var records = PayloadReplay.Read(path).ToList();

        Assert.Equal(["ok", "a1"], records.Where(r => r.Offer is not null).Select(r => r.Offer!.ProviderOfferId));
        var errors = records.Where(r => r.Error is not null).ToList();
        Assert.All(errors, r => Assert.Equal((InfojobsErrors.PayloadInvalid, FailureKind.InvalidData), (r.Error!.ErrorId, r.Error.Kind)));
        Assert.Equal(new int?[] { 1, 3, 4, 5, 6, 7 }, errors.Select(r => r.Line));
        Assert.Equal($"Unreadable InfoJobs payload in {path}, line 1: It is not an InfoJobs offer: it has no id (its fields: spreadsheetId, rows).",
            errors[0].Error!.Message);
        Assert.Equal($"{path}, line 1", errors[0].Error!.Target);
        Assert.EndsWith("line 3: It is not an InfoJobs offer: an empty object.", errors[1].Error!.Message);
        Assert.EndsWith("line 4: Its id is an object, not a text or a number.", errors[2].Error!.Message);
        Assert.EndsWith("line 5: Its id is blank.", errors[3].Error!.Message);
        Assert.EndsWith("line 6: Its id is null.", errors[4].Error!.Message);
        Assert.EndsWith("line 7: offer 2 of the array: It is not an InfoJobs offer: it has no id (its fields: title).", errors[5].Error!.Message);
    }

    [Fact]
    public void Reports_a_line_in_another_encoding_and_reads_on()
    {
        var path = Path.Combine(_folder, "latin1.jsonl");
        File.WriteAllBytes(path, [
            .. System.Text.Encoding.UTF8.GetBytes("{\"id\":\"one\",\"title\":\"Tesorería\"}\n"),
            .. System.Text.Encoding.Latin1.GetBytes("{\"id\":\"two\",\"title\":\"Tesorería\"}\n"),
            .. System.Text.Encoding.UTF8.GetBytes("{\"id\":\"three\",\"title\":\"Contabilidad\"}\n")]);

        var records = PayloadReplay.Read(path).ToList();

        Assert.Equal(["one", "three"], records.Where(r => r.Offer is not null).Select(r => r.Offer!.ProviderOfferId));
        var error = Assert.Single(records, r => r.Error is not null).Error!;
        Assert.Equal((InfojobsErrors.PayloadInvalid, FailureKind.InvalidData), (error.ErrorId, error.Kind));
        Assert.Equal($"Unreadable InfoJobs payload in {path}, line 2: A text value is not valid UTF-8 (was it saved in another encoding, such as Latin-1?).", error.Message);
    }

    [Fact]
    public void Reads_json_lines_in_a_file_of_another_extension_and_a_broken_json_document_as_one_error()
    {
        var lines = string.Join("\n", """{"id":"t1","title":"Uno"}""", """{"id":"t2","title":"Dos"}""");
        var text = Write("offers.txt", lines);
        var json = Write("offers.json", lines);

        Assert.Equal(new[] { "t1", "t2" }, PayloadReplay.Read(text).Select(r => r.Offer!.ProviderOfferId));
        var broken = Assert.Single(PayloadReplay.Read(json));
        Assert.Equal(InfojobsErrors.PayloadInvalid, broken.Error!.ErrorId);
        Assert.Contains(json, broken.Error.Message);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void Counts_lines_whatever_ends_them(string newline)
    {
        var path = Write("ends.jsonl", string.Join(newline, """{"id":"one"}""", "", "  ", """{"id":"two"}""", """{"id":"three"}""") + newline);

        var records = PayloadReplay.Read(path).ToList();

        Assert.Equal(new[] { "one", "two", "three" }, records.Select(r => r.Offer!.ProviderOfferId));
        Assert.Equal(new int?[] { 1, 4, 5 }, records.Select(r => r.Line));
    }

    [Fact]
    public void Keeps_a_crlf_together_when_the_cr_is_the_last_byte_of_a_read()
    {
        // The reader reads 64 KB at a time: the first line fills the first read up to its \r exactly.
        var prefix = """{"id":"a","title":" """.TrimEnd();
        var first = prefix + new string('x', 64 * 1024 - 1 - prefix.Length - 2) + "\"}";
        var path = Path.Combine(_folder, "boundary.jsonl");
        File.WriteAllText(path, first + "\r\n" + """{"id":"b"}""" + "\r\n");
        Assert.Equal((byte)'\r', File.ReadAllBytes(path)[64 * 1024 - 1]);

        var records = PayloadReplay.Read(path).ToList();

        Assert.Equal(new[] { "a", "b" }, records.Select(r => r.Offer!.ProviderOfferId));
        Assert.Equal(new int?[] { 1, 2 }, records.Select(r => r.Line));
    }

    [Theory]
    [InlineData("utf-8-bom")]
    [InlineData("utf-16")]
    [InlineData("utf-16BE")]
    [InlineData("utf-32")]
    public void Reads_json_lines_and_documents_in_the_encoding_their_byte_order_mark_names(string encodingName)
    {
        var encoding = encodingName == "utf-8-bom" ? new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true)
            : System.Text.Encoding.GetEncoding(encodingName);
        var lines = Path.Combine(_folder, "encoded.jsonl");
        File.WriteAllText(lines, """{"id":"a1","title":"Gestión de cobros en €"}""" + "\n" + """{"id":"a2","title":"Tesorería"}""", encoding);
        var document = Path.Combine(_folder, "encoded.json");
        File.WriteAllText(document, """[{"id":"d1","title":"Facturación"}]""", encoding);

        var records = PayloadReplay.Read(lines).ToList();

        var mark = encoding.GetPreamble();
        Assert.NotEmpty(mark);
        Assert.Equal(mark, File.ReadAllBytes(lines)[..mark.Length]);
        Assert.Equal(new[] { "Gestión de cobros en €", "Tesorería" }, records.Select(r => r.Offer!.Title));
        Assert.Equal(new int?[] { 1, 2 }, records.Select(r => r.Line));
        Assert.Equal("Facturación", Assert.Single(PayloadReplay.Read(document)).Offer!.Title);
    }

    [Fact]
    public void Reads_lines_longer_than_its_buffer_and_a_last_line_without_a_line_end()
    {
        var description = string.Concat(Enumerable.Repeat("Pagos internacionales en USD. ", 10_000)); // ~300 KB
        var path = Write("long.jsonl", $$"""{"id":"short"}""" + "\r\n" + $$"""{"id":"long","description":"{{description}}"}""" + "\r\n" + """{"id":"last"}""");

        var records = PayloadReplay.Read(path).ToList();

        Assert.Equal(new[] { "short", "long", "last" }, records.Select(r => r.Offer!.ProviderOfferId));
        Assert.Equal(description, records[1].Offer!.Description);
        Assert.Equal(new int?[] { 1, 2, 3 }, records.Select(r => r.Line));
    }

    [Fact]
    public void Reading_ahead_gives_the_same_records_in_the_same_order()
    {
        var lines = Enumerable.Range(1, 1_000).Select(i => i % 97 == 0 ? "{ broken" : $$"""{"id":"o{{i}}","title":"Oferta {{i}}"}""");
        var path = Write("many.jsonl", string.Join("\n", lines));

        var expected = PayloadReplay.Read(path).Select(r => (r.Line, r.Offer?.ProviderOfferId, r.Error?.Message)).ToList();
        var ahead = PayloadReplay.ReadAhead(path, batchSize: 16, batches: 2).Select(r => (r.Line, r.Offer?.ProviderOfferId, r.Error?.Message)).ToList();

        Assert.Equal(1_000, ahead.Count);
        Assert.Equal(10, ahead.Count(r => r.Message is not null));
        Assert.Equal(expected, ahead);
    }

    [Fact]
    public void Reading_ahead_stops_its_worker_and_closes_the_file_when_the_caller_stops_early()
    {
        var path = Write("stop.jsonl", string.Join("\n", Enumerable.Range(1, 5_000).Select(i => $$"""{"id":"o{{i}}"}""")));

        var first = PayloadReplay.ReadAhead(path, batchSize: 8, batches: 2).Take(3).Select(r => r.Offer!.ProviderOfferId).ToList();

        Assert.Equal(new[] { "o1", "o2", "o3" }, first);
        // Exclusive access is refused while any reader still has the file open.
        using var exclusive = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
    }

    [Fact]
    public void Reading_ahead_stops_when_cancelled()
    {
        var path = Write("cancel.jsonl", string.Join("\n", Enumerable.Range(1, 5_000).Select(i => $$"""{"id":"o{{i}}"}""")));
        using var cancel = new CancellationTokenSource();
        var read = 0;

        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var _ in PayloadReplay.ReadAhead(path, batchSize: 8, batches: 2, cancel.Token))
                if (++read == 10) cancel.Cancel();
        });
        Assert.InRange(read, 10, 10 + 8);
        using var exclusive = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
    }

    [Fact]
    public void Reads_a_saved_list_answer()
    {
        var path = Write("page.json", File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "sample_search_response.json")));

        var record = Assert.Single(PayloadReplay.Read(path));

        Assert.Equal("0bb014b42f407ca6e988dc789f5a5a", record.Offer!.ProviderOfferId);
        Assert.Null(record.Line);
    }

    [Fact]
    public void Reads_a_detail_document_and_an_array_of_details()
    {
        var detail = Write("detail.json", """{"id":"d1","title":"Detalle","description":"Facturación en USD"}""");
        var array = Write("details.json", """[{"id":"a1"}, {"id":"a2"}]""");

        Assert.Equal("Facturación en USD", Assert.Single(PayloadReplay.Read(detail)).Offer!.Description);
        Assert.Equal(new[] { "a1", "a2" }, PayloadReplay.Read(array).Select(r => r.Offer!.ProviderOfferId));
    }

    [Fact]
    public void Reports_a_malformed_document_with_its_line()
    {
        var path = Write("broken.json", "{\n  \"id\": \"x\",\n  \"title\": oops\n}");

        var record = Assert.Single(PayloadReplay.Read(path));

        Assert.Equal(InfojobsErrors.PayloadInvalid, record.Error!.ErrorId);
        Assert.Equal(3, record.Line);
        Assert.Contains("line 3", record.Error.Message);
    }

    [Fact]
    public void Reads_a_folder_recursively_in_path_order_and_skips_other_files()
    {
        Write("b.jsonl", """{"id":"b1"}""" + "\n" + """{"id":"b2"}""");
        Write("a.json", """{"id":"a1"}""");
        Write("sub/c.ndjson", """{"id":"c1"}""");
        Write("notes.txt", "not a payload");

        var ids = PayloadReplay.Read(_folder).Select(r => r.Offer!.ProviderOfferId);

        Assert.Equal(new[] { "a1", "b1", "b2", "c1" }, ids);
    }

    [Fact]
    public void Reports_a_missing_path()
    {
        var missing = Path.Combine(_folder, "nope.jsonl");

        var record = Assert.Single(PayloadReplay.Read(missing));

        Assert.Equal(InfojobsErrors.PayloadPathNotFound, record.Error!.ErrorId);
        Assert.Contains(missing, record.Error.Message);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using JobSignal.Core.Aggregation;
using JobSignal.Core.Catalog;
using JobSignal.Core.Domain;
using JobSignal.Core.Ingestion;
using JobSignal.Core.Store;
using Microsoft.Data.Sqlite;

namespace JobSignal.Bench;

/// <summary>
/// End-to-end ingestion (SPEC 7, 12): the synthetic corpus streamed through <see cref="OfferIngestor"/> into a fresh
/// store (identity, reposts, match, score, store), then every company aggregated; next to it, the floor: a plain
/// single-transaction SQLite insert of the same offer rows, measured in the same run. With --module, the same
/// corpus also goes through the cmdlet pipeline (Get-InfojobsOffer -Path | Invoke-OfferIngestion |
/// Update-CompanyAggregation) in pwsh children, with the replay, the ingestion and the aggregation also timed alone.
/// Targets: time per offer at 100k within 1.3x of 10k, at most 5x the floor, peak working set under 400 MB,
/// at least 5,000 offers/s through the cmdlets.
/// </summary>
internal sealed class IngestScenario : IBenchScenario
{
    public string Name => "ingest";
    public string Description => "end-to-end ingestion + aggregation vs a plain SQLite insert of the same rows; cmdlet pipeline with --module";

    public void Run(BenchOptions options, TextWriter output)
    {
        var catalog = CompiledCatalog.Load(Path.Combine(options.RepositoryRoot, CatalogLocator.DefaultRelativePath));
        // --repost-budget N: the canonical offers held in the repost indexes (IngestionOptions.RepostIndexBudget), to see its trade-off.
        var ingestion = options.Extra.TryGetValue("repost-budget", out var budget)
            ? new IngestionOptions { RepostIndexBudget = int.Parse(budget, CultureInfo.InvariantCulture) }
            : new IngestionOptions();
        output.WriteLine(Invariant($"Repost index budget: {ingestion.RepostIndexBudget} offers; chunks of {ingestion.ChunkSize}."));
        var folder = Path.Combine(Path.GetTempPath(), "jobsignal-bench-" + Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(folder);
        try
        {
            Warm(catalog, folder);
            output.WriteLine("Wall time suffers when other processes share the cores; CPU time (this process) does not: both are given.");
            output.WriteLine("Generation of the corpus is inside every measurement (it streams); its own cost is the 'generate' column.");
            output.WriteLine();
            output.WriteLine("| offers | generate s | floor insert s (CPU) | ingest s (CPU) | offers/s (wall) | µs/offer (CPU) | x floor (CPU) | x floor, generation excluded (CPU) | peak WS MB (managed) | KB allocated/offer | KB written/offer (floor) | aggregate s (CPU) | companies |");
            output.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            var perOffer = new List<(int Size, double MicrosPerOffer)>();
            var details = new List<string>();
            foreach (var size in options.Sizes)
            {
                var generate = Measure(() => { foreach (var _ in new IngestionCorpus().Take(size)) { } });
                var floor = Measure(() => PlainInsert(Path.Combine(folder, $"floor-{size}.db"), new IngestionCorpus().Take(size)));
                var corpus = new IngestionCorpus();
                IngestionRun? run = null;
                int loads = 0;
                var db = Path.Combine(folder, $"ingest-{size}.db");
                var ingest = Measure(() =>
                {
                    using var store = SignalStore.Open(db);
                    using var ingestor = OfferIngestor.Start(store, catalog, ingestion);
                    run = ingestor.Ingest(corpus.Take(size));
                    loads = ingestor.RepostIndexLoads;
                });
                var companies = 0;
                var aggregate = Measure(() =>
                {
                    using var store = SignalStore.Open(db);
                    companies = new AggregationRunner(store).Aggregate(store.Companies.ListIds()).Count(r => r.Status == CompanyAggregationStatus.Aggregated);
                });
                var micros = ingest.Cpu * 1e6 / size;
                perOffer.Add((size, micros));
                output.WriteLine(Invariant(
                    $"| {size} | {generate.Wall:0.00} | {floor.Wall:0.00} ({floor.Cpu:0.00}) | {ingest.Wall:0.00} ({ingest.Cpu:0.00}) | {size / ingest.Wall:0} | {micros:0} | {ingest.Cpu / floor.Cpu:0.0}x | {(ingest.Cpu - generate.Cpu) / Math.Max(0.001, floor.Cpu - generate.Cpu):0.0}x | {ingest.PeakMb:0} ({ingest.ManagedMb:0}) | {(ingest.AllocatedBytes - generate.AllocatedBytes) / 1024.0 / size:0.0} | {ingest.WrittenBytes / 1024.0 / size:0.0} ({floor.WrittenBytes / 1024.0 / size:0.0}) | {aggregate.Wall:0.00} ({aggregate.Cpu:0.00}) | {companies} |"));
                details.Add(Invariant($"{size}: generated {corpus.Vacancies} vacancies, {corpus.Reposts} reposts ({corpus.NearDuplicates} edited), {corpus.BadRecords} bad records") +
                    Invariant($"; run: inserted {run!.Inserted}, reposts {run.Reposts}, skipped invalid {run.SkippedInvalid}, no identity {run.SkippedNoIdentity}") +
                    Invariant($", failed {run.FailedDb + run.MatchFailed}, scored {run.Scored}; repost indexes loaded {loads}; store {new FileInfo(db).Length / 1_048_576.0:0} MB; ingestion {ingest.Gc}"));
            }
            output.WriteLine();
            foreach (var line in details) output.WriteLine("- " + line);
            if (perOffer.Count > 1)
                output.WriteLine(Invariant($"- CPU time per offer at {perOffer[^1].Size} vs {perOffer[0].Size}: {perOffer[^1].MicrosPerOffer / perOffer[0].MicrosPerOffer:0.00}x"));
            if (options.Extra.TryGetValue("module", out var module) && File.Exists(module))
                ThroughCmdlets(options, module, folder, output);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>A small run first, so that JIT and tiering are not charged to the first size.</summary>
    private static void Warm(CompiledCatalog catalog, string folder)
    {
        using (var store = SignalStore.Open(Path.Combine(folder, "warm.db")))
        using (var ingestor = OfferIngestor.Start(store, catalog))
        {
            ingestor.Ingest(new IngestionCorpus(seed: 7).Take(2_000));
            new AggregationRunner(store).Aggregate(store.Companies.ListIds()).ToList();
        }
        PlainInsert(Path.Combine(folder, "warm-floor.db"), new IngestionCorpus(seed: 7).Take(2_000));
    }

    /// <summary>
    /// The floor: the same offers, every text column and timestamp an ingestion stores, inserted into a store of the
    /// same schema and settings with one prepared statement in one transaction. Nothing else: no identity, no repost
    /// check, no matching, no scoring.
    /// </summary>
    private static void PlainInsert(string path, IEnumerable<Offer> offers)
    {
        SignalStore.Open(path).Dispose(); // schema, WAL
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using (var pragmas = connection.CreateCommand())
        {
            pragmas.CommandText = "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; " +
                                  "INSERT INTO companies (display_name, normalized_name, first_seen_at, last_seen_at) VALUES ('floor', 'floor', '', '')";
            pragmas.ExecuteNonQuery();
        }
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO offers (company_id, provider, provider_offer_id, url, title, description, requirements, city,
                published_at, provider_updated_at, first_seen_at, last_seen_at, last_seen_provider_offer_id)
            VALUES (1, $provider, $id, $url, $title, $description, $requirements, $city, $published, $updated, $seen, $seen, $id)
            """;
        var names = new[] { "$provider", "$id", "$url", "$title", "$description", "$requirements", "$city", "$published", "$updated", "$seen" };
        var parameters = names.Select(n => insert.Parameters.Add(n, SqliteType.Text)).ToArray();
        insert.Prepare();
        var seen = StoreTime.ToText(DateTimeOffset.UtcNow);
        foreach (var offer in offers)
        {
            object?[] values = [offer.Provider, offer.ProviderOfferId, offer.Url, offer.Title, offer.Description, offer.Requirements,
                offer.City, StoreTime.ToText(offer.PublishedAt), StoreTime.ToText(offer.UpdatedAt), seen];
            for (var i = 0; i < values.Length; i++) parameters[i].Value = values[i] ?? DBNull.Value;
            insert.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    /// <summary>
    /// The cmdlet pipeline: the corpus written as InfoJobs detail payloads (JSON Lines) and replayed in fresh pwsh
    /// children with the module, each child timing its own steps (wall and its own CPU) after a warm-up of a small
    /// other corpus through the same cmdlets (JIT and module load are not charged to the size measured):
    /// the replay alone (<c>Get-InfojobsOffer -Path | Out-Null</c>: parsing and mapping); ingestion alone (offers
    /// replayed into memory first, then piped into <c>Invoke-OfferIngestion</c>) and aggregation alone
    /// (<c>Update-CompanyAggregation -RunId</c>); and the whole pipeline end to end,
    /// <c>Get-InfojobsOffer -Path | Invoke-OfferIngestion | Update-CompanyAggregation</c>, the companies counted by
    /// Measure-Object, never held: once as is, once with the runtime settings of the README's scheduled-task recipes
    /// (<see cref="ScheduledRunEnvironment"/>). Then the queries an analyst runs next over the store the full pipeline
    /// left, in one more child: the ten best offers, every offer, every company (time and the child's peak working set).
    /// </summary>
    private static void ThroughCmdlets(BenchOptions options, string module, string folder, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("Through the cmdlet pipeline (fresh pwsh children, warmed up; wall s with the child's CPU s in brackets; "
                         + "full = Get-InfojobsOffer -Path corpus.jsonl | Invoke-OfferIngestion | Update-CompanyAggregation | Measure-Object):");
        output.WriteLine();
        output.WriteLine("| offers | replay alone s (CPU) | replay offers/s | ingestion alone s (CPU) | aggregation alone s (CPU) | full pipeline s (CPU) | full offers/s | companies | full child peak WS MB | full, scheduled-run settings s (CPU) | offers/s | peak WS MB |");
        output.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var warm = Path.Combine(folder, "corpus-warm.jsonl");
        var queryRows = new List<string>();
        WritePayloads(warm, new IngestionCorpus(seed: 7).Take(1_000));
        foreach (var size in options.Sizes)
        {
            var payloads = Path.Combine(folder, $"corpus-{size}.jsonl");
            WritePayloads(payloads, new IngestionCorpus().Take(size));
            var replay = RunCmdlets(options, module, folder, warm, $$"""
                $replay = Measure-Step { Get-InfojobsOffer -Path '{{payloads}}' -ErrorAction SilentlyContinue | Out-Null }
                "$replay"
                """);
            var alone = RunCmdlets(options, module, folder, warm, $$"""
                $offers = @(Get-InfojobsOffer -Path '{{payloads}}' -ErrorAction SilentlyContinue)
                $db = Join-Path '{{folder}}' 'cmdlets-alone-{{size}}.db'
                $ingest = Measure-Step { $script:run = $offers | Invoke-OfferIngestion -DatabasePath $db -ErrorAction SilentlyContinue }
                $offers = $null
                $aggregate = Measure-Step { $script:companies = (Update-CompanyAggregation -RunId $run.RunId -DatabasePath $db -ErrorAction SilentlyContinue | Measure-Object).Count }
                "$ingest $aggregate $companies"
                """);
            string FullPipeline(string name) => $$"""
                $db = Join-Path '{{folder}}' 'cmdlets-{{name}}-{{size}}.db'
                $full = Measure-Step {
                    $script:companies = (Get-InfojobsOffer -Path '{{payloads}}' -ErrorAction SilentlyContinue |
                        Invoke-OfferIngestion -DatabasePath $db -ErrorAction SilentlyContinue |
                        Update-CompanyAggregation -DatabasePath $db -ErrorAction SilentlyContinue | Measure-Object).Count
                }
                "$full $companies $(([Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64 / 1MB).ToString('0', [cultureinfo]::InvariantCulture))"
                """;
            var full = RunCmdlets(options, module, folder, warm, FullPipeline("full"));
            var tuned = RunCmdlets(options, module, folder, warm, FullPipeline("tuned"), ScheduledRunEnvironment);
            // What an analyst does next with the store the full pipeline left (as is): the best offers, all of them, every company.
            var queries = RunCmdlets(options, module, folder, warm, $$"""
                $db = Join-Path '{{folder}}' 'cmdlets-full-{{size}}.db'
                $first = Measure-Step { $null = Get-SignalOffer -DatabasePath $db | Select-Object -First 10 }
                $all = Measure-Step { $script:offers = (Get-SignalOffer -DatabasePath $db | Measure-Object).Count }
                $companies = Measure-Step { $null = Get-SignalCompany -DatabasePath $db | Measure-Object }
                "$first $all $offers $companies $(([Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64 / 1MB).ToString('0', [cultureinfo]::InvariantCulture))"
                """);
            queryRows.Add(Invariant($"| {size} | {queries[0]} | {queries[2]} ({queries[3]}) | {queries[4]} | {queries[5]} ({queries[6]}) | {queries[7]} |"));
            double At(string[] values, int index) => double.Parse(values[index], CultureInfo.InvariantCulture);
            output.WriteLine(Invariant(
                $"| {size} | {At(replay, 0):0.00} ({At(replay, 1):0.00}) | {size / At(replay, 0):0} | {At(alone, 0):0.00} ({At(alone, 1):0.00}) | {At(alone, 2):0.00} ({At(alone, 3):0.00}) | ") +
                Invariant($"{At(full, 0):0.00} ({At(full, 1):0.00}) | {size / At(full, 0):0} | {full[2]} | {full[3]} | ") +
                Invariant($"{At(tuned, 0):0.00} ({At(tuned, 1):0.00}) | {size / At(tuned, 0):0} | {tuned[3]} |"));
            if (full[2] != alone[4] || tuned[2] != full[2])
                output.WriteLine(Invariant($"- {size}: the full pipeline emitted {full[2]} companies ({tuned[2]} with the scheduled-run settings), aggregation alone {alone[4]}."));
            File.Delete(payloads);
        }
        output.WriteLine();
        output.WriteLine("Queries over the store of the full pipeline (a fresh pwsh child, as is, warmed up; wall s with CPU s in brackets): "
                         + "Get-SignalOffer | Select-Object -First 10; Get-SignalOffer | Measure-Object; Get-SignalCompany | Measure-Object:");
        output.WriteLine();
        output.WriteLine("| offers ingested | first 10 offers s | all offers s (CPU) | offers listed | all companies s (CPU) | child peak WS MB |");
        output.WriteLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var row in queryRows) output.WriteLine(row);
    }

    /// <summary>
    /// Runs <paramref name="body"/> in a fresh pwsh with the module imported, after a warm-up of the whole pipeline
    /// over <paramref name="warm"/> into a throw-away store; <c>Measure-Step { ... }</c> in the body gives
    /// "wall-seconds cpu-seconds" of the block. Returns the body's last output line split on spaces.
    /// </summary>
    private static string[] RunCmdlets(BenchOptions options, string module, string folder, string warm, string body,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var script = $$"""
            Import-Module '{{module}}'
            $warmDb = Join-Path '{{folder}}' "cmdlets-warm-$PID.db"
            $null = Get-InfojobsOffer -Path '{{warm}}' -ErrorAction SilentlyContinue | Invoke-OfferIngestion -DatabasePath $warmDb -ErrorAction SilentlyContinue |
                Update-CompanyAggregation -DatabasePath $warmDb -ErrorAction SilentlyContinue
            [GC]::Collect()
            function Measure-Step([scriptblock] $Step) {
                $process = [Diagnostics.Process]::GetCurrentProcess()
                $cpu = $process.TotalProcessorTime
                $watch = [Diagnostics.Stopwatch]::StartNew()
                . $Step
                $watch.Stop()
                $process.Refresh()
                $culture = [cultureinfo]::InvariantCulture
                '{0} {1}' -f $watch.Elapsed.TotalSeconds.ToString('0.000', $culture), ($process.TotalProcessorTime - $cpu).TotalSeconds.ToString('0.000', $culture)
            }
            {{body}}
            """;
        return RunPwsh(options.RepositoryRoot, script, environment).Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>
    /// The runtime settings the README's scheduled-task recipes put in the environment of a nightly run: no tiered
    /// compilation (each method compiled once, optimized, and precompiled framework code used as it is, where tiering
    /// compiles thousands of hot methods again while the run competes for the same two cores) and a 32 MB
    /// generation 0 (a chunk being prepared otherwise outlives several collections).
    /// </summary>
    private static readonly IReadOnlyDictionary<string, string> ScheduledRunEnvironment = new Dictionary<string, string>
    {
        ["DOTNET_TieredCompilation"] = "0",
        ["DOTNET_GCgen0size"] = "0x2000000",
    };

    private static string RunPwsh(string repositoryRoot, string script, IReadOnlyDictionary<string, string>? environment)
    {
        var scriptFile = Path.Combine(Path.GetTempPath(), $"jobsignal-bench-{Guid.NewGuid():n}.ps1");
        File.WriteAllText(scriptFile, script);
        try
        {
            // The pinned PowerShell of the repository's tool manifest.
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = repositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "pwsh", "-NoProfile", "-NonInteractive", "-File", scriptFile }) start.ArgumentList.Add(argument);
            foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
            using var child = Process.Start(start)!;
            var stderr = child.StandardError.ReadToEndAsync();
            var lines = child.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            child.WaitForExit();
            if (child.ExitCode != 0 || lines.Length == 0)
                throw new InvalidOperationException($"The pwsh child failed ({child.ExitCode}): {stderr.Result}");
            return lines[^1];
        }
        finally
        {
            File.Delete(scriptFile);
        }
    }

    private static void WritePayloads(string path, IEnumerable<Offer> offers)
    {
        using var stream = File.Create(path);
        var options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        foreach (var offer in offers)
        {
            using (var json = new Utf8JsonWriter(stream, options))
            {
                json.WriteStartObject();
                json.WriteString("id", offer.ProviderOfferId);
                json.WriteString("title", offer.Title);
                json.WriteString("link", offer.Url);
                json.WriteString("description", offer.Description);
                json.WriteString("minRequirements", offer.Requirements);
                json.WriteString("city", offer.City);
                json.WriteString("creationDate", offer.PublishedAt?.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture));
                json.WriteString("updateDate", offer.UpdatedAt?.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture));
                if (offer.Company is { } company)
                {
                    json.WriteStartObject("profile");
                    json.WriteString("id", company.ProviderCompanyId);
                    json.WriteString("name", company.Name);
                    json.WriteString("web", company.Website);
                    json.WriteBoolean("hidden", company.Hidden);
                    json.WriteEndObject();
                }
                json.WriteEndObject();
            }
            stream.WriteByte((byte)'\n');
        }
    }

    private sealed record Measurement(double Wall, double Cpu, double PeakMb, double ManagedMb, long AllocatedBytes, long WrittenBytes, string Gc);

    /// <summary>Bytes this process has caused to be written to storage so far (Linux /proc/self/io); 0 elsewhere.</summary>
    private static long StorageWrites()
    {
        const string io = "/proc/self/io";
        if (!File.Exists(io)) return 0;
        var line = File.ReadLines(io).FirstOrDefault(l => l.StartsWith("write_bytes:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line["write_bytes:".Length..].Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>Wall and CPU time of <paramref name="work"/>, and the largest working set sampled while it ran.</summary>
    private static Measurement Measure(Action work)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        long peak = 0, managed = 0;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            using var self = Process.GetCurrentProcess();
            while (!stop.IsCancellationRequested)
            {
                self.Refresh();
                peak = Math.Max(peak, self.WorkingSet64);
                managed = Math.Max(managed, GC.GetTotalMemory(false));
                try { await Task.Delay(20, stop.Token); } catch (TaskCanceledException) { }
            }
        });
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var writtenBefore = StorageWrites();
        var pauseBefore = GC.GetTotalPauseDuration();
        var jitBefore = System.Runtime.JitInfo.GetCompilationTime();
        var methodsBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
        int[] collectionsBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        var watch = Stopwatch.StartNew();
        work();
        watch.Stop();
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var written = StorageWrites() - writtenBefore;
        var gc = Invariant($"GC paused {(GC.GetTotalPauseDuration() - pauseBefore).TotalSeconds:0.00} s, collections gen0/1/2 ") +
                 string.Join('/', collectionsBefore.Select((before, generation) => GC.CollectionCount(generation) - before)) +
                 Invariant($"; JIT {(System.Runtime.JitInfo.GetCompilationTime() - jitBefore).TotalSeconds:0.00} s for {System.Runtime.JitInfo.GetCompiledMethodCount() - methodsBefore} methods");
        stop.Cancel();
        sampler.Wait();
        return new Measurement(watch.Elapsed.TotalSeconds, cpu, peak / 1_048_576.0, managed / 1_048_576.0, allocated, written, gc);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Management.Automation;
using JobSignal.Cmdlets.Infrastructure;
using JobSignal.Core.Common;
using JobSignal.Core.Domain;
using JobSignal.Core.Infojobs;

namespace JobSignal.Cmdlets.Commands;

/// <summary>
/// Searches the InfoJobs API and streams the offers with their details, or replays saved payloads (<c>-Path</c>).
/// All output, progress and errors are written from the pipeline thread; the fetch itself runs on worker threads.
/// </summary>
[Cmdlet(VerbsCommon.Get, "InfojobsOffer", DefaultParameterSetName = SearchSet)]
[OutputType(typeof(Offer))]
public sealed class GetInfojobsOfferCommand : StoreCmdlet
{
    private const string SearchSet = "Search";
    private const string ReplaySet = "Replay";
    private const string LiteralReplaySet = "LiteralReplay";

    /// <summary>The PowerShell type name of every offer (format views, Get-Member).</summary>
    public const string OfferTypeName = "JobSignal.Offer";

    private const int PageActivity = 1;
    private const int OfferActivity = 2;
    private const string PageActivityName = "Searching InfoJobs";
    private const string OfferActivityName = "Reading InfoJobs offers";
    private const string ReplayActivityName = "Replaying InfoJobs payloads";

    /// <summary>Replayed offers are parsed ahead in batches of this many, at most four batches (a few MB) ahead.</summary>
    private const int ReplayBatch = 64;

    [Parameter(ParameterSetName = SearchSet, Position = 0)]
    [Alias("q")]
    public string? Query { get; set; }

    [Parameter(ParameterSetName = SearchSet)]
    [ValidateNotNullOrEmpty]
    [ValidateInfojobsKey]
    [ArgumentCompleter(typeof(ProvinceCompleter))]
    public string[]? Province { get; set; }

    [Parameter(ParameterSetName = SearchSet)]
    [ValidateNotNullOrEmpty]
    [ValidateInfojobsKey]
    public string[]? Category { get; set; }

    /// <summary>_24_HOURS, _7_DAYS, _15_DAYS, ANY, or a past date (mapped to the smallest bucket covering it).</summary>
    [Parameter(ParameterSetName = SearchSet)]
    [SinceTransformation]
    public InfojobsSince? Since { get; set; }

    [Parameter(ParameterSetName = SearchSet)]
    [ValidateInfojobsOrder]
    [ArgumentCompleter(typeof(InfojobsOrderCompleter))]
    public string? Order { get; set; }

    [Parameter(ParameterSetName = SearchSet)]
    [ValidateRange(1, 10000)]
    public int MaxPages { get; set; } = 10;

    [Parameter(ParameterSetName = SearchSet)]
    [ValidateRange(1, 1000000)]
    public int MaxOffers { get; set; } = 500;

    [Parameter(ParameterSetName = SearchSet)]
    [ValidateRange(1, InfojobsQuery.MaxPageSize)]
    public int PageSize { get; set; } = InfojobsQuery.MaxPageSize;

    [Parameter(ParameterSetName = SearchSet)]
    public SwitchParameter NoDetail { get; set; }

    /// <summary>With -DatabasePath: fetch details even of offers already stored with the same update date.</summary>
    [Parameter(ParameterSetName = SearchSet)]
    public SwitchParameter Force { get; set; }

    /// <summary>The name of this search in the run record (a scheduled query's key); default: its parameters.</summary>
    [Parameter(ParameterSetName = SearchSet)]
    [ValidateNotNullOrEmpty]
    public string? QueryKey { get; set; }

    [Parameter(ParameterSetName = SearchSet)]
    [ValidateRange(1, 32)]
    public int DetailConcurrency { get; set; } = 4;

    /// <summary>User name = client id, password = client secret. No [Credential] attribute: it could prompt.</summary>
    [Parameter(ParameterSetName = SearchSet)]
    public PSCredential? Credential { get; set; }

    [Parameter(ParameterSetName = SearchSet)]
    public Uri? BaseUri { get; set; }

    [Parameter(ParameterSetName = SearchSet)]
    [ValidateNotNullOrEmpty]
    public string? SavePayloadPath { get; set; }

    /// <summary>Payload files or folders to replay; wildcards are expanded (use -LiteralPath for names with [ ]).</summary>
    [Parameter(ParameterSetName = ReplaySet, Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>
    /// Payload files or folders taken as written, never as wildcards. Piped files bind here by PSPath (as they do to
    /// PowerShell's own cmdlets), so a name such as offers[2024].jsonl replays.
    /// </summary>
    [Parameter(ParameterSetName = LiteralReplaySet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralPath { get; set; }

    private PayloadArchive? _archive;

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ReplaySet)
        {
            Replay(Path!, literal: false);
            return;
        }
        if (ParameterSetName == LiteralReplaySet)
        {
            Replay(LiteralPath!, literal: true);
            return;
        }
        // Per-offer and paging problems are written as they come; what reaches here ends the command.
        try { Search(); }
        catch (JobSignalException ex) { ThrowFailure(ex); }
    }

    protected override void ReleaseResources()
    {
        _archive?.Dispose();
        _archive = null;
        // The store the detail filter read: left open, its last connection would leave the -wal file behind.
        base.ReleaseResources();
    }

    /// <summary>
    /// Which listed offers get their detail fetched: none with -NoDetail; with -DatabasePath (and no -Force, and no
    /// -SavePayloadPath: an archive of list items would not replay as the offers), only those not already stored with
    /// the same update date. Called on worker threads: the store is opened here, on the pipeline thread, and then only
    /// read under a lock.
    /// </summary>
    private Func<Offer, bool>? DetailFilter(FetchStatistics statistics)
    {
        if (NoDetail) return _ => false;
        if (Force || !MyInvocation.BoundParameters.ContainsKey(nameof(DatabasePath))) return null;
        if (SavePayloadPath is not null)
        {
            WriteVerbose("-SavePayloadPath: the detail of every offer is fetched, stored or not, so that the archive replays as the offers.");
            return null;
        }
        // The store is only read here: a missing one (a first run, or a mistyped path) is not created. Anything else
        // is opened, so that a folder or another file is StoreUnusable (StoreNotSqlite...), as for every cmdlet.
        var path = ResolveDatabasePath();
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            WriteWarning($"There is no store at '{path}' yet: the detail of every offer is fetched. Get-InfojobsOffer only "
                + "reads the store; Invoke-OfferIngestion creates it. If you expected one, check -DatabasePath.");
            return null;
        }
        return StoredOfferDetailFilter.For(Store, statistics);
    }

    private void Search()
    {
        var credentials = InfojobsCredentialSource.Require(Credential);
        var baseUri = ResolveBaseUri();
        var query = new InfojobsQuery
        {
            Text = Query,
            Provinces = Province ?? Array.Empty<string>(),
            Categories = Category ?? Array.Empty<string>(),
            Since = Since,
            Order = InfojobsQuery.KnownOrder(Order),
            PageSize = PageSize,
            MaxPages = MaxPages,
            MaxOffers = MaxOffers,
        };
        var statistics = new FetchStatistics { QueryKey = QueryKey ?? query.Key };
        using var client = new InfojobsClient(credentials,
            new InfojobsClientOptions { BaseUri = baseUri, DetailConcurrency = DetailConcurrency });
        // Before the archive is opened: a store that cannot be used leaves no empty archive behind.
        var needsDetail = DetailFilter(statistics);
        OpenArchive();
        WriteVerbose($"GET {InfojobsErrors.Redact(client.ListUri(query, null))} as client id '{credentials.ClientId}': at most {MaxPages} pages and {MaxOffers} offers, "
            + (NoDetail ? "no details." : $"details {DetailConcurrency} at a time."));

        var progress = new SearchProgress();
        var events = client.FetchAsync(query, statistics, needsDetail, CancellationToken).GetAsyncEnumerator(CancellationToken);
        try
        {
            while (Wait(events.MoveNextAsync())) Handle(events.Current, statistics, progress);
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested) { return; }
        // The store -DatabasePath names, read to skip unchanged details, failing itself (damaged, a disk error).
        catch (Exception ex) when (StoreFailure(ex, reading: true) is { } failure) { ThrowFailure(failure); }
        finally
        {
            Wait(events.DisposeAsync());
            CompleteProgress(OfferActivity, OfferActivityName);
            CompleteProgress(PageActivity, PageActivityName);
            CloseArchive();
        }
        WriteVerbose($"InfoJobs: {progress.Offers} offers ({statistics.DetailsFetched} details, {statistics.DetailsSkipped} unchanged since stored) from {statistics.Pages} pages in "
            + $"{statistics.Requests} requests ({statistics.Retries} retries, {statistics.RateLimited} answers 429, {statistics.Bytes} bytes); "
            + (statistics.TruncationReason is { } reason ? $"stopped early: {reason}." : "complete."));
    }

    private sealed class SearchProgress
    {
        public int Offers;
        public int? TotalResults;
    }

    private void Handle(InfojobsFetchEvent fetchEvent, FetchStatistics statistics, SearchProgress progress)
    {
        switch (fetchEvent)
        {
            case InfojobsPageFetched page:
                progress.TotalResults ??= page.TotalResults;
                var pagesExpected = Math.Max(1, Math.Min(MaxPages, page.TotalPages ?? MaxPages));
                ReportProgress(PageActivity, PageActivityName, $"Page {page.Ordinal} of {pagesExpected}",
                    page.Ordinal * 100 / pagesExpected);
                WriteVerbose($"Page {page.CurrentPage?.ToString(CultureInfo.InvariantCulture) ?? "?"} ({page.Ordinal} read): "
                    + $"{page.OfferCount} offers; {page.TotalResults?.ToString(CultureInfo.InvariantCulture) ?? "?"} results "
                    + $"in {page.TotalPages?.ToString(CultureInfo.InvariantCulture) ?? "?"} pages.");
                break;
            case InfojobsOfferFetched fetched:
                Archive(fetched.Payload);
                progress.Offers++;
                var offersExpected = Math.Max(progress.Offers,
                    Math.Min(MaxOffers, progress.TotalResults ?? statistics.OffersListed));
                ReportProgress(OfferActivity, OfferActivityName, $"Offer {progress.Offers} of {offersExpected}",
                    progress.Offers * 100 / offersExpected);
                WriteObject(Typed(fetched.Offer));
                break;
            case InfojobsRetrying retrying:
                // A Retry-After can hold the fetch for up to 30 s per retry: said at once, so that it is no silent hang.
                WriteVerbose(retrying.Notice.ToString());
                if (retrying.IsDetail) ReportWaiting(OfferActivity, OfferActivityName, retrying.Notice.Waiting);
                else ReportWaiting(PageActivity, PageActivityName, retrying.Notice.Waiting);
                break;
            case InfojobsFetchProblem { IsWarning: true } warning:
                WriteWarning(warning.Error.Message);
                break;
            case InfojobsFetchProblem problem:
                WriteFailure(problem.Error);
                break;
        }
    }

    private void Replay(IEnumerable<string> paths, bool literal)
    {
        try
        {
            foreach (var path in paths)
            {
                foreach (var file in literal ? ResolveLiteralReplayPath(path) : ResolveReplayPaths(path))
                {
                    // Otherwise a folder with nothing to replay (a wrong folder, files named .txt) says nothing at all.
                    if (Directory.Exists(file) && !PayloadReplay.ReplayableFiles(file).Any())
                    {
                        WriteWarning($"The folder '{file}' holds no file to replay: folders are read recursively for "
                            + $"{string.Join(", ", PayloadReplay.FolderExtensions.Select(e => "*" + e))} files.");
                        continue;
                    }
                    var count = 0;
                    // Parsed on a worker thread while this one writes the offers before them downstream.
                    foreach (var record in PayloadReplay.ReadAhead(file, ReplayBatch, batches: 4, CancellationToken))
                    {
                        if (record.Error is not null) { WriteFailure(record.Error); continue; }
                        ReportProgress(OfferActivity, ReplayActivityName, $"{file}: {++count} offers");
                        WriteObject(Typed(record.Offer!));
                    }
                    WriteVerbose($"Replayed {count} offers from {file}.");
                }
            }
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested) { }
        finally { CompleteProgress(OfferActivity, ReplayActivityName); }
    }

    /// <summary>File-system paths for one -Path value (wildcards expanded); a missing one is reported and skipped.</summary>
    private IEnumerable<string> ResolveReplayPaths(string path)
    {
        // Another provider's path or a missing drive, existing or not, is refused as every file parameter refuses it.
        try { FileSystemPaths.Resolve(this, path, "-Path"); }
        catch (JobSignalException ex)
        {
            WriteFailure(ex);
            return Array.Empty<string>();
        }
        try
        {
            // A wildcard that matches nothing resolves to nothing rather than failing.
            var resolved = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out _);
            if (resolved.Count > 0) return resolved;
        }
        catch (ItemNotFoundException) { }
        WritePathNotFound(path, WildcardPattern.ContainsWildcardCharacters(path)
            ? " -Path expands wildcards ([ ] * ?): for a name that contains them, use -LiteralPath."
            : "");
        return Array.Empty<string>();
    }

    /// <summary>The file-system path of one -LiteralPath value (or a piped file's PSPath), no wildcard expansion.</summary>
    private IEnumerable<string> ResolveLiteralReplayPath(string path)
    {
        string resolved;
        try { resolved = FileSystemPaths.Resolve(this, path, "-LiteralPath"); }
        catch (JobSignalException ex)
        {
            WriteFailure(ex); // another provider's item or a missing drive: PathNotFileSystem, as for every file parameter
            return Array.Empty<string>();
        }
        if (File.Exists(resolved) || Directory.Exists(resolved)) return new[] { resolved };
        WritePathNotFound(path, "");
        return Array.Empty<string>();
    }

    private void WritePathNotFound(string path, string hint) =>
        WriteFailure(new JobSignalException(InfojobsErrors.PayloadPathNotFound, FailureKind.ObjectNotFound,
            $"No file or folder matches '{path}'.", path,
            "Check the path; folders are read recursively (*.json, *.jsonl, *.ndjson)." + hint));

    private Uri ResolveBaseUri()
    {
        if (BaseUri is null) return InfojobsClientOptions.DefaultBaseUri;
        if (BaseUri.IsAbsoluteUri && (BaseUri.Scheme == Uri.UriSchemeHttp || BaseUri.Scheme == Uri.UriSchemeHttps)) return BaseUri;
        throw new JobSignalException(InfojobsErrors.BaseUriInvalid, FailureKind.InvalidArgument,
            $"-BaseUri '{InfojobsErrors.Redact(BaseUri)}' must be an absolute http or https URI.", InfojobsErrors.Redact(BaseUri), "For example: -BaseUri https://api.infojobs.net");
    }

    private void OpenArchive()
    {
        if (SavePayloadPath is null) return;
        var path = ResolveFilePath(SavePayloadPath, "-SavePayloadPath");
        try { _archive = new PayloadArchive(path, DateTimeOffset.UtcNow); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new JobSignalException(InfojobsErrors.PayloadSaveFailed, FailureKind.WriteError,
                $"Cannot write payloads to '{path}': {ex.Message}", SavePayloadPath, "Choose a writable file or folder.", ex);
        }
        WriteVerbose($"Saving payloads to {_archive.FilePath}.");
    }

    private void Archive(System.Text.Json.JsonElement payload)
    {
        if (_archive is null) return;
        try { _archive.Write(payload); }
        catch (IOException ex)
        {
            throw new JobSignalException(InfojobsErrors.PayloadSaveFailed, FailureKind.WriteError,
                $"Cannot write payloads to '{_archive.FilePath}': {ex.Message}", SavePayloadPath, "Free disk space or choose another -SavePayloadPath.", ex);
        }
    }

    private void CloseArchive()
    {
        if (_archive is null) return;
        WriteVerbose($"Saved {_archive.Count} payloads to {_archive.FilePath}.");
        ReleaseResources();
    }

    private static PSObject Typed(Offer offer)
    {
        var wrapped = new PSObject(offer);
        wrapped.TypeNames.Insert(0, OfferTypeName);
        return wrapped;
    }

    private static T Wait<T>(ValueTask<T> task) => task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();

    private static void Wait(ValueTask task)
    {
        if (!task.IsCompletedSuccessfully) task.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Turns a -Since argument (bucket name, date text, DateTime) into an <see cref="InfojobsSince"/>; a future date is a parameter error.</summary>
    [AttributeUsage(AttributeTargets.Property)]
    public sealed class SinceTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            var now = DateTimeOffset.Now;
            try
            {
                return value switch
                {
                    null => null,
                    InfojobsSince since => since,
                    DateTime date => InfojobsSince.FromDate(new DateTimeOffset(date), now),
                    DateTimeOffset date => InfojobsSince.FromDate(date, now),
                    string text => InfojobsSince.Parse(text, now),
                    _ => throw new FormatException($"-Since takes a date or one of {string.Join(", ", InfojobsSince.BucketNames)}, not a {value.GetType().Name}."),
                };
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException)
            {
                throw new ArgumentTransformationMetadataException(ex.Message, ex);
            }
        }
    }
}

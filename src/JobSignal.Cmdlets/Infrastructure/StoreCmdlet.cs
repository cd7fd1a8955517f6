using System.Management.Automation;
using System.Reflection;
using JobSignal.Core.Common;
using JobSignal.Core.Domain;
using JobSignal.Core.Store;

namespace JobSignal.Cmdlets.Infrastructure;

/// <summary>A cmdlet that reads or writes the SQLite store: owns <c>-DatabasePath</c> and the store's lifetime.</summary>
public abstract class StoreCmdlet : JobSignalCmdlet
{
    public const string DatabaseEnvironmentVariable = "JOBSIGNAL_DB";
    public const string CompanyNotFoundErrorId = "CompanyNotFound";
    public const string OfferNotFoundErrorId = "OfferNotFound";
    public const string IngestionRunNotFoundErrorId = "IngestionRunNotFound";
    public const string InputStoreMismatchErrorId = "InputStoreMismatch";
    public const string InputStoreNotFoundErrorId = "InputStoreNotFound";

    /// <summary>The SQLite store. Default: $env:JOBSIGNAL_DB, else JobSignal/jobsignal.db under local app data.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DatabasePath { get; set; }

    /// <summary>
    /// The store file as a full file-system path (PowerShell paths are relative to $PWD): -DatabasePath, else the store
    /// the piped objects came from (<see cref="PipedStorePath"/>), else $env:JOBSIGNAL_DB, else the default store.
    /// </summary>
    protected string ResolveDatabasePath()
    {
        if (DatabasePath is not null) return ResolveFilePath(DatabasePath, "-DatabasePath");
        if (_pipedStore is not null) return _pipedStore;
        return StoreWithoutDatabasePath();
    }

    /// <summary>The store a command typed without -DatabasePath uses: $env:JOBSIGNAL_DB, else the default store.</summary>
    protected string StoreWithoutDatabasePath()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(DatabaseEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return ResolveFilePath(fromEnvironment, "$env:" + DatabaseEnvironmentVariable);
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
        return DefaultDatabasePath;
    }

    /// <summary>The store a command uses without -DatabasePath and $env:JOBSIGNAL_DB: JobSignal/jobsignal.db under local app data.</summary>
    protected static string DefaultDatabasePath => Path.Combine(Environment.GetFolderPath(
        Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "JobSignal", "jobsignal.db");

    private SignalStore? _store;
    private StoreSnapshot? _snapshot;
    private string? _openedPath;

    // The store the first piped object came from, and another one a later object came from (an error once used).
    private string? _pipedStore, _otherPipedStore;
    // The pipeline object being bound named its store.
    private bool _storePathBound;

    /// <summary>
    /// The StorePath of the pipeline object being bound (<see cref="IStoreLocal"/>): a cmdlet whose ids bind from piped
    /// objects exposes it as a hidden StorePath parameter bound by property name, in the parameter sets that take those
    /// ids. Without -DatabasePath the cmdlet works on that store; a piped object of another store than the one the
    /// cmdlet works on ends it (InputStoreMismatch) before its ids are used, since they would name other items there.
    /// </summary>
    protected string? PipedStorePath
    {
        get => _pipedStore;
        set
        {
            // PowerShell sets it back to null before binding each object; objects from before StorePath have none.
            _storePathBound = !string.IsNullOrWhiteSpace(value);
            if (!_storePathBound) return;
            var path = Path.GetFullPath(value!);
            if (_pipedStore is null) _pipedStore = path;
            else if (!DatabasePathArgument.IsSameStore(_pipedStore, path)) _otherPipedStore ??= path;
        }
    }

    /// <summary>Stamps an object of this store with its path, so that a command it is piped into finds the same store.</summary>
    protected override void BeforeWrite(object value)
    {
        if (value is IStoreLocal local && _store is not null) local.StorePath = _store.DisplayPath;
    }

    /// <summary>Ends the cmdlet when the piped objects name another store than the one it works on (see <see cref="PipedStorePath"/>).</summary>
    private void EnsurePipedStore(string path)
    {
        if (_otherPipedStore is { } other)
            ThrowFailure(new JobSignalException(InputStoreMismatchErrorId, FailureKind.InvalidArgument,
                $"The piped objects come from two stores, '{_pipedStore}' and '{other}'. Their ids (runs, companies, " +
                "offers) are local to their store, and this command works on one store: nothing of the second was used.",
                other, "Pipe the objects of one store at a time, or give their ids with -DatabasePath."));
        if (_pipedStore is null || DatabasePathArgument.IsSameStore(_pipedStore, path)) return;
        var where = DatabasePath is not null ? "-DatabasePath" : "the store it had opened before the objects came";
        ThrowFailure(new JobSignalException(InputStoreMismatchErrorId, FailureKind.InvalidArgument,
            $"The piped objects come from the store '{_pipedStore}', but this command works on the store '{path}' ({where}). " +
            $"Their ids (runs, companies, offers) are local to their store: in '{path}' they name other ones, so they were not used.",
            _pipedStore, DatabasePath is not null
                ? $"Leave out -DatabasePath to work on the store the objects came from, or give -DatabasePath '{_pipedStore}'."
                : $"Give -DatabasePath '{_pipedStore}'."));
    }

    /// <summary>
    /// The store, opened (created and migrated when needed) on first use and closed when the cmdlet ends. Under
    /// -WhatIf it never creates, migrates or writes the file: a cmdlet that runs its real writes in a dry run, or a
    /// store still to be created or migrated, gets a private copy (<see cref="StoreSnapshot"/>); otherwise the store is
    /// only read, as it is. A store that cannot be opened ends the cmdlet with its ErrorId (StoreNotSqlite,
    /// StoreSchemaTooNew, StoreUnusable).
    /// </summary>
    protected SignalStore Store
    {
        get
        {
            if (_store is not null)
            {
                if (_pipedStore is not null) EnsurePipedStore(_openedPath!);
                return _store;
            }
            var path = ResolveDatabasePath();
            EnsurePipedStore(path);
            // Piped objects name their store; one that is not there (objects from another machine, a store since
            // deleted) is not created empty in its place.
            if (DatabasePath is null && _pipedStore is not null && !File.Exists(path))
                ThrowFailure(new JobSignalException(InputStoreNotFoundErrorId, FailureKind.ObjectNotFound,
                    $"The piped objects come from the store '{path}', which does not exist (any more) here.", path,
                    "Give -DatabasePath with the store their ids belong to."));
            _openedPath = path;
            try
            {
                var dryRun = IsDryRun;
                if (dryRun && (WritesInDryRun || !StoreSnapshot.CanBeReadInPlace(path)))
                {
                    WriteVerbose($"-WhatIf: working on a private copy of the store '{path}'; the store itself is not written.");
                    _snapshot = StoreSnapshot.Create(path);
                    _store = _snapshot.Store;
                }
                else
                {
                    // Under -WhatIf the store exists here, at the current schema: opening it writes nothing.
                    WriteVerbose(dryRun ? $"-WhatIf: reading the store '{path}' as it is; nothing is written to it."
                        : $"Opening the store '{path}'.");
                    // SQLite makes an empty file a new database, as it does a missing one.
                    var isNew = !File.Exists(path) || new FileInfo(path).Length == 0;
                    _store = SignalStore.Open(path);
                    if (isNew && !FillsNewStores)
                        WriteWarning($"There was no store at '{path}': an empty one was created. If you expected data, " +
                            $"check -DatabasePath or $env:{DatabaseEnvironmentVariable}.");
                }
            }
            catch (JobSignalException ex) { ThrowFailure(WhereThePathCameFrom(ex)); }
            return _store!;
        }
    }

    /// <summary>
    /// A store that cannot be opened, said with where its path came from when that is not -DatabasePath or
    /// $env:JOBSIGNAL_DB (the pipeline's configuration file): the recommended action names those two.
    /// </summary>
    protected virtual JobSignalException WhereThePathCameFrom(JobSignalException ex) => ex;

    /// <summary>
    /// Runs a query cmdlet's reading of the store. A file SQLite finds damaged midway (StoreDamaged), or a store another
    /// process keeps locked (StoreBusy), ends the cmdlet with what to do about it, instead of SQLite's own exception.
    /// </summary>
    protected void ReadStore(Action read) => ReadStore<object?>(() => { read(); return null; });

    /// <inheritdoc cref="ReadStore(Action)"/>
    protected T ReadStore<T>(Func<T> read)
    {
        try { return read(); }
        catch (Exception ex) when (StoreFailure(ex, reading: true) is { } failure)
        {
            ThrowFailure(failure);
            throw; // not reached: ThrowFailure always throws
        }
    }

    /// <summary>
    /// The one mapping of a failure of the open store itself (SQLite's errors) to what the user is told: StoreBusy,
    /// StoreDamaged or StoreUnusable, with the store as target and what to do; null for any other failure.
    /// <paramref name="reading"/>: the command only read, so nothing was changed.
    /// </summary>
    protected JobSignalException? StoreFailure(Exception ex, bool reading = false) => _store?.FailureOf(ex, reading);

    /// <summary>
    /// True for the cmdlets that bring data into a store (ingestion, the scheduled pipeline, the InfoJobs reader that
    /// feeds it): a store they create is a first run. The others work on what the store holds, so a store they had to
    /// create is empty, most likely a mistyped path, and they warn.
    /// </summary>
    protected virtual bool FillsNewStores => false;

    /// <summary>
    /// True for a cmdlet whose dry run does its real writes (Invoke-OfferIngestion reports what a run would do by
    /// running it): under -WhatIf it always works on a private copy of the store.
    /// </summary>
    protected virtual bool WritesInDryRun => false;

    /// <summary>True when a cmdlet that supports -WhatIf runs under it (the switch, or $WhatIfPreference).</summary>
    protected bool IsDryRun =>
        GetType().GetCustomAttribute<CmdletAttribute>() is { SupportsShouldProcess: true }
        && LanguagePrimitives.IsTrue(MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf)
            ? whatIf
            : GetVariableValue("WhatIfPreference"));

    /// <summary>
    /// True when this pipeline object bound the given id parameters only to nulls (the -PassThru result of an offer that
    /// was skipped has no OfferId or CompanyId), or bound none but its store (a run piped where companies are asked for):
    /// it names nothing to work on, and the cmdlet skips it.
    /// </summary>
    protected bool NamesNothing(params string[] idParameters)
    {
        var bound = MyInvocation.BoundParameters;
        var namesNothing = idParameters.Any(bound.ContainsKey)
            ? idParameters.All(name => !bound.TryGetValue(name, out var value) || value is null)
            : _storePathBound && MyInvocation.ExpectingInput;
        if (namesNothing) WriteVerbose($"Skipped a pipeline object with no {string.Join(" or ", idParameters)}.");
        return namesNothing;
    }

    /// <summary>
    /// Reports each id the user asked for that names nothing in the store: not one a filter left out, which is no
    /// error. Only ids not in <paramref name="returned"/> (what a query found) are looked up.
    /// </summary>
    protected static IReadOnlyList<long> ReportUnknown(IEnumerable<long>? requested, IEnumerable<long> returned,
        Func<IReadOnlyList<long>, IEnumerable<long>> existing, Action<long> report)
    {
        if (requested is null) return [];
        var notReturned = requested.Except(returned).ToList();
        if (notReturned.Count == 0) return [];
        var known = existing(notReturned).ToHashSet();
        var unknown = notReturned.Where(id => !known.Contains(id)).ToList();
        foreach (var id in unknown) report(id);
        return unknown;
    }

    /// <summary>A -Since date as an instant: a date without a zone (Get-Date, '2025-05-01') is local time.</summary>
    protected static DateTimeOffset? SinceInstant(DateTime? since) => since is { } date
        ? new DateTimeOffset(date.Kind == DateTimeKind.Utc ? date : DateTime.SpecifyKind(date, DateTimeKind.Local).ToUniversalTime(), TimeSpan.Zero)
        : null;

    /// <summary>A non-terminating error for an id given by the user that names no company of the store.</summary>
    protected void WriteCompanyNotFound(long companyId) =>
        WriteFailure(new JobSignalException(CompanyNotFoundErrorId, FailureKind.ObjectNotFound,
            $"There is no company {companyId} in the store '{Store.DisplayPath}'.", companyId,
            "Find companies with Get-SignalCompany, and check -DatabasePath."));

    /// <summary>A non-terminating error for an id given by the user that names no offer of the store.</summary>
    protected void WriteOfferNotFound(long offerId) =>
        WriteFailure(new JobSignalException(OfferNotFoundErrorId, FailureKind.ObjectNotFound,
            $"There is no offer {offerId} in the store '{Store.DisplayPath}'.", offerId,
            "Find offers with Get-SignalOffer -CompanyId or -MinScore, and check -DatabasePath."));

    /// <summary>A non-terminating error for a run id given by the user that names no run of the store.</summary>
    protected void WriteRunNotFound(long runId, string recommendedAction, string? message = null) =>
        WriteFailure(new JobSignalException(IngestionRunNotFoundErrorId, FailureKind.ObjectNotFound,
            message ?? $"There is no run {runId} in the store '{Store.DisplayPath}'.", runId, recommendedAction));

    protected override void ReleaseResources()
    {
        if (_snapshot is not null) _snapshot.Dispose();
        else _store?.Dispose();
        _snapshot = null;
        _store = null;
        base.ReleaseResources();
    }
}

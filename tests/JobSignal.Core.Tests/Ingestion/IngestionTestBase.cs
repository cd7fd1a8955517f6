using JobSignal.Core.Catalog;
using JobSignal.Core.Common;
using JobSignal.Core.Domain;
using JobSignal.Core.Ingestion;
using JobSignal.Core.Store;
using JobSignal.Core.Tests.Store;
using Microsoft.Data.Sqlite;

namespace JobSignal.Core.Tests.Ingestion;

/// <summary>
/// A real store file in a temp folder with a manual clock, the default catalog, offer builders, and a second
/// connection of the test's own to inspect rows and install fault-injection triggers (never a test-only code path).
/// </summary>
public abstract class IngestionTestBase : IDisposable
{
    protected static readonly DateTimeOffset T0 = new(2024, 5, 1, 8, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<CompiledCatalog> s_catalog = new(() => CompiledCatalog.Load(DefaultCatalogPath));

    protected IngestionTestBase()
    {
        Folder = new TempFolder();
        Clock = new ManualClock(T0);
        DatabasePath = Folder.File("jobsignal.db");
        Store = SignalStore.Open(DatabasePath, new StoreOptions { Clock = Clock });
        Sql = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        Sql.Open();
    }

    protected static string DefaultCatalogPath => Path.Combine(AppContext.BaseDirectory, "module", "catalog", "default-catalog.json");
    protected static CompiledCatalog Catalog => s_catalog.Value;

    protected TempFolder Folder { get; }
    protected ManualClock Clock { get; }
    protected string DatabasePath { get; }
    protected SignalStore Store { get; }
    /// <summary>The test's own connection to the same file.</summary>
    protected SqliteConnection Sql { get; }
    /// <summary>Every wait a retry policy asked for, in order (nothing actually sleeps).</summary>
    protected List<TimeSpan> Waits { get; } = [];

    protected RetryPolicy.Waiter RecordingWaiter => (delay, _) =>
    {
        Waits.Add(delay);
        Clock.Now += delay;
        return Task.CompletedTask;
    };

    protected IngestionOptions Options(int chunkSize = 200) => new() { ChunkSize = chunkSize, Wait = RecordingWaiter };

    /// <summary>One whole run over <paramref name="offers"/>; the run as finished and every per-offer result.</summary>
    protected (IngestionRun Run, List<OfferIngestionResult> Results) Ingest(IEnumerable<Offer> offers, IngestionOptions? options = null)
    {
        var results = new List<OfferIngestionResult>();
        using var ingestor = OfferIngestor.Start(Store, Catalog, options ?? Options());
        var run = ingestor.Ingest(offers, results.Add);
        return (run, results);
    }

    protected const string StrongText =
        "Gestión de tesorería y pagos internacionales en USD y GBP. Coberturas de divisa (forex), cartas de crédito y " +
        "cobros SWIFT con clientes en Latinoamérica y Estados Unidos. Trabajarás con el equipo de comercio internacional.";

    protected const string PlainText =
        "Buscamos dependiente para tienda de ropa en el centro. Atención al cliente, reposición de género y caja. " +
        "Horario de tarde, contrato de media jornada, incorporación inmediata.";

    /// <summary>A description that shares almost no token with that of any other <paramref name="n"/>: never a repost.</summary>
    protected static string UniqueText(int n) =>
        $"Vacante {n}: " + string.Join(" ", Enumerable.Range(0, 12).Select(k => $"tarea{n}x{k}"));

    /// <summary>Distinct vacancies of one company.</summary>
    protected static IEnumerable<Offer> DistinctOffers(int count, string company = "Acme Pagos S.L.") =>
        Enumerable.Range(1, count).Select(i => Offer("o" + i, company, title: "Puesto " + i, description: UniqueText(i)));

    protected static Offer Offer(string id, string company = "Acme Pagos S.L.", string? website = null,
        string title = "Tesorero internacional", string? description = StrongText, string? companyId = null,
        bool hidden = false, DateTimeOffset? published = null) => new()
    {
        ProviderOfferId = id,
        Url = "https://www.infojobs.net/madrid/oferta/of-i" + id,
        Title = title,
        Description = description,
        Company = new OfferCompany { Name = company, Website = website, ProviderCompanyId = companyId, Hidden = hidden },
        Province = "Madrid",
        PublishedAt = published ?? T0.AddDays(-1),
        UpdatedAt = published ?? T0.AddDays(-1),
    };

    protected long Count(string table, string where = "1") => Scalar<long>($"SELECT count(*) FROM {table} WHERE {where}");

    protected T Scalar<T>(string sql)
    {
        using var command = Sql.CreateCommand();
        command.CommandText = sql;
        var value = command.ExecuteScalar();
        return value is null or DBNull ? default! : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T));
    }

    protected void Execute(string sql)
    {
        using var command = Sql.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Makes every insert into <paramref name="table"/> for which <paramref name="when"/> holds fail, the way a broken
    /// disk or constraint would: a trigger on the real file, so the product code runs unchanged.
    /// </summary>
    protected void FailInserts(string table, string when) => Execute($"""
        CREATE TRIGGER fail_{table} BEFORE INSERT ON {table} WHEN {when}
        BEGIN SELECT RAISE(ABORT, 'injected {table} failure'); END
        """);

    /// <summary>The stored offer id of a provider id.</summary>
    protected long OfferIdOf(string providerOfferId) => Scalar<long>($"SELECT id FROM offers WHERE provider_offer_id = '{providerOfferId}'");

    protected long CompanyOf(string providerOfferId) => Scalar<long>($"SELECT company_id FROM offers WHERE provider_offer_id = '{providerOfferId}'");

    /// <summary>Asserts every field of a finished run record, as stored, against what the test expects.</summary>
    protected void AssertRun(IngestionRun run, string status, int received, int inserted = 0, int updated = 0, int reposts = 0,
        int noIdentity = 0, int invalid = 0, int resolved = 0, int failedDb = 0, int matchFailed = 0, int scored = -1,
        string? error = null)
    {
        var stored = Store.Runs.Get(run.RunId)!;
        Assert.Equal(status, stored.Status);
        Assert.Equal(RunKind.Ingestion, stored.Kind);
        Assert.Equal(RunOwner.Current, stored.Owner);
        Assert.NotNull(stored.FinishedAt);
        Assert.True(stored.FinishedAt >= stored.StartedAt);
        Assert.Equal(Catalog.Version, stored.CatalogVersion);
        Assert.Equal(Providers.Infojobs, stored.Provider);
        if (error is null) Assert.Null(stored.ErrorMessage);
        else Assert.Contains(error, stored.ErrorMessage);
        Assert.Equal(
            (received, inserted, updated, reposts, noIdentity, invalid, resolved, failedDb, matchFailed),
            (stored.Received, stored.Inserted, stored.Updated, stored.Reposts, stored.SkippedNoIdentity, stored.SkippedInvalid,
                stored.SkippedResolved, stored.FailedDb, stored.MatchFailed));
        Assert.Equal(received, inserted + updated + reposts + noIdentity + invalid + resolved + failedDb + matchFailed);
        Assert.Equal(scored < 0 ? inserted : scored, stored.Scored);
        // What the caller holds is what is stored.
        Assert.Equal((stored.Status, stored.Received, stored.Scored, stored.FinishedAt), (run.Status, run.Received, run.Scored, run.FinishedAt));
        Assert.Equal(stored.AffectedCompanyIds, run.AffectedCompanyIds);
    }

    public virtual void Dispose()
    {
        Sql.Dispose();
        Store.Dispose();
        SqliteConnection.ClearAllPools();
        Folder.Dispose();
        GC.SuppressFinalize(this);
    }
}

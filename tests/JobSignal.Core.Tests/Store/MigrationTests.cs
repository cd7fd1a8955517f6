using Dapper;
using JobSignal.Core.Store;
using Microsoft.Data.Sqlite;

namespace JobSignal.Core.Tests.Store;

public class MigrationTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>Every version a store may have been left at by an earlier JobSignal: 0 (empty) up to the latest but one.</summary>
    public static TheoryData<int> EarlierVersions()
    {
        var data = new TheoryData<int>();
        for (var version = 0; version < SignalStore.LatestSchemaVersion; version++) data.Add(version);
        return data;
    }

    [Fact]
    public void Versions_are_numbered_one_by_one_with_names()
    {
        Assert.Equal(Enumerable.Range(1, StoreMigrations.All.Count), StoreMigrations.All.Select(m => m.Version));
        Assert.All(StoreMigrations.All, m => Assert.False(string.IsNullOrWhiteSpace(m.Name)));
        Assert.Equal(StoreMigrations.All[^1].Version, SignalStore.LatestSchemaVersion);
    }

    [Theory]
    [MemberData(nameof(EarlierVersions))]
    public void A_store_of_an_earlier_version_is_migrated_to_the_latest_and_keeps_its_data(int version)
    {
        var path = _folder.File($"v{version}.db");
        using (var old = SignalStore.Open(path, null, version))
        {
            Assert.Equal(version, old.SchemaVersion);
            Assert.Equal(version, old.AppliedMigrations().Count);
            SeedAt(old.Connection, version);
        }

        using var store = SignalStore.Open(path);

        Assert.Equal(SignalStore.LatestSchemaVersion, store.SchemaVersion);
        Assert.Equal(Enumerable.Range(1, SignalStore.LatestSchemaVersion).Select(v => (long)v), store.AppliedMigrations().Select(m => m.Version));
        if (version >= 1)
        {
            var company = Assert.Single(store.Companies.List());
            Assert.Equal(("Seeded S.L.", "seeded.es"), (company.Name, company.Domain));
            Assert.Equal("Seeded offer", store.Offers.List().Single().Title);
        }
        // Version 2 dropped the indexes repost checks no longer use.
        Assert.Equal(0L, store.Connection.ExecuteScalar<long>(
            "SELECT count(*) FROM sqlite_master WHERE name IN ('ix_offers_company_fingerprint', 'ix_offers_company_title')"));
        // The migrated store works: a full write path runs.
        var id = store.Companies.Insert(new NewCompany("New", "new", null, false), DateTimeOffset.UtcNow);
        Assert.NotNull(store.Companies.Get(id));
    }

    /// <summary>Data as a store of that version held it, written with that version's columns.</summary>
    private static void SeedAt(SqliteConnection connection, int version)
    {
        if (version < 1) return;
        connection.Execute("""
            INSERT INTO companies (id, display_name, normalized_name, website_domain, first_seen_at, last_seen_at)
            VALUES (1, 'Seeded S.L.', 'seeded', 'seeded.es', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z');
            INSERT INTO offers (company_id, provider, provider_offer_id, title, first_seen_at, last_seen_at)
            VALUES (1, 'infojobs', 'seed-1', 'Seeded offer', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z');
            """);
    }

    [Fact]
    public void A_failing_migration_leaves_the_store_at_its_previous_version()
    {
        var path = _folder.File("broken.db");
        using (var old = SignalStore.Open(path, null, 0)) { }
        // A table the first migration wants to create already exists: the migration fails as a whole.
        using (var raw = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            raw.Open();
            raw.Execute("CREATE TABLE companies (x)");
        }
        var ex = Assert.Throws<JobSignal.Core.Common.JobSignalException>(() => SignalStore.Open(path));
        Assert.Equal(StoreErrorIds.Unusable, ex.ErrorId);
        using var check = new SqliteConnection($"Data Source={path};Pooling=False");
        check.Open();
        Assert.Equal(0L, check.ExecuteScalar<long>("PRAGMA user_version"));
        Assert.Equal(0L, check.ExecuteScalar<long>("SELECT count(*) FROM schema_migrations"));
        Assert.Equal(0L, check.ExecuteScalar<long>("SELECT count(*) FROM sqlite_master WHERE name = 'offers'"));
    }
}

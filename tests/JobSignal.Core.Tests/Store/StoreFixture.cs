using JobSignal.Core.Domain;
using JobSignal.Core.Store;

namespace JobSignal.Core.Tests.Store;

/// <summary>A throw-away folder for store files; deleted with everything in it.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "jobsignal-store-" + Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}

/// <summary>A fresh store in a temp folder, with helpers to build the rows tests need.</summary>
public class StoreTestBase : IDisposable
{
    protected static readonly DateTimeOffset T0 = new(2024, 5, 1, 8, 30, 0, 123, TimeSpan.Zero);

    protected StoreTestBase()
    {
        Folder = new TempFolder();
        Store = SignalStore.Open(Folder.File("jobsignal.db"));
    }

    protected TempFolder Folder { get; }
    protected SignalStore Store { get; }

    protected long AddCompany(string name = "Acme Pagos S.L.", string? domain = null, bool hidden = false, DateTimeOffset? seenAt = null) =>
        Store.Companies.Insert(new NewCompany(name, name.ToLowerInvariant(), domain, hidden), seenAt ?? T0);

    protected static Offer NewOffer(string providerOfferId, string title = "Tesorero internacional", string? description = "Pagos internacionales en USD") => new()
    {
        ProviderOfferId = providerOfferId,
        Url = "https://www.infojobs.net/madrid/tesorero/of-i" + providerOfferId,
        Title = title,
        Description = description,
        Requirements = "Inglés",
        Province = "Madrid",
        City = "Madrid",
        Country = "España",
        Category = "finanzas",
        Subcategory = "tesoreria",
        ContractType = "indefinido",
        WorkDay = "completa",
        Experience = "3 años",
        SalaryMin = "30.000 €",
        SalaryMax = "40.000 €",
        SalaryPeriod = "bruto/año",
        SalaryDescription = "30.000 € - 40.000 € bruto/año",
        PublishedAt = new DateTimeOffset(2024, 4, 30, 12, 0, 0, TimeSpan.FromHours(2)),
        UpdatedAt = new DateTimeOffset(2024, 4, 30, 13, 0, 0, TimeSpan.FromHours(2)),
        Applications = 12,
    };

    protected static OfferContent Content(string fingerprint = "fp1", string title = "tesorero internacional") =>
        new(fingerprint, title, 4, new byte[] { 1, 2, 3, 250 });

    protected long AddOffer(long companyId, string providerOfferId, DateTimeOffset? seenAt = null, string fingerprint = "fp1") =>
        Store.Offers.Insert(companyId, NewOffer(providerOfferId), Content(fingerprint), seenAt ?? T0);

    /// <summary>A match; its categories default to its top category with 4 points.</summary>
    protected MatchRecord Match(long offerId, int score, string? topCategory = "fx_payments", string explanation = """{"hits":["USD"]}""",
        string? categories = null) => new()
    {
        OfferId = offerId, Score = score, Raw = score + 0.25, IsStrong = score >= 6, TopCategory = topCategory,
        CatalogVersion = "2.1.0", ExplanationJson = explanation, MatchedAt = T0,
        CategoryPointsJson = categories ?? (topCategory is null ? "{}" : $$"""{"{{topCategory}}":4}"""),
    };

    public virtual void Dispose()
    {
        Store.Dispose();
        Folder.Dispose();
        GC.SuppressFinalize(this);
    }
}

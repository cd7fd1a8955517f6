using System.Text.Json;
using JobSignal.Core.Catalog;
using JobSignal.Core.Signal;

namespace JobSignal.Core.Tests.Signal;

/// <summary>The default catalog, the golden sample offers and catalog variants for the engine's tests.</summary>
internal static class SignalTestData
{
    private static readonly Lazy<CompiledCatalog> s_default = new(() => CompiledCatalog.Load(DefaultCatalogPath));

    public static string DefaultCatalogPath => Path.Combine(AppContext.BaseDirectory, "module", "catalog", "default-catalog.json");

    public static string ReferenceCatalogPath =>
        Path.Combine(AppContext.BaseDirectory, "TestData", "reference-catalog", "catalog-v2.0.0.json");

    public static CompiledCatalog DefaultCatalog => s_default.Value;

    public static OfferScorer DefaultScorer { get; } = new(s_default.Value);

    /// <summary>A fresh, mutable copy of the default catalog.</summary>
    public static SignalCatalog DefaultModel() => CatalogLoader.Load(DefaultCatalogPath);

    /// <summary>The default catalog changed by <paramref name="change"/>, compiled.</summary>
    public static OfferScorer ScorerWith(Action<SignalCatalog> change)
    {
        var model = DefaultModel();
        change(model);
        return new OfferScorer(CatalogCompiler.Compile(model));
    }

    public static (string Title, string Description) Golden(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestData", "infojobs-samples", name + ".json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return (document.RootElement.GetProperty("title").GetString()!,
            document.RootElement.GetProperty("description").GetString()!);
    }
}

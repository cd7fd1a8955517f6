using JobSignal.Core.Catalog;

namespace JobSignal.Core.Tests.Catalog;

public class CatalogLocatorTests
{
    private static readonly string ModuleBase = Path.Combine(Path.GetTempPath(), "JobSignal", "0.1.0");

    [Fact]
    public void Prefers_the_explicit_path()
    {
        Assert.Equal(new CatalogLocation("mine.json", CatalogOrigin.Parameter), CatalogLocator.Choose("mine.json", "env.json", ModuleBase));
    }

    [Fact]
    public void Falls_back_to_the_environment()
    {
        Assert.Equal(new CatalogLocation("env.json", CatalogOrigin.Environment), CatalogLocator.Choose(null, "env.json", ModuleBase));
        Assert.Equal(CatalogOrigin.Environment, CatalogLocator.Choose(" ", "env.json", ModuleBase).Origin);
    }

    [Fact]
    public void Ends_at_the_module_default()
    {
        var location = CatalogLocator.Choose(null, "", ModuleBase);
        Assert.Equal(CatalogOrigin.ModuleDefault, location.Origin);
        Assert.Equal(Path.Combine(ModuleBase, "module", "catalog", "default-catalog.json"), location.Path);
    }
}

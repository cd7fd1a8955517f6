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
        Assert.Equal(CatalogOrigin.ModuleDefault, CatalogLocator.Choose(null, " ", ModuleBase).Origin);
    }

    [Fact]
    public void Keeps_a_blank_path_given_explicitly_so_that_it_is_refused_rather_than_replaced()
    {
        Assert.Equal(new CatalogLocation(" ", CatalogOrigin.Parameter), CatalogLocator.Choose(" ", "env.json", ModuleBase));
    }

    [Fact]
    public void Ends_at_the_module_default()
    {
        var location = CatalogLocator.Choose(null, "", ModuleBase);
        Assert.Equal(CatalogOrigin.ModuleDefault, location.Origin);
        Assert.Equal(Path.Combine(ModuleBase, "module", "catalog", "default-catalog.json"), location.Path);
    }
}

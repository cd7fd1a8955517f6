using System.Text.Json.Nodes;
using JobSignal.Core.Catalog;
using JobSignal.Core.Signal;
using JobSignal.Core.Store;

namespace JobSignal.Core.Tests.Store;

public sealed class MatchCategoriesTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_category_listed_without_points_is_not_stored_as_one_the_match_earned_points_in()
    {
        // Requirements weighted 0: a category whose only hit is there is listed in the explanation with 0 points.
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "module", "catalog", "default-catalog.json")))!;
        json["scoring"]!["fieldWeights"]!["requirements"] = 0;
        var path = _folder.File("requirements-weightless.json");
        File.WriteAllText(path, json.ToJsonString());
        var score = new OfferScorer(CompiledCatalog.Load(path))
            .Score("Tesorero", "Pagos internacionales en USD con clientes de Latinoamérica.", "Experiencia con SAP y Stripe.");
        Assert.Contains(score.Categories, c => c.Points == 0);

        var stored = MatchCategories.FromUtf8(System.Text.Encoding.UTF8.GetBytes(MatchCategories.Of(score)));

        Assert.Equal(score.Categories.Where(c => c.Points > 0).Select(c => c.Id), stored.Select(c => c.Category));
        Assert.All(stored, c => Assert.True(c.Points > 0));
    }
}

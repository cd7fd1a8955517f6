using System.Text.Json.Nodes;
using JobSignal.Core.Catalog;
using JobSignal.Core.Tests.Signal;

namespace JobSignal.Core.Tests.Catalog;

/// <summary>The default catalog as editable JSON, to build broken variants of it.</summary>
internal static class CatalogTestJson
{
    public static JsonObject Default() => JsonNode.Parse(File.ReadAllText(SignalTestData.DefaultCatalogPath))!.AsObject();

    /// <summary>The issues of the default catalog after <paramref name="change"/>.</summary>
    public static IReadOnlyList<CatalogIssue> IssuesAfter(Action<JsonObject> change)
    {
        var json = Default();
        change(json);
        return CatalogValidator.Validate(CatalogLoader.Parse(json.ToJsonString())).Issues;
    }

    public static JsonObject Keyword(JsonObject catalog, int index) => catalog["keywords"]![index]!.AsObject();
    public static JsonObject Category(JsonObject catalog, int index) => catalog["categories"]![index]!.AsObject();
    public static JsonObject Phrase(JsonObject catalog, int index) => catalog["phrases"]![index]!.AsObject();
    public static JsonObject Scoring(JsonObject catalog) => catalog["scoring"]!.AsObject();
}

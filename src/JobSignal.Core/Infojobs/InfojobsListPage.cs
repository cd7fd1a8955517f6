using System.Globalization;
using System.Text.Json;

namespace JobSignal.Core.Infojobs;

/// <summary>One answer of the list endpoint: paging fields and the offers (list-item payloads, detached from the document).</summary>
public sealed record InfojobsListPage(int? CurrentPage, int? TotalPages, int? TotalResults, int? PageSize,
    IReadOnlyList<JsonElement> Offers)
{
    /// <summary>The array names the list endpoint has used: <c>offers</c> (v9) and <c>items</c> (older versions).</summary>
    private static readonly string[] OfferArrayNames = { "offers", "items" };

    /// <summary>Reads a list answer; throws <see cref="FormatException"/> when it is not JSON or has no offers array.</summary>
    public static InfojobsListPage Parse(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(body); }
        catch (JsonException ex) { throw new FormatException("the body is not JSON (" + ex.Message + ")", ex); }
        using (document)
        {
            var root = document.RootElement;
            if (!TryGetOfferArray(root, out var array))
                throw new FormatException("the answer has no 'offers' or 'items' array");
            return new InfojobsListPage(Int(root, "currentPage"), Int(root, "totalPages"), Int(root, "totalResults"),
                Int(root, "pageSize"), array.EnumerateArray().Select(e => e.Clone()).ToArray());
        }
    }

    /// <summary>The offers array of a list answer, whichever name it has.</summary>
    public static bool TryGetOfferArray(JsonElement root, out JsonElement array)
    {
        array = default;
        if (root.ValueKind != JsonValueKind.Object) return false;
        foreach (var name in OfferArrayNames)
        {
            if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array)
            {
                array = value;
                return true;
            }
        }
        return false;
    }

    private static int? Int(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value)) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)) return number;
        return value.ValueKind == JsonValueKind.String
            && int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out number)
            ? number
            : null;
    }
}

namespace JobSignal.Core.Infojobs;

/// <summary>One InfoJobs search: the list endpoint's filters plus the caps that bound the fetch.</summary>
public sealed record InfojobsQuery
{
    /// <summary>The largest page the list endpoint serves.</summary>
    public const int MaxPageSize = 50;

    public string? Text { get; init; }
    public IReadOnlyList<string> Provinces { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> Categories { get; init; } = Array.Empty<string>();
    public InfojobsSince? Since { get; init; }
    /// <summary>The API's <c>order</c> value, one of <see cref="Orders"/> (e.g. <c>updated-desc</c>).</summary>
    public string? Order { get; init; }
    public int PageSize { get; init; } = MaxPageSize;
    public int MaxPages { get; init; } = 10;
    public int MaxOffers { get; init; } = 500;

    /// <summary>
    /// Why a province or category value is not one InfoJobs key (keys are single words such as 'a-coruna'), or null
    /// when it is one: 'madrid, barcelona' is a list written as one text.
    /// </summary>
    public static string? KeyProblem(string? key)
    {
        var text = key?.Trim() ?? "";
        if (text.Length == 0) return "expected non-empty text";
        return text.Any(c => char.IsWhiteSpace(c) || c == ',')
            ? $"'{text}' is not one InfoJobs key (keys hold no spaces or commas, e.g. 'a-coruna'; list several as @('madrid', 'barcelona'))"
            : null;
    }

    /// <summary>The sort orders the list endpoint accepts (its <c>order</c> parameter), as InfoJobs documents them.</summary>
    public static IReadOnlyList<string> Orders { get; } =
        ["relevancia-desc", "updated", "updated-desc", "title", "title-desc", "city", "city-desc", "author", "author-desc", "applicants-asc"];

    /// <summary>
    /// The order as InfoJobs spells it (given in any case, trimmed), or null when InfoJobs knows no such order: one it
    /// does not know is answered with an error, or ignored, every run.
    /// </summary>
    public static string? KnownOrder(string? order) =>
        Orders.FirstOrDefault(known => string.Equals(known, order?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>What is wrong with an order <see cref="KnownOrder"/> does not know.</summary>
    public static string OrderProblem(string? order) => $"'{order}' is not an order InfoJobs accepts (one of {string.Join(", ", Orders)})";

    /// <summary>Throws when a value can never make a valid request.</summary>
    public void Validate()
    {
        if (PageSize is < 1 or > MaxPageSize)
            throw new ArgumentOutOfRangeException(nameof(PageSize), PageSize, $"The page size must be between 1 and {MaxPageSize}.");
        if (MaxPages < 1) throw new ArgumentOutOfRangeException(nameof(MaxPages), MaxPages, "MaxPages must be 1 or more.");
        if (MaxOffers < 1) throw new ArgumentOutOfRangeException(nameof(MaxOffers), MaxOffers, "MaxOffers must be 1 or more.");
    }

    /// <summary>
    /// The list request's parameters in a fixed order (repeatable ones repeated), without <c>page</c>. Also the
    /// basis of <see cref="Key"/>.
    /// </summary>
    public IEnumerable<KeyValuePair<string, string>> Parameters()
    {
        if (!string.IsNullOrWhiteSpace(Text)) yield return new("q", Text.Trim());
        foreach (var p in Provinces.Where(v => !string.IsNullOrWhiteSpace(v))) yield return new("province", p.Trim());
        foreach (var c in Categories.Where(v => !string.IsNullOrWhiteSpace(v))) yield return new("category", c.Trim());
        if (Since is not null) yield return new("sinceDate", Since.ApiValue);
        if (!string.IsNullOrWhiteSpace(Order)) yield return new("order", Order.Trim());
    }

    /// <summary>A stable description of what was searched (the run record's query key when none is given).</summary>
    public string Key
    {
        get
        {
            var parts = Parameters().Select(p => p.Key + "=" + p.Value).ToList();
            return parts.Count == 0 ? "all" : string.Join("&", parts);
        }
    }
}

using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using JobSignal.Core.Domain;

namespace JobSignal.Core.Infojobs;

/// <summary>
/// Turns one InfoJobs offer payload into an <see cref="Offer"/>: a detail answer (<c>GET /api/7/offer/{id}</c>:
/// description, <c>profile</c>, <c>minRequirements</c>, <c>creationDate</c>...) or a list item (<c>author</c>,
/// <c>requirementMin</c>, <c>published</c>...). Pure: no I/O, no clock, the same payload always gives the same offer.
/// Lenient on purpose: missing or odd fields become null and validation is left to ingestion, which counts bad
/// records instead of losing the batch.
/// </summary>
public static partial class InfojobsOfferMapper
{
    /// <summary>Maps a payload; throws <see cref="FormatException"/> when it is not a JSON object.</summary>
    public static Offer Map(JsonElement payload)
    {
        if (payload.ValueKind != JsonValueKind.Object)
            throw new FormatException($"An InfoJobs offer must be a JSON object, not {Describe(payload.ValueKind)}.");

        var minPay = Property(payload, "minPay");
        var maxPay = Property(payload, "maxPay");
        return new Offer
        {
            Provider = Providers.Infojobs,
            ProviderOfferId = Scalar(payload, "id") ?? "",
            Url = Scalar(payload, "link"),
            Title = Scalar(payload, "title"),
            Description = Scalar(payload, "description"),
            // A search-list item has no description field at all (a detail always has one, even empty).
            DetailOmitted = Property(payload, "description") is null,
            Requirements = JoinParagraphs(Scalar(payload, "minRequirements") ?? Scalar(payload, "requirementMin"),
                Scalar(payload, "desiredRequirements")),
            Company = MapCompany(Property(payload, "profile") ?? Property(payload, "author")),
            Province = DictionaryValue(payload, "province"),
            City = Scalar(payload, "city"),
            Country = DictionaryValue(payload, "country"),
            Category = DictionaryValue(payload, "category"),
            Subcategory = DictionaryValue(payload, "subcategory"),
            ContractType = DictionaryValue(payload, "contractType"),
            WorkDay = DictionaryValue(payload, "journey") ?? DictionaryValue(payload, "workDay"),
            Experience = DictionaryValue(payload, "experienceMin"),
            SalaryMin = PayAmount(minPay) ?? DictionaryValue(payload, "salaryMin"),
            SalaryMax = PayAmount(maxPay) ?? DictionaryValue(payload, "salaryMax"),
            SalaryPeriod = PayPeriod(minPay) ?? PayPeriod(maxPay) ?? DictionaryValue(payload, "salaryPeriod"),
            SalaryDescription = Scalar(payload, "salaryDescription"),
            PublishedAt = ParseTimestamp(Scalar(payload, "creationDate") ?? Scalar(payload, "published")),
            UpdatedAt = ParseTimestamp(Scalar(payload, "updateDate") ?? Scalar(payload, "updated")),
            Applications = ParseCount(Scalar(payload, "applications")),
        };
    }

    /// <summary>
    /// Parses InfoJobs timestamps (<c>2012-09-21T10:26:23.000+0000</c>, also <c>+01:00</c> and <c>Z</c>) to UTC;
    /// null when blank or unreadable. A value without offset is taken as UTC.
    /// </summary>
    public static DateTimeOffset? ParseTimestamp(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        // .NET reads "+01:00" but not the "+0100" InfoJobs writes.
        var normalized = CompactOffset().Replace(text.Trim(), "$1:$2");
        return DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value.ToUniversalTime()
            : null;
    }

    [GeneratedRegex(@"([+-]\d{2})(\d{2})$")]
    private static partial Regex CompactOffset();

    private static OfferCompany? MapCompany(JsonElement? profile)
    {
        if (profile is not { ValueKind: JsonValueKind.Object } p) return null;
        var company = new OfferCompany
        {
            ProviderCompanyId = Scalar(p, "id"),
            Name = Scalar(p, "name"),
            Website = new[] { "web", "websiteUrl", "url" }.Select(name => Scalar(p, name)).FirstOrDefault(IsCompanyWebsite),
            Hidden = Property(p, "hidden") is { } hidden && (hidden.ValueKind == JsonValueKind.True
                || (hidden.ValueKind == JsonValueKind.String && bool.TryParse(hidden.GetString(), out var h) && h)),
        };
        return company.ProviderCompanyId is null && company.Name is null && company.Website is null && !company.Hidden
            ? null
            : company;
    }

    /// <summary>
    /// A profile's own site, not an InfoJobs page: profiles also carry relative InfoJobs paths
    /// (<c>corporateWebsiteUrl</c> = <c>/acme/em-i...</c>) and list items link to the InfoJobs company page.
    /// </summary>
    private static bool IsCompanyWebsite(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.StartsWith('/')) return false;
        var candidate = value.Contains("://", StringComparison.Ordinal) ? value : "http://" + value;
        return Uri.TryCreate(candidate, UriKind.Absolute, out var uri)
            && !uri.Host.Split('.').Contains("infojobs", StringComparer.OrdinalIgnoreCase);
    }

    private static string? PayAmount(JsonElement? pay) =>
        pay is { ValueKind: JsonValueKind.Object } p ? Scalar(p, "amountValue") ?? Scalar(p, "amount") : null;

    private static string? PayPeriod(JsonElement? pay) =>
        pay is { ValueKind: JsonValueKind.Object } p ? Scalar(p, "periodValue") : null;

    /// <summary>The <c>value</c> of an InfoJobs dictionary item; the API's "not set" item <c>{"id":0,"value":""}</c> is null.</summary>
    private static string? DictionaryValue(JsonElement obj, string name) => Property(obj, name) switch
    {
        { ValueKind: JsonValueKind.Object } item => Scalar(item, "value"),
        { ValueKind: JsonValueKind.String } text => Blank(text.GetString()),
        _ => null,
    };

    private static int? ParseCount(string? text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : null;

    private static string? JoinParagraphs(string? first, string? second) =>
        first is null ? second : second is null ? first : first + "\n\n" + second;

    private static JsonElement? Property(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>A string, number or boolean property as text (InfoJobs sends ids and counts either way); blank is null.</summary>
    private static string? Scalar(JsonElement obj, string name) => Property(obj, name) switch
    {
        { ValueKind: JsonValueKind.String } s => Blank(s.GetString()),
        { ValueKind: JsonValueKind.Number } n => n.GetRawText(),
        { ValueKind: JsonValueKind.True } => "true",
        { ValueKind: JsonValueKind.False } => "false",
        _ => null,
    };

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}

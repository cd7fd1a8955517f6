using System.Globalization;
using System.Text.Json;
using JobSignal.Core.Domain;
using JobSignal.Core.Ingestion;

namespace JobSignal.Core.Infojobs;

/// <summary>
/// Turns one InfoJobs offer payload into an <see cref="Offer"/>: a detail answer (<c>GET /api/7/offer/{id}</c>:
/// description, <c>profile</c>, <c>minRequirements</c>, <c>creationDate</c>...) or a list item (<c>author</c>,
/// <c>requirementMin</c>, <c>published</c>...). Pure: no I/O, no clock, the same payload always gives the same offer.
/// Lenient on purpose: missing or odd fields become null and validation is left to ingestion, which counts bad
/// records instead of losing the batch.
/// </summary>
public static class InfojobsOfferMapper
{
    /// <summary>
    /// Maps a payload; throws <see cref="FormatException"/> when it is not a JSON object or a text in it is not UTF-8.
    /// </summary>
    public static Offer Map(JsonElement payload)
    {
        if (payload.ValueKind != JsonValueKind.Object)
            throw new FormatException($"An InfoJobs offer must be a JSON object, not {Describe(payload.ValueKind)}.");
        // The parser checks the JSON's structure, not the bytes inside its strings: text saved in another encoding
        // (Latin-1, Windows-1252) only fails when a value is read.
        try { return MapObject(payload); }
        catch (InvalidOperationException ex) when (ex.InnerException is System.Text.DecoderFallbackException)
        {
            throw new FormatException("A text value is not valid UTF-8 (was it saved in another encoding, such as Latin-1?).", ex);
        }
    }

    /// <summary>
    /// <see cref="Map"/> for a payload that must be an offer (a list item, a detail answer, a replayed line): it also
    /// throws <see cref="FormatException"/> when the payload has no usable id, saying what it has instead. An id is an
    /// offer's identity: without one it cannot be stored, fetched or told apart, so it is no offer at all.
    /// </summary>
    public static Offer MapOffer(JsonElement payload)
    {
        var offer = Map(payload);
        if (offer.ProviderOfferId.Length > 0) return offer;
        if (payload.TryGetProperty("id"u8, out var id))
            throw new FormatException(id.ValueKind switch
            {
                JsonValueKind.String => "Its id is blank.",
                JsonValueKind.Null => "Its id is null.",
                var kind => $"Its id is {Describe(kind)}, not a text or a number.",
            });
        // Its own field names tell what it is instead (a Sheets answer, a list answer's paging fields, a config).
        const int shown = 6;
        var names = payload.EnumerateObject().Select(p => p.Name).ToList();
        throw new FormatException(names.Count == 0 ? "It is not an InfoJobs offer: an empty object."
            : $"It is not an InfoJobs offer: it has no id (its fields: {string.Join(", ", names.Take(shown))}{(names.Count > shown ? ", ..." : "")}).");
    }

    /// <summary>The offer id of a payload (a non-blank text, or a number as written); null when it has none.</summary>
    public static string? OfferId(JsonElement payload) =>
        payload.ValueKind == JsonValueKind.Object
        && Property(payload, "id"u8) is { ValueKind: JsonValueKind.String or JsonValueKind.Number }
            ? Scalar(payload, "id"u8)
            : null;

    private static Offer MapObject(JsonElement payload)
    {

        var minPay = Property(payload, "minPay"u8);
        var maxPay = Property(payload, "maxPay"u8);
        return new Offer
        {
            Provider = Providers.Infojobs,
            ProviderOfferId = OfferId(payload) ?? "",
            Url = Scalar(payload, "link"u8),
            Title = Scalar(payload, "title"u8),
            Description = Scalar(payload, "description"u8),
            // A search-list item has no description field at all (a detail always has one, even empty).
            DetailOmitted = Property(payload, "description"u8) is null,
            Requirements = JoinRequirements(Scalar(payload, "minRequirements"u8) ?? Scalar(payload, "requirementMin"u8),
                Scalar(payload, "desiredRequirements"u8)),
            Company = MapCompany(Property(payload, "profile"u8) ?? Property(payload, "author"u8)),
            Province = DictionaryValue(payload, "province"u8),
            City = Scalar(payload, "city"u8),
            Country = DictionaryValue(payload, "country"u8),
            Category = DictionaryValue(payload, "category"u8),
            Subcategory = DictionaryValue(payload, "subcategory"u8),
            ContractType = DictionaryValue(payload, "contractType"u8),
            WorkDay = DictionaryValue(payload, "journey"u8) ?? DictionaryValue(payload, "workDay"u8),
            Experience = DictionaryValue(payload, "experienceMin"u8),
            SalaryMin = PayAmount(minPay) ?? DictionaryValue(payload, "salaryMin"u8),
            SalaryMax = PayAmount(maxPay) ?? DictionaryValue(payload, "salaryMax"u8),
            SalaryPeriod = PayPeriod(minPay) ?? PayPeriod(maxPay) ?? DictionaryValue(payload, "salaryPeriod"u8),
            SalaryDescription = Scalar(payload, "salaryDescription"u8),
            PublishedAt = ParseTimestamp(Scalar(payload, "creationDate"u8) ?? Scalar(payload, "published"u8)),
            UpdatedAt = ParseTimestamp(Scalar(payload, "updateDate"u8) ?? Scalar(payload, "updated"u8)),
            Applications = ParseCount(Scalar(payload, "applications"u8)),
        };
    }

    /// <summary>
    /// Parses InfoJobs timestamps (<c>2012-09-21T10:26:23.000+0000</c>, also <c>+01:00</c> and <c>Z</c>) to UTC;
    /// null when blank or unreadable. A value without offset is taken as UTC.
    /// </summary>
    public static DateTimeOffset? ParseTimestamp(string? text) =>
        OfferNormalization.TryParseTimestamp(text, out var utc) ? utc : null;

    private static OfferCompany? MapCompany(JsonElement? profile)
    {
        if (profile is not { ValueKind: JsonValueKind.Object } p) return null;
        var company = new OfferCompany
        {
            ProviderCompanyId = Scalar(p, "id"u8),
            Name = Scalar(p, "name"u8),
            Website = CompanyWebsite(Scalar(p, "web"u8)) ?? CompanyWebsite(Scalar(p, "websiteUrl"u8)) ?? CompanyWebsite(Scalar(p, "url"u8)),
            Hidden = Property(p, "hidden"u8) is { } hidden && (hidden.ValueKind == JsonValueKind.True
                || (hidden.ValueKind == JsonValueKind.String && bool.TryParse(hidden.GetString(), out var h) && h)),
        };
        return company.ProviderCompanyId is null && company.Name is null && company.Website is null && !company.Hidden
            ? null
            : company;
    }

    /// <summary>
    /// A profile's own site, not an InfoJobs page: profiles also carry relative InfoJobs paths
    /// (<c>corporateWebsiteUrl</c> = <c>/acme/em-i...</c>) and list items link to the InfoJobs company page.
    /// Null when <paramref name="value"/> is none of the company's.
    /// </summary>
    private static string? CompanyWebsite(string? value)
    {
        if (value is null || value.StartsWith('/')) return null;
        var candidate = value.Contains("://", StringComparison.Ordinal) ? value : "http://" + value;
        return Uri.TryCreate(candidate, UriKind.Absolute, out var uri) && !IsInfojobsHost(uri.Host) ? value : null;
    }

    /// <summary>True when one of the host's labels is <c>infojobs</c> (infojobs.net, www.infojobs.es, infojobs.co...).</summary>
    private static bool IsInfojobsHost(string host)
    {
        const string label = "infojobs";
        for (var at = host.IndexOf(label, StringComparison.OrdinalIgnoreCase); at >= 0;
             at = host.IndexOf(label, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            var end = at + label.Length;
            if ((at == 0 || host[at - 1] == '.') && (end == host.Length || host[end] == '.')) return true;
        }
        return false;
    }

    private static string? PayAmount(JsonElement? pay) =>
        pay is { ValueKind: JsonValueKind.Object } p ? Scalar(p, "amountValue"u8) ?? Scalar(p, "amount"u8) : null;

    private static string? PayPeriod(JsonElement? pay) =>
        pay is { ValueKind: JsonValueKind.Object } p ? Scalar(p, "periodValue"u8) : null;

    /// <summary>The <c>value</c> of an InfoJobs dictionary item; the API's "not set" item <c>{"id":0,"value":""}</c> is null.</summary>
    private static string? DictionaryValue(JsonElement obj, ReadOnlySpan<byte> name) => Property(obj, name) switch
    {
        { ValueKind: JsonValueKind.Object } item => Scalar(item, "value"u8),
        { ValueKind: JsonValueKind.String } text => Blank(text.GetString()),
        _ => null,
    };

    private static int? ParseCount(string? text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : null;

    /// <summary>An offer's requirements: InfoJobs' minimum and desired requirements as two paragraphs, either may be missing.</summary>
    public static string? JoinRequirements(string? minimum, string? desired) =>
        minimum is null ? desired : desired is null ? minimum : minimum + "\n\n" + desired;

    private static JsonElement? Property(JsonElement obj, ReadOnlySpan<byte> name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>A string, number or boolean property as text (InfoJobs sends ids and counts either way); blank is null.</summary>
    private static string? Scalar(JsonElement obj, ReadOnlySpan<byte> name) => Property(obj, name) switch
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
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}

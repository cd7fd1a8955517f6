using System.Collections;
using System.Globalization;
using System.Management.Automation;
using JobSignal.Core.Domain;
using JobSignal.Core.Ingestion;

namespace JobSignal.Cmdlets.Infrastructure;

/// <summary>
/// Reads what comes down Invoke-OfferIngestion's pipeline into an <see cref="Offer"/>: a JobSignal.Offer as is, or any
/// object or hashtable of the same shape (hand-built, ConvertFrom-Json of saved offers), property names matched
/// case-insensitively. The company is a nested <c>Company</c> object (ProviderCompanyId or Id, Name, Website, Hidden) or
/// a plain name in <c>Company</c>, or flat properties <c>CompanyName</c>, <c>ProviderCompanyId</c> (alias <c>CompanyId</c>),
/// <c>CompanyWebsite</c> (alias <c>Website</c>), <c>CompanyHidden</c>. Values that cannot be read (a date that is not a
/// date) are reported as the offer's problem: it is then counted as skipped_invalid with that reason.
/// </summary>
internal static class OfferInput
{
    public static (Offer Offer, string? Problem) Read(PSObject input)
    {
        if (input.BaseObject is Offer offer) return (offer, null);
        var problems = new List<string>();
        var fields = new Fields(input, problems);
        var read = new Offer
        {
            Provider = fields.Text("Provider") ?? Providers.Infojobs,
            ProviderOfferId = fields.Text("ProviderOfferId", "OfferId", "Id") ?? "",
            Url = fields.Text("Url", "Link"),
            Title = fields.Text("Title"),
            Description = fields.Text("Description"),
            Requirements = fields.Text("Requirements", "MinRequirements"),
            Province = fields.Text("Province"),
            City = fields.Text("City"),
            Country = fields.Text("Country"),
            Category = fields.Text("Category"),
            Subcategory = fields.Text("Subcategory"),
            ContractType = fields.Text("ContractType"),
            WorkDay = fields.Text("WorkDay"),
            Experience = fields.Text("Experience"),
            SalaryMin = fields.Text("SalaryMin"),
            SalaryMax = fields.Text("SalaryMax"),
            SalaryPeriod = fields.Text("SalaryPeriod"),
            SalaryDescription = fields.Text("SalaryDescription"),
            PublishedAt = fields.Date("PublishedAt"),
            UpdatedAt = fields.Date("UpdatedAt"),
            Applications = fields.Integer("Applications"),
            Company = ReadCompany(fields, problems),
        };
        return (read, problems.Count == 0 ? null : string.Join(" ", problems));
    }

    private static OfferCompany? ReadCompany(Fields offer, List<string> problems)
    {
        switch (offer.Value("Company"))
        {
            case null:
                break;
            case OfferCompany typed:
                return typed;
            case string name:
                return new OfferCompany { Name = name };
            case var nested:
                var company = new Fields(nested as PSObject ?? PSObject.AsPSObject(nested), problems, "Company.");
                return new OfferCompany
                {
                    ProviderCompanyId = company.Text("ProviderCompanyId", "Id"),
                    Name = company.Text("Name"),
                    Website = company.Text("Website", "Url"),
                    Hidden = company.Flag("Hidden"),
                };
        }
        var flat = new OfferCompany
        {
            // A stored offer's CompanyId is the store's own id, not the provider's: never an identity.
            ProviderCompanyId = offer.IsStoredOffer ? null : offer.Text("ProviderCompanyId", "CompanyId"),
            Name = offer.Text("CompanyName"),
            Website = offer.Text("CompanyWebsite", "Website"),
            Hidden = offer.Flag("CompanyHidden"),
        };
        return flat.ProviderCompanyId is null && flat.Name is null && flat.Website is null ? null : flat;
    }

    /// <summary>Named values of a PSObject or a dictionary, read leniently, with conversion problems collected.</summary>
    private sealed class Fields(PSObject source, List<string> problems, string prefix = "")
    {
        public bool IsStoredOffer => source.BaseObject is StoredOffer;

        public object? Value(string name)
        {
            object? value;
            if (source.BaseObject is IDictionary dictionary)
            {
                var key = dictionary.Keys.Cast<object>().FirstOrDefault(k => string.Equals(k?.ToString(), name, StringComparison.OrdinalIgnoreCase));
                value = key is null ? null : dictionary[key];
            }
            else
            {
                value = source.Properties[name]?.Value;
            }
            // A PSCustomObject (ConvertFrom-Json) keeps its properties on the wrapper: only unwrap real objects.
            return value is PSObject { BaseObject: not PSCustomObject } wrapped ? wrapped.BaseObject : value;
        }

        public string? Text(params string[] names)
        {
            foreach (var name in names)
            {
                var value = Value(name);
                if (value is null) continue;
                var text = Convert.ToString(value, CultureInfo.InvariantCulture);
                if (!string.IsNullOrWhiteSpace(text)) return text;
            }
            return null;
        }

        public DateTimeOffset? Date(string name)
        {
            switch (Value(name))
            {
                case null:
                    return null;
                case DateTimeOffset moment:
                    return moment;
                // ConvertFrom-Json gives DateTime; one without a kind is taken as UTC, like text without an offset.
                case DateTime { Kind: DateTimeKind.Unspecified } unspecified:
                    return new DateTimeOffset(unspecified, TimeSpan.Zero);
                case DateTime dateTime:
                    return new DateTimeOffset(dateTime);
                case var other:
                    var text = Convert.ToString(other, CultureInfo.InvariantCulture);
                    if (string.IsNullOrWhiteSpace(text)) return null;
                    if (OfferNormalization.TryParseTimestamp(text, out var parsed)) return parsed;
                    problems.Add($"{prefix}{name} '{text}' is not a date.");
                    return null;
            }
        }

        public int? Integer(string name)
        {
            var value = Value(name);
            if (value is null || value is string { Length: 0 }) return null;
            try
            {
                return Convert.ToInt32(value, CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException)
            {
                problems.Add($"{prefix}{name} '{value}' is not a whole number.");
                return null;
            }
        }

        public bool Flag(string name) => Value(name) switch
        {
            null => false,
            bool flag => flag,
            SwitchParameter flag => flag.IsPresent,
            string text => bool.TryParse(text, out var flag) && flag,
            var other => LanguagePrimitives.IsTrue(other),
        };
    }
}

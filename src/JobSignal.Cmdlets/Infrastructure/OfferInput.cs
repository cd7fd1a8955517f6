using System.Collections;
using System.Globalization;
using System.Management.Automation;
using JobSignal.Core.Domain;
using JobSignal.Core.Infojobs;
using JobSignal.Core.Ingestion;

namespace JobSignal.Cmdlets.Infrastructure;

/// <summary>
/// An offer read from a pipeline object: the offer, what could not be read, whether it had any text field, and whether
/// one of its text fields (title, description, requirements) held something that is not text.
/// </summary>
internal readonly record struct OfferReading(Offer Offer, string? Problem, bool HasText, bool TextUnreadable = false);

/// <summary>
/// Reads what comes down a cmdlet's pipeline into an <see cref="Offer"/> (Invoke-OfferIngestion, Measure-OfferSignal):
/// a JobSignal.Offer as is, untouched, or any object or hashtable of the same shape (hand-built, ConvertFrom-Json of
/// saved offers or InfoJobs payloads), property names matched case-insensitively. The company is a nested
/// <c>Company</c> object (ProviderCompanyId or Id, Name, Website or Url, Hidden) or a plain name in <c>Company</c>, or
/// flat properties <c>CompanyName</c>, <c>ProviderCompanyId</c> (alias <c>CompanyId</c>), <c>CompanyWebsite</c> (alias
/// <c>Website</c>), <c>CompanyHidden</c>. Requirements are <c>Requirements</c>, else InfoJobs' <c>MinRequirements</c>
/// and <c>DesiredRequirements</c>. Values that cannot be read (a date that is not a date) are reported as the offer's
/// problem: ingestion then counts it as skipped_invalid with that reason. So are values of the wrong type: a text field
/// takes text, numbers (ids and amounts are often numbers), dates, GUIDs, URIs, and a list of those (the lines
/// Get-Content gives); an object, a hashtable, a boolean or a list holding one is reported, naming the field and the type
/// found, never turned into text (PowerShell's rendering "@{text=...}" or "True" would be stored and scored). A string
/// is no offer at all (<see cref="TextInputProblem"/>). A raw InfoJobs payload (its company is a
/// <c>profile</c> or <c>author</c> object, names this shape never uses) is read as Get-InfojobsOffer reads one.
/// </summary>
/// <remarks>
/// Every property name the mapping knows is resolved once, into a static table; an object is then read in one pass
/// over its own properties (or entries), instead of asking PowerShell for each known name and alias in turn.
/// </remarks>
internal static class OfferInput
{
    /// <summary>The values the mapping reads; <see cref="Names"/> says which property names fill each.</summary>
    private enum Slot
    {
        Provider, ProviderOfferId, OfferId, Id, Url, Link, Title, Description, Requirements, MinRequirements,
        DesiredRequirements, Province, City, Country, Category, Subcategory, ContractType, WorkDay, Experience,
        SalaryMin, SalaryMax, SalaryPeriod, SalaryDescription, PublishedAt, UpdatedAt, Applications,
        Company, CompanyName, ProviderCompanyId, CompanyId, CompanyWebsite, Website, CompanyHidden, Name, Hidden,
        Profile, Author,
    }

    private static readonly Dictionary<string, Slot> Names = Enum.GetValues<Slot>()
        .ToDictionary(slot => slot.ToString(), StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The offers an -InputObject value stands for: each item of an array or list given by name (-InputObject $offers,
    /// where the pipeline would have sent them one by one), else the value itself. Only lists: an XML element is
    /// enumerable too, and is one offer.
    /// </summary>
    public static IEnumerable<PSObject> Items(PSObject input, bool piped) =>
        !piped && input.BaseObject is IList items
            ? items.Cast<object?>().Where(item => item is not null).Select(item => PSObject.AsPSObject(item!))
            : [input];

    /// <summary>
    /// The object a pipeline value wraps; a PSCustomObject (ConvertFrom-Json) keeps its properties on the wrapper, so
    /// only real objects are unwrapped.
    /// </summary>
    internal static object? Unwrap(object? value) => value is PSObject { BaseObject: not PSCustomObject } wrapped ? wrapped.BaseObject : value;

    /// <summary>
    /// Why a string is no offer: what a line of a JSON Lines file read with Get-Content is, and what to do instead.
    /// </summary>
    public const string TextInputProblem =
        "The input is a string, not an offer: to ingest JSON text, convert it first (Get-Content <file> | ConvertFrom-Json), " +
        "or replay saved InfoJobs payloads with Get-InfojobsOffer -Path <file>.";

    public static OfferReading Read(PSObject input)
    {
        switch (input.BaseObject)
        {
            case Offer offer:
                return new OfferReading(offer, null, HasText: true);
            case string:
                return new OfferReading(new Offer(), TextInputProblem, HasText: false);
        }
        var fields = Fields.Of(input);
        if (fields.IsInfojobsPayload) return ReadInfojobsPayload(input);
        var read = new Offer
        {
            Provider = fields.Text(Slot.Provider) ?? Providers.Infojobs,
            ProviderOfferId = fields.Text(Slot.ProviderOfferId, Slot.OfferId, Slot.Id) ?? "",
            Url = fields.Text(Slot.Url, Slot.Link),
            Title = fields.Text(Slot.Title),
            Description = fields.Text(Slot.Description),
            Requirements = fields.Text(Slot.Requirements)
                ?? InfojobsOfferMapper.JoinRequirements(fields.Text(Slot.MinRequirements), fields.Text(Slot.DesiredRequirements)),
            Province = fields.Text(Slot.Province),
            City = fields.Text(Slot.City),
            Country = fields.Text(Slot.Country),
            Category = fields.Text(Slot.Category),
            Subcategory = fields.Text(Slot.Subcategory),
            ContractType = fields.Text(Slot.ContractType),
            WorkDay = fields.Text(Slot.WorkDay),
            Experience = fields.Text(Slot.Experience),
            SalaryMin = fields.Text(Slot.SalaryMin),
            SalaryMax = fields.Text(Slot.SalaryMax),
            SalaryPeriod = fields.Text(Slot.SalaryPeriod),
            SalaryDescription = fields.Text(Slot.SalaryDescription),
            PublishedAt = fields.Date(Slot.PublishedAt),
            UpdatedAt = fields.Date(Slot.UpdatedAt),
            Applications = fields.Integer(Slot.Applications),
            Company = ReadCompany(fields),
        };
        var hasText = fields.Has(Slot.Title) || fields.Has(Slot.Description) || fields.Has(Slot.Requirements)
                      || fields.Has(Slot.MinRequirements) || fields.Has(Slot.DesiredRequirements);
        return new OfferReading(read, fields.Problems, hasText, fields.TextUnreadable);
    }

    /// <summary>
    /// An InfoJobs payload from ConvertFrom-Json, mapped as the payload itself is (InfoJobs' own names and
    /// <c>{id, value}</c> dictionary items), so that it is stored and scored as Get-InfojobsOffer -Path would give it.
    /// </summary>
    private static OfferReading ReadInfojobsPayload(PSObject input)
    {
        using var payload = PipelineJson.ToDocument(input);
        var offer = InfojobsOfferMapper.Map(payload.RootElement);
        var hasText = offer.Title is not null || offer.Description is not null || offer.Requirements is not null;
        return new OfferReading(offer, null, hasText);
    }

    private static OfferCompany? ReadCompany(Fields offer)
    {
        switch (offer.Value(Slot.Company))
        {
            case null:
                break;
            case OfferCompany typed:
                return typed;
            case string name:
                return new OfferCompany { Name = name };
            case var scalar when Fields.Scalar(scalar) is not null:
                // A number or a boolean is neither a company object nor a name.
                offer.Unreadable(Slot.Company, scalar, "a company object or name");
                return null;
            case var nested:
                var company = Fields.Of(nested as PSObject ?? PSObject.AsPSObject(nested), offer, "Company.");
                return new OfferCompany
                {
                    ProviderCompanyId = company.Text(Slot.ProviderCompanyId, Slot.Id),
                    Name = company.Text(Slot.Name),
                    Website = company.Text(Slot.Website, Slot.Url),
                    Hidden = company.Flag(Slot.Hidden),
                };
        }
        var flat = new OfferCompany
        {
            // A stored offer's CompanyId is the store's own id, not the provider's: never an identity.
            ProviderCompanyId = offer.IsStoredOffer ? null : offer.Text(Slot.ProviderCompanyId, Slot.CompanyId),
            Name = offer.Text(Slot.CompanyName),
            Website = offer.Text(Slot.CompanyWebsite, Slot.Website),
            Hidden = offer.Flag(Slot.CompanyHidden),
        };
        return flat.ProviderCompanyId is null && flat.Name is null && flat.Website is null ? null : flat;
    }

    /// <summary>
    /// The known values of one PSObject or dictionary, gathered in one pass (the first property of a name wins, as
    /// PowerShell's own lookup would), read leniently, with conversion problems collected.
    /// </summary>
    private sealed class Fields
    {
        private readonly object?[] _values = new object?[Names.Count];
        private readonly bool[] _present = new bool[Names.Count];
        private readonly string _prefix;
        private readonly Fields _root; // collects the problems of nested objects too
        private List<string>? _problems;

        private Fields(object baseObject, Fields? root, string prefix)
        {
            IsStoredOffer = baseObject is StoredOffer;
            _root = root ?? this;
            _prefix = prefix;
        }

        public bool IsStoredOffer { get; }

        /// <summary>
        /// An InfoJobs payload: its company is a <c>profile</c> (detail) or <c>author</c> (list item) object, and it
        /// has none of the names only this shape uses (an offer of this shape may well have an Author of its own).
        /// </summary>
        public bool IsInfojobsPayload =>
            !IsStoredOffer && (IsObject(Value(Slot.Profile)) || IsObject(Value(Slot.Author)))
            && !Has(Slot.Company) && !Has(Slot.CompanyName) && !Has(Slot.ProviderOfferId) && !Has(Slot.OfferId)
            && !Has(Slot.Url) && !Has(Slot.Requirements) && !Has(Slot.PublishedAt) && !Has(Slot.UpdatedAt);

        private static bool IsObject(object? value) => value is PSObject or IDictionary;

        public string? Problems => _problems is null ? null : string.Join(" ", _problems);

        public static Fields Of(PSObject source, Fields? root = null, string prefix = "")
        {
            var fields = new Fields(source.BaseObject, root, prefix);
            if (source.BaseObject is IDictionary dictionary)
            {
                foreach (DictionaryEntry entry in dictionary)
                    if (fields.Wants(entry.Key?.ToString(), out var slot)) fields.Set(slot, entry.Value);
            }
            else
            {
                // Only the properties whose name is known are read: a getter is never run for nothing.
                foreach (var property in source.Properties)
                    if (fields.Wants(property.Name, out var slot)) fields.Set(slot, property.Value);
            }
            return fields;
        }

        private bool Wants(string? name, out Slot slot) =>
            Names.TryGetValue(name ?? "", out slot) && !_present[(int)slot];

        private void Set(Slot slot, object? value)
        {
            _present[(int)slot] = true;
            _values[(int)slot] = Unwrap(value);
        }

        public bool Has(Slot slot) => _present[(int)slot];

        public object? Value(Slot slot) => _values[(int)slot];

        public string? Text(Slot slot) => Text(slot, Value(slot));

        public string? Text(Slot first, Slot second) => Text(first) ?? Text(second);

        public string? Text(Slot first, Slot second, Slot third) => Text(first, second) ?? Text(third);

        /// <summary>True when a text that scoring reads (title, description, requirements) held something that is not text.</summary>
        public bool TextUnreadable { get; private set; }

        private string? Text(Slot slot, object? value)
        {
            var text = value switch
            {
                null => null,
                string plain => plain,
                // Get-Content gives a file's lines, and a JSON array of paragraphs comes out of ConvertFrom-Json, as an
                // array: one text, a line each (Convert.ToString would give "System.Object[]").
                IList lines when lines.Cast<object?>().Select(Unwrap).All(line => line is null || (line is not bool && Scalar(line) is not null)) =>
                    string.Join("\n", lines.Cast<object?>().Select(line => Scalar(Unwrap(line))).Where(line => line is not null)),
                bool => Unreadable(slot, value, "text"),
                _ => Scalar(value) ?? Unreadable(slot, value, "text"),
            };
            return string.IsNullOrWhiteSpace(text) ? null : text;
        }

        /// <summary>
        /// A value that stands for one piece of text: a string, a character, a number (invariant culture), a date
        /// (ISO-8601), a GUID, a URI, an enum value or a boolean; null for anything else (objects, hashtables, lists).
        /// </summary>
        public static string? Scalar(object? value) => value switch
        {
            string text => text,
            char character => character.ToString(),
            bool flag => flag ? "True" : "False",
            DateTime date => date.ToString("o", CultureInfo.InvariantCulture),
            DateTimeOffset moment => moment.ToString("o", CultureInfo.InvariantCulture),
            byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal
                or System.Numerics.BigInteger or Guid or Uri or Enum => Convert.ToString(value, CultureInfo.InvariantCulture),
            _ => null,
        };

        /// <summary>Reports a value of the wrong type, naming the field and what was found; returns null (no value).</summary>
        public string? Unreadable(Slot slot, object? value, string expected)
        {
            if (slot is Slot.Title or Slot.Description or Slot.Requirements or Slot.MinRequirements or Slot.DesiredRequirements)
                _root.TextUnreadable = true;
            Problem($"{_prefix}{slot} is {Describe(value)}, not {expected}.");
            return null;
        }

        /// <summary>What a value is, for a message: its kind, and its keys or property names (never their values).</summary>
        private static string Describe(object? value) => value switch
        {
            bool flag => $"a boolean ({flag})",
            IDictionary dictionary => $"a hashtable{NameList(dictionary.Keys.Cast<object?>().Select(key => key?.ToString()), "keys")}",
            PSObject { BaseObject: PSCustomObject } custom => $"an object{NameList(custom.Properties.Select(p => p.Name), "properties")}",
            IList list => $"a list holding {Describe(list.Cast<object?>().Select(Unwrap).First(item => item is bool || item is not null && Scalar(item) is null))}",
            null => "null",
            var other when Scalar(other) is not null => $"a {other.GetType().Name} ({Scalar(other)})",
            var other => $"an object of type {other.GetType().FullName}",
        };

        private static string NameList(IEnumerable<string?> names, string what)
        {
            var list = names.Where(name => !string.IsNullOrEmpty(name)).Take(6).ToList();
            return list.Count == 0 ? " (empty)" : $" ({what} {string.Join(", ", list)})";
        }

        public DateTimeOffset? Date(Slot slot)
        {
            switch (Value(slot))
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
                    Problem($"{_prefix}{slot} '{text}' is not a date.");
                    return null;
            }
        }

        public int? Integer(Slot slot)
        {
            var value = Value(slot);
            if (value is null || value is string { Length: 0 }) return null;
            // Convert.ToInt32 would read $true as 1.
            if (value is bool)
            {
                Unreadable(slot, value, "a whole number");
                return null;
            }
            try
            {
                return Convert.ToInt32(value, CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException)
            {
                Problem($"{_prefix}{slot} '{value}' is not a whole number.");
                return null;
            }
        }

        public bool Flag(Slot slot) => Value(slot) switch
        {
            null => false,
            bool flag => flag,
            SwitchParameter flag => flag.IsPresent,
            string text => bool.TryParse(text, out var flag) && flag,
            var other => LanguagePrimitives.IsTrue(other),
        };

        private void Problem(string problem) => (_root._problems ??= []).Add(problem);
    }
}

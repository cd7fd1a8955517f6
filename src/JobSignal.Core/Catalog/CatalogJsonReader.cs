using System.Globalization;
using System.Text.Json;
using JobSignal.Core.Signal;

namespace JobSignal.Core.Catalog;

/// <summary>
/// Maps a parsed catalog JSON document onto <see cref="SignalCatalog"/>, reporting every structural problem (missing
/// member, wrong type, unknown property) with its JSON path instead of stopping at the first. A bad element keeps its
/// slot (as an empty value) so that paths of later checks still match the file. Properties whose name starts with
/// <c>_</c> or <c>$</c> are ignored (comments, <c>$schema</c>).
/// </summary>
internal sealed class CatalogJsonReader
{
    private readonly List<CatalogIssue> _issues = [];

    internal static (SignalCatalog Catalog, List<CatalogIssue> Issues) Read(JsonElement root)
    {
        var reader = new CatalogJsonReader();
        var catalog = reader.ReadCatalog(root);
        return (catalog, reader._issues);
    }

    private SignalCatalog ReadCatalog(JsonElement root)
    {
        const string path = "$";
        var catalog = new SignalCatalog();
        if (!IsObject(root, path)) return catalog;
        CheckProperties(root, path, "version", "description", "categories", "keywords", "phrases", "scoring", "negation");
        catalog.Version = ReadString(root, "version", path, required: true);
        catalog.Description = OptionalString(root, "description", path);
        catalog.Categories = ReadArray(root, "categories", path, required: true, ReadCategory);
        catalog.Keywords = ReadArray(root, "keywords", path, required: true, ReadKeyword);
        catalog.Phrases = ReadArray(root, "phrases", path, required: false, ReadPhrase);
        catalog.Scoring = ReadObject(root, "scoring", path, ReadScoring) ?? new ScoringProfile();
        catalog.Negation = ReadObject(root, "negation", path, ReadNegation) ?? new NegationRules();
        return catalog;
    }

    private CatalogCategory ReadCategory(JsonElement element, string path)
    {
        var category = new CatalogCategory();
        if (!IsObject(element, path)) return category;
        CheckProperties(element, path, "id", "name", "tier", "bucket");
        category.Id = ReadString(element, "id", path, required: true);
        category.Name = OptionalString(element, "name", path) ?? category.Id;
        category.Tier = ReadInt(element, "tier", path);
        category.Bucket = ReadString(element, "bucket", path, required: true);
        return category;
    }

    private CatalogKeyword ReadKeyword(JsonElement element, string path)
    {
        var keyword = new CatalogKeyword();
        if (!IsObject(element, path)) return keyword;
        CheckProperties(element, path, "id", "categoryId", "canonical", "aliases", "caseSensitiveAliases", "exclude", "onlyWith");
        keyword.Id = ReadString(element, "id", path, required: true);
        keyword.CategoryId = ReadString(element, "categoryId", path, required: true);
        keyword.Aliases = ReadArray(element, "aliases", path, required: false, StringItem);
        keyword.CaseSensitiveAliases = ReadArray(element, "caseSensitiveAliases", path, required: false, StringItem);
        keyword.Canonical = OptionalString(element, "canonical", path)
            ?? keyword.Aliases.Concat(keyword.CaseSensitiveAliases).FirstOrDefault() ?? keyword.Id;
        keyword.Exclude = ReadArray(element, "exclude", path, required: false, ReadExclusion);
        keyword.OnlyWith = ReadArray(element, "onlyWith", path, required: false, StringItem);
        return keyword;
    }

    private CatalogPhrase ReadPhrase(JsonElement element, string path)
    {
        var phrase = new CatalogPhrase();
        if (!IsObject(element, path)) return phrase;
        CheckProperties(element, path, "id", "phrase", "tier", "exclude", "onlyWith");
        phrase.Id = ReadString(element, "id", path, required: true);
        phrase.Phrase = ReadString(element, "phrase", path, required: true);
        phrase.Tier = ReadInt(element, "tier", path);
        phrase.Exclude = ReadArray(element, "exclude", path, required: false, ReadExclusion);
        phrase.OnlyWith = ReadArray(element, "onlyWith", path, required: false, StringItem);
        return phrase;
    }

    private ExclusionRule ReadExclusion(JsonElement element, string path)
    {
        var rule = new ExclusionRule();
        if (!IsObject(element, path)) return rule;
        CheckProperties(element, path, "near", "window", "direction", "aliases", "withinSentence", "withinField");
        rule.Near = ReadArray(element, "near", path, required: true, StringItem);
        rule.Window = ReadInt(element, "window", path);
        rule.Direction = OptionalString(element, "direction", path) ?? ExclusionDirections.Both;
        rule.Aliases = ReadArray(element, "aliases", path, required: false, StringItem);
        rule.WithinSentence = ReadOptionalBool(element, "withinSentence", path);
        rule.WithinField = ReadOptionalBool(element, "withinField", path);
        return rule;
    }

    private bool ReadOptionalBool(JsonElement parent, string name, string parentPath)
    {
        if (!TryGetMember(parent, name, parentPath, required: false, out var element, out var path)) return false;
        if (element.ValueKind is JsonValueKind.True or JsonValueKind.False) return element.GetBoolean();
        Report(path, $"expected true or false, got {Describe(element)}");
        return false;
    }

    private ScoringProfile ReadScoring(JsonElement element, string path)
    {
        CheckProperties(element, path, "tierWeights", "phraseTierWeights", "fieldWeights", "bucketCaps",
            "fxCoreThreshold", "synergy", "noFxCoreCap", "strongThreshold", "maxScore");
        return new ScoringProfile
        {
            TierWeights = ReadTierMap(element, "tierWeights", path),
            PhraseTierWeights = ReadTierMap(element, "phraseTierWeights", path),
            FieldWeights = ReadNumberMap(element, "fieldWeights", path),
            BucketCaps = ReadNumberMap(element, "bucketCaps", path),
            FxCoreThreshold = ReadDecimal(element, "fxCoreThreshold", path),
            Synergy = ReadObject(element, "synergy", path, ReadSynergy) ?? new SynergyRules(),
            NoFxCoreCap = ReadDecimal(element, "noFxCoreCap", path),
            StrongThreshold = ReadInt(element, "strongThreshold", path),
            MaxScore = ReadInt(element, "maxScore", path),
        };
    }

    private SynergyRules ReadSynergy(JsonElement element, string path)
    {
        CheckProperties(element, path, "bonuses", "max");
        return new SynergyRules
        {
            Bonuses = ReadArray(element, "bonuses", path, required: true, ReadSynergyBonus),
            Max = ReadDecimal(element, "max", path),
        };
    }

    private SynergyBonus ReadSynergyBonus(JsonElement element, string path)
    {
        var bonus = new SynergyBonus();
        if (!IsObject(element, path)) return bonus;
        CheckProperties(element, path, "bucket", "threshold", "amount");
        bonus.Bucket = ReadString(element, "bucket", path, required: true);
        bonus.Threshold = ReadDecimal(element, "threshold", path);
        bonus.Amount = ReadDecimal(element, "amount", path);
        return bonus;
    }

    private NegationRules ReadNegation(JsonElement element, string path)
    {
        CheckProperties(element, path, "cues", "windowBefore", "windowAfter", "idioms");
        return new NegationRules
        {
            Cues = ReadArray(element, "cues", path, required: true, StringItem),
            WindowBefore = ReadInt(element, "windowBefore", path),
            WindowAfter = ReadInt(element, "windowAfter", path),
            Idioms = ReadArray(element, "idioms", path, required: false, StringItem),
        };
    }

    private TierWeightMap ReadTierMap(JsonElement parent, string name, string parentPath)
    {
        var map = new TierWeightMap();
        foreach (var (key, value, path) in MapEntries(parent, name, parentPath))
        {
            if (int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var tier)) map[tier] = value;
            else Report(path, $"'{key}' is not a tier: use \"1\", \"2\" or \"3\"");
        }
        return map;
    }

    private Dictionary<string, decimal> ReadNumberMap(JsonElement parent, string name, string parentPath)
    {
        var map = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (key, value, _) in MapEntries(parent, name, parentPath)) map[key] = value;
        return map;
    }

    private IEnumerable<(string Key, decimal Value, string Path)> MapEntries(JsonElement parent, string name, string parentPath)
    {
        if (!TryGetMember(parent, name, parentPath, required: true, out var element, out var path)) yield break;
        if (!IsObject(element, path)) yield break;
        foreach (var property in element.EnumerateObject())
        {
            var entryPath = Child(path, property.Name);
            if (TryReadDecimal(property.Value, entryPath, out var value)) yield return (property.Name, value, entryPath);
        }
    }

    private T? ReadObject<T>(JsonElement parent, string name, string parentPath, Func<JsonElement, string, T> read)
        where T : class
    {
        if (!TryGetMember(parent, name, parentPath, required: true, out var element, out var path)) return null;
        return IsObject(element, path) ? read(element, path) : null;
    }

    private ItemList<T> ReadArray<T>(JsonElement parent, string name, string parentPath, bool required,
        Func<JsonElement, string, T> readItem)
    {
        var list = new ItemList<T>();
        if (!TryGetMember(parent, name, parentPath, required, out var element, out var path)) return list;
        if (element.ValueKind != JsonValueKind.Array)
        {
            Report(path, $"expected an array, got {Describe(element)}");
            return list;
        }
        var index = 0;
        foreach (var item in element.EnumerateArray()) list.Add(readItem(item, $"{path}[{index++}]"));
        return list;
    }

    private string StringItem(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.String) return element.GetString()!;
        Report(path, $"expected a string, got {Describe(element)}");
        return "";
    }

    private string ReadString(JsonElement parent, string name, string parentPath, bool required) =>
        TryGetMember(parent, name, parentPath, required, out var element, out var path) ? StringItem(element, path) : "";

    private string? OptionalString(JsonElement parent, string name, string parentPath) =>
        TryGetMember(parent, name, parentPath, required: false, out var element, out var path)
            && element.ValueKind != JsonValueKind.Null ? StringItem(element, path) : null;

    private int ReadInt(JsonElement parent, string name, string parentPath)
    {
        if (!TryGetMember(parent, name, parentPath, required: true, out var element, out var path)) return 0;
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var value)) return value;
        // 3.0 is a whole number too (Python's json.dumps writes a float that way).
        if (element.ValueKind == JsonValueKind.Number && element.TryGetDecimal(out var number)
            && number == decimal.Truncate(number) && number is >= int.MinValue and <= int.MaxValue) return (int)number;
        // A number with a fraction is the wrong kind of number; one without (1e300, 12345678901) is just too large.
        var fraction = element.ValueKind == JsonValueKind.Number && element.TryGetDecimal(out var parsed) && parsed != decimal.Truncate(parsed);
        Report(path, element.ValueKind == JsonValueKind.Number && !fraction
            ? $"{element.GetRawText()} is out of range (at most {int.MaxValue})"
            : $"expected a whole number, got {Describe(element)}");
        return 0;
    }

    private decimal ReadDecimal(JsonElement parent, string name, string parentPath) =>
        TryGetMember(parent, name, parentPath, required: true, out var element, out var path)
            && TryReadDecimal(element, path, out var value) ? value : 0m;

    private bool TryReadDecimal(JsonElement element, string path, out decimal value)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetDecimal(out value)) return true;
        Report(path, element.ValueKind == JsonValueKind.Number
            ? $"{element.GetRawText()} is out of range for a weight, cap or threshold"
            : $"expected a number, got {Describe(element)}");
        value = 0m;
        return false;
    }

    private bool TryGetMember(JsonElement parent, string name, string parentPath, bool required,
        out JsonElement element, out string path)
    {
        path = Child(parentPath, name);
        if (parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out element)) return true;
        if (required) Report(path, "missing");
        element = default;
        return false;
    }

    private bool IsObject(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Object) return true;
        Report(path, $"expected an object, got {Describe(element)}");
        return false;
    }

    private void CheckProperties(JsonElement element, string path, params string[] known)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var name = property.Name;
            if (!seen.Add(name)) Report(Child(path, name), "duplicate property");
            if (name.StartsWith('_') || name.StartsWith('$') || known.Contains(name)) continue;
            var suggestion = known.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
            Report(Child(path, name), suggestion is null
                ? $"unknown property (expected one of: {string.Join(", ", known)})"
                : $"unknown property (did you mean '{suggestion}'?)");
        }
    }

    private void Report(string path, string message) => _issues.Add(new CatalogIssue(path, message));

    private static string Child(string parent, string name) => parent == "$" ? name : parent + "." + name;

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}

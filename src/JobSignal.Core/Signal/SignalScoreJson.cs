using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using JobSignal.Core.Catalog;
using JobSignal.Core.Common;

namespace JobSignal.Core.Signal;

/// <summary>
/// The one JSON form of a <see cref="SignalScore"/> explanation (stored with each match, read back by queries and
/// the Sheet): camelCase, enums as camelCase strings, nulls left out.
/// <para>
/// Format 2 stores each hit once: a category's or phrase's winning hit is written as a reference
/// (<c>{"id","field","position"}</c>) to its entry in <c>hits</c>, and hit flags that are false are left out. That
/// halves the JSON of a typical offer (it was larger than the offer's own text). Format 1, with the winning hit
/// written out in full, is still read.
/// </para>
/// <para>
/// <c>synergyUncapped</c>, <c>synergyMax</c>, <c>fxCoreThreshold</c>, <c>maxScore</c> and a synergy part's
/// <c>reason</c> were added to format 2 without a new number: they are optional (absent in older explanations, read
/// as null) and older modules ignore them, where a format 3 would make them refuse every newer explanation.
/// </para>
/// </summary>
public static class SignalScoreJson
{
    /// <summary>The layout written today; readers accept it and every earlier one.</summary>
    public const int CurrentFormat = 2;

    public const string InvalidErrorId = "SignalExplanationInvalid";

    private static readonly JsonSerializerOptions s_options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    // Text is stored as UTF-8, not \u-escaped: evidence in Spanish stays readable, shorter, and findable with LIKE
    // (Get-SignalOffer -Keyword "tecnología"). The JSON is never embedded in HTML, where the relaxed escaping matters.
    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;

    public static string Serialize(SignalScore score) => Encoding.UTF8.GetString(Utf8(score));

    /// <summary>The same JSON as <see cref="Serialize"/>, as UTF-8: what ingestion stores, with no string in between.</summary>
    internal static byte[] SerializeToUtf8(SignalScore score)
    {
        var json = Utf8(score);
        // Uninitialized: an explanation is a few KB, and every byte is written by the copy.
        var bytes = GC.AllocateUninitializedArray<byte>(json.Length);
        json.CopyTo(bytes);
        return bytes;
    }

    // Ingestion serializes one explanation per offer on every core: written by hand into a per-thread buffer, without
    // reflection or intermediate strings. The span is valid until the thread's next call.
    private static ReadOnlySpan<byte> Utf8(SignalScore score)
    {
        ArgumentNullException.ThrowIfNull(score);
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(8192);
        buffer.ResetWrittenCount(); // not Clear(), which zeroes what the last offer wrote
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions)) Write(writer, score);
        if (buffer.Capacity > 1 << 20) t_buffer = null; // one huge offer must not pin its buffer for the thread's life
        return buffer.WrittenSpan;
    }

    /// <summary>Throws <see cref="JobSignalException"/> (SignalExplanationInvalid) on text that is not an explanation.</summary>
    public static SignalScore Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        SignalScore? score;
        try
        {
            score = JsonSerializer.Deserialize<SignalScore>(json, s_options);
        }
        catch (JsonException ex)
        {
            throw Invalid($"The stored score explanation is not valid JSON: {ex.Message}", ex);
        }
        if (score is null) throw Invalid("The stored score explanation is empty (JSON null).", null);
        if (score.Format > CurrentFormat)
            throw Invalid($"The stored score explanation has format {score.Format}; this module reads up to {CurrentFormat}.", null);
        return score.Format >= 2 ? ResolveHitReferences(score) : score;
    }

    /// <summary>Format 2: replaces each contribution's hit reference with the full hit it names.</summary>
    private static SignalScore ResolveHitReferences(SignalScore score)
    {
        var hits = new Dictionary<(string, SignalField, int), SignalHit>();
        foreach (var hit in score.Hits) hits.TryAdd((hit.Id, hit.Field, hit.Position), hit);
        ItemList<SignalContribution> Resolve(ItemList<SignalContribution> contributions) =>
            new(contributions.Select(c => hits.TryGetValue((c.Hit.Id, c.Hit.Field, c.Hit.Position), out var hit)
                ? c with { Hit = hit }
                : throw Invalid($"The stored score explanation's contribution '{c.Id}' names hit '{c.Hit.Id}' at {c.Hit.Field} " +
                                $"position {c.Hit.Position}, which it does not list.", null)));
        return score with { Categories = Resolve(score.Categories), Phrases = Resolve(score.Phrases) };
    }

    private static void Write(Utf8JsonWriter w, SignalScore s)
    {
        w.WriteStartObject();
        w.WriteNumber(Names.Format, CurrentFormat);
        WriteText(w, Names.CatalogVersion, s.CatalogVersion);
        if (s.OfferId is { } offerId) w.WriteNumber(Names.OfferId, offerId);
        WriteIfNotNull(w, Names.ProviderOfferId, s.ProviderOfferId);
        WriteIfNotNull(w, Names.Title, s.Title);
        w.WriteNumber(Names.Score, s.Score);
        w.WriteBoolean(Names.Strong, s.Strong);
        w.WriteNumber(Names.Raw, s.Raw);
        w.WriteNumber(Names.RawBeforeGuard, s.RawBeforeGuard);
        WriteCatalogText(w, Names.TopCategory, s.TopCategory);
        WriteCatalogText(w, Names.TopCategoryName, s.TopCategoryName);
        w.WriteBoolean(Names.FxCore, s.FxCore);
        w.WriteBoolean(Names.GuardApplied, s.GuardApplied);
        w.WriteNumber(Names.GuardCap, s.GuardCap);
        w.WriteNumber(Names.CategoryPoints, s.CategoryPoints);
        w.WriteNumber(Names.PhrasePoints, s.PhrasePoints);
        w.WriteNumber(Names.SynergyPoints, s.SynergyPoints);
        if (s.SynergyUncapped is { } synergyUncapped) w.WriteNumber(Names.SynergyUncapped, synergyUncapped);
        if (s.SynergyMax is { } synergyMax) w.WriteNumber(Names.SynergyMax, synergyMax);
        if (s.FxCoreThreshold is { } fxCoreThreshold) w.WriteNumber(Names.FxCoreThreshold, fxCoreThreshold);
        if (s.MaxScore is { } maxScore) w.WriteNumber(Names.MaxScore, maxScore);

        WriteObjects(w, Names.Buckets, s.Buckets, WriteBucket);
        WriteObjects(w, Names.Categories, s.Categories, WriteContribution);
        WriteObjects(w, Names.Phrases, s.Phrases, WriteContribution);
        WriteObjects(w, Names.Synergy, s.Synergy, WriteSynergy);
        WriteObjects(w, Names.Hits, s.Hits, WriteHit);
        WriteObjects(w, Names.NegatedHits, s.NegatedHits, WriteHit);
        WriteObjects(w, Names.ExcludedHits, s.ExcludedHits, WriteHit);
        w.WriteEndObject();
    }

    /// <summary>An array property whose items are objects, each written by <paramref name="writeFields"/>.</summary>
    private static void WriteObjects<T>(Utf8JsonWriter w, JsonEncodedText name, IReadOnlyList<T> items, Action<Utf8JsonWriter, T> writeFields)
    {
        w.WriteStartArray(name);
        foreach (var item in items)
        {
            w.WriteStartObject();
            writeFields(w, item);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteBucket(Utf8JsonWriter w, BucketScore b)
    {
        WriteText(w, Names.Bucket, b.Bucket);
        w.WriteNumber(Names.Uncapped, b.Uncapped);
        w.WriteNumber(Names.Cap, b.Cap);
        w.WriteNumber(Names.Capped, b.Capped);
    }

    private static void WriteSynergy(Utf8JsonWriter w, SynergyPart p)
    {
        WriteText(w, Names.Bucket, p.Bucket);
        w.WriteNumber(Names.Threshold, p.Threshold);
        w.WriteNumber(Names.Amount, p.Amount);
        w.WriteNumber(Names.BucketPoints, p.BucketPoints);
        w.WriteBoolean(Names.Applied, p.Applied);
        WriteCatalogText(w, Names.Reason, p.Reason);
    }

    // Format 2: the winning hit is a reference to its entry in "hits".
    private static void WriteContribution(Utf8JsonWriter w, SignalContribution c)
    {
        w.WriteString(Names.Kind, KindName(c.Kind));
        WriteText(w, Names.Id, c.Id);
        WriteText(w, Names.Name, c.Name);
        WriteCatalogText(w, Names.Bucket, c.Bucket);
        w.WriteNumber(Names.Tier, c.Tier);
        w.WriteNumber(Names.TierWeight, c.TierWeight);
        w.WriteNumber(Names.FieldWeight, c.FieldWeight);
        w.WriteNumber(Names.Points, c.Points);
        w.WriteNumber(Names.HitCount, c.HitCount);
        w.WriteStartObject(Names.Hit);
        WriteText(w, Names.Id, c.Hit.Id);
        w.WriteString(Names.Field, FieldName(c.Hit.Field));
        w.WriteNumber(Names.Position, c.Hit.Position);
        w.WriteEndObject();
    }

    private static void WriteHit(Utf8JsonWriter w, SignalHit h)
    {
        w.WriteString(Names.Kind, KindName(h.Kind));
        WriteText(w, Names.Id, h.Id);
        WriteCatalogText(w, Names.CategoryId, h.CategoryId);
        WriteText(w, Names.Term, h.Term);
        WriteText(w, Names.Alias, h.Alias);
        w.WriteString(Names.Field, FieldName(h.Field));
        w.WriteNumber(Names.Position, h.Position);
        w.WriteNumber(Names.TokenCount, h.TokenCount);
        w.WriteNumber(Names.Offset, h.Offset);
        w.WriteNumber(Names.Length, h.Length);
        w.WriteString(Names.Text, h.Text);
        w.WriteString(Names.Evidence, h.Evidence);
        if (h.Negated) w.WriteBoolean(Names.Negated, true);
        WriteIfNotNull(w, Names.NegationCue, h.NegationCue);
        if (h.NegationDistance is { } distance) w.WriteNumber(Names.NegationDistance, distance);
        if (h.Excluded) w.WriteBoolean(Names.Excluded, true);
        WriteIfNotNull(w, Names.ExclusionReason, h.ExclusionReason);
    }

    private static void WriteIfNotNull(Utf8JsonWriter w, JsonEncodedText name, string? value)
    {
        if (value is not null) w.WriteString(name, value);
    }

    private static void WriteCatalogText(Utf8JsonWriter w, JsonEncodedText name, string? value)
    {
        if (value is not null) w.WriteString(name, CatalogText.Encoded(value));
    }

    /// <summary>Catalog text that is always written: null (an explanation read back with one) as JSON null.</summary>
    private static void WriteText(Utf8JsonWriter w, JsonEncodedText name, string? value)
    {
        if (value is null) w.WriteNull(name);
        else w.WriteString(name, CatalogText.Encoded(value));
    }

    /// <summary>
    /// The catalog's text (ids, names, aliases, buckets) comes back in every explanation as the same string instances:
    /// encoded once per thread and instance, so the writer copies bytes instead of checking and transcoding the same
    /// text at every offer. Other text (a deserialized explanation's) is simply encoded each time.
    /// </summary>
    private static class CatalogText
    {
        private const int Slots = 1024;
        [ThreadStatic] private static string?[]? t_texts;
        [ThreadStatic] private static JsonEncodedText[]? t_encoded;

        public static JsonEncodedText Encoded(string text)
        {
            var texts = t_texts ??= new string?[Slots];
            var encoded = t_encoded ??= new JsonEncodedText[Slots];
            var slot = (int)(TokenHash.Of(text) & (Slots - 1));
            if (ReferenceEquals(texts[slot], text)) return encoded[slot];
            var value = JsonEncodedText.Encode(text, s_writerOptions.Encoder);
            texts[slot] = text;
            encoded[slot] = value;
            return value;
        }
    }

    // Property names and enum values encoded once: the writer then neither transcodes them nor checks them for
    // escaping at every offer.
    private static class Names
    {
        public static readonly JsonEncodedText Alias = JsonEncodedText.Encode("alias");
        public static readonly JsonEncodedText Amount = JsonEncodedText.Encode("amount");
        public static readonly JsonEncodedText Applied = JsonEncodedText.Encode("applied");
        public static readonly JsonEncodedText Bucket = JsonEncodedText.Encode("bucket");
        public static readonly JsonEncodedText BucketPoints = JsonEncodedText.Encode("bucketPoints");
        public static readonly JsonEncodedText Buckets = JsonEncodedText.Encode("buckets");
        public static readonly JsonEncodedText Cap = JsonEncodedText.Encode("cap");
        public static readonly JsonEncodedText Capped = JsonEncodedText.Encode("capped");
        public static readonly JsonEncodedText CatalogVersion = JsonEncodedText.Encode("catalogVersion");
        public static readonly JsonEncodedText Categories = JsonEncodedText.Encode("categories");
        public static readonly JsonEncodedText CategoryId = JsonEncodedText.Encode("categoryId");
        public static readonly JsonEncodedText CategoryPoints = JsonEncodedText.Encode("categoryPoints");
        public static readonly JsonEncodedText Evidence = JsonEncodedText.Encode("evidence");
        public static readonly JsonEncodedText Excluded = JsonEncodedText.Encode("excluded");
        public static readonly JsonEncodedText ExcludedHits = JsonEncodedText.Encode("excludedHits");
        public static readonly JsonEncodedText ExclusionReason = JsonEncodedText.Encode("exclusionReason");
        public static readonly JsonEncodedText Field = JsonEncodedText.Encode("field");
        public static readonly JsonEncodedText FieldWeight = JsonEncodedText.Encode("fieldWeight");
        public static readonly JsonEncodedText Format = JsonEncodedText.Encode("format");
        public static readonly JsonEncodedText FxCore = JsonEncodedText.Encode("fxCore");
        public static readonly JsonEncodedText FxCoreThreshold = JsonEncodedText.Encode("fxCoreThreshold");
        public static readonly JsonEncodedText GuardApplied = JsonEncodedText.Encode("guardApplied");
        public static readonly JsonEncodedText GuardCap = JsonEncodedText.Encode("guardCap");
        public static readonly JsonEncodedText Hit = JsonEncodedText.Encode("hit");
        public static readonly JsonEncodedText HitCount = JsonEncodedText.Encode("hitCount");
        public static readonly JsonEncodedText Hits = JsonEncodedText.Encode("hits");
        public static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
        public static readonly JsonEncodedText Kind = JsonEncodedText.Encode("kind");
        public static readonly JsonEncodedText Length = JsonEncodedText.Encode("length");
        public static readonly JsonEncodedText MaxScore = JsonEncodedText.Encode("maxScore");
        public static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
        public static readonly JsonEncodedText Negated = JsonEncodedText.Encode("negated");
        public static readonly JsonEncodedText NegatedHits = JsonEncodedText.Encode("negatedHits");
        public static readonly JsonEncodedText NegationCue = JsonEncodedText.Encode("negationCue");
        public static readonly JsonEncodedText NegationDistance = JsonEncodedText.Encode("negationDistance");
        public static readonly JsonEncodedText OfferId = JsonEncodedText.Encode("offerId");
        public static readonly JsonEncodedText ProviderOfferId = JsonEncodedText.Encode("providerOfferId");
        public static readonly JsonEncodedText Offset = JsonEncodedText.Encode("offset");
        public static readonly JsonEncodedText PhrasePoints = JsonEncodedText.Encode("phrasePoints");
        public static readonly JsonEncodedText Phrases = JsonEncodedText.Encode("phrases");
        public static readonly JsonEncodedText Points = JsonEncodedText.Encode("points");
        public static readonly JsonEncodedText Position = JsonEncodedText.Encode("position");
        public static readonly JsonEncodedText Raw = JsonEncodedText.Encode("raw");
        public static readonly JsonEncodedText RawBeforeGuard = JsonEncodedText.Encode("rawBeforeGuard");
        public static readonly JsonEncodedText Reason = JsonEncodedText.Encode("reason");
        public static readonly JsonEncodedText Score = JsonEncodedText.Encode("score");
        public static readonly JsonEncodedText Strong = JsonEncodedText.Encode("strong");
        public static readonly JsonEncodedText Synergy = JsonEncodedText.Encode("synergy");
        public static readonly JsonEncodedText SynergyMax = JsonEncodedText.Encode("synergyMax");
        public static readonly JsonEncodedText SynergyPoints = JsonEncodedText.Encode("synergyPoints");
        public static readonly JsonEncodedText SynergyUncapped = JsonEncodedText.Encode("synergyUncapped");
        public static readonly JsonEncodedText Term = JsonEncodedText.Encode("term");
        public static readonly JsonEncodedText Text = JsonEncodedText.Encode("text");
        public static readonly JsonEncodedText Threshold = JsonEncodedText.Encode("threshold");
        public static readonly JsonEncodedText Tier = JsonEncodedText.Encode("tier");
        public static readonly JsonEncodedText TierWeight = JsonEncodedText.Encode("tierWeight");
        public static readonly JsonEncodedText Title = JsonEncodedText.Encode("title");
        public static readonly JsonEncodedText TokenCount = JsonEncodedText.Encode("tokenCount");
        public static readonly JsonEncodedText TopCategory = JsonEncodedText.Encode("topCategory");
        public static readonly JsonEncodedText TopCategoryName = JsonEncodedText.Encode("topCategoryName");
        public static readonly JsonEncodedText Uncapped = JsonEncodedText.Encode("uncapped");
    }

    private static class Values
    {
        public static readonly JsonEncodedText Keyword = JsonEncodedText.Encode("keyword");
        public static readonly JsonEncodedText Phrase = JsonEncodedText.Encode("phrase");
        public static readonly JsonEncodedText Title = JsonEncodedText.Encode("title");
        public static readonly JsonEncodedText Description = JsonEncodedText.Encode("description");
        public static readonly JsonEncodedText Requirements = JsonEncodedText.Encode("requirements");
    }

    private static JsonEncodedText KindName(SignalTermKind kind) => kind switch
    {
        SignalTermKind.Keyword => Values.Keyword,
        SignalTermKind.Phrase => Values.Phrase,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static JsonEncodedText FieldName(SignalField field) => field switch
    {
        SignalField.Title => Values.Title,
        SignalField.Description => Values.Description,
        SignalField.Requirements => Values.Requirements,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    private static JobSignalException Invalid(string message, Exception? inner) =>
        new(InvalidErrorId, FailureKind.InvalidData, message, null,
            "Re-score the offer with Update-OfferScore, or update the JobSignal module.", inner);
}

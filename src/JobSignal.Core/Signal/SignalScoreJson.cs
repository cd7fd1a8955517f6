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
    internal static byte[] SerializeToUtf8(SignalScore score) => Utf8(score).ToArray();

    // Ingestion serializes one explanation per offer on every core: written by hand into a per-thread buffer, without
    // reflection or intermediate strings. The span is valid until the thread's next call.
    private static ReadOnlySpan<byte> Utf8(SignalScore score)
    {
        ArgumentNullException.ThrowIfNull(score);
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(8192);
        buffer.Clear();
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
        IReadOnlyList<SignalContribution> Resolve(IReadOnlyList<SignalContribution> contributions) =>
            contributions.Select(c => hits.TryGetValue((c.Hit.Id, c.Hit.Field, c.Hit.Position), out var hit)
                ? c with { Hit = hit }
                : throw Invalid($"The stored score explanation's contribution '{c.Id}' names hit '{c.Hit.Id}' at {c.Hit.Field} " +
                                $"position {c.Hit.Position}, which it does not list.", null)).ToList();
        return score with { Categories = Resolve(score.Categories), Phrases = Resolve(score.Phrases) };
    }

    private static void Write(Utf8JsonWriter w, SignalScore s)
    {
        w.WriteStartObject();
        w.WriteNumber("format", CurrentFormat);
        w.WriteString("catalogVersion", s.CatalogVersion);
        WriteIfNotNull(w, "offerId", s.OfferId);
        WriteIfNotNull(w, "title", s.Title);
        w.WriteNumber("score", s.Score);
        w.WriteBoolean("strong", s.Strong);
        w.WriteNumber("raw", s.Raw);
        w.WriteNumber("rawBeforeGuard", s.RawBeforeGuard);
        WriteIfNotNull(w, "topCategory", s.TopCategory);
        WriteIfNotNull(w, "topCategoryName", s.TopCategoryName);
        w.WriteBoolean("fxCore", s.FxCore);
        w.WriteBoolean("guardApplied", s.GuardApplied);
        w.WriteNumber("guardCap", s.GuardCap);
        w.WriteNumber("categoryPoints", s.CategoryPoints);
        w.WriteNumber("phrasePoints", s.PhrasePoints);
        w.WriteNumber("synergyPoints", s.SynergyPoints);

        w.WriteStartArray("buckets");
        foreach (var b in s.Buckets)
        {
            w.WriteStartObject();
            w.WriteString("bucket", b.Bucket);
            w.WriteNumber("uncapped", b.Uncapped);
            w.WriteNumber("cap", b.Cap);
            w.WriteNumber("capped", b.Capped);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        WriteContributions(w, "categories", s.Categories);
        WriteContributions(w, "phrases", s.Phrases);
        w.WriteStartArray("synergy");
        foreach (var p in s.Synergy)
        {
            w.WriteStartObject();
            w.WriteString("bucket", p.Bucket);
            w.WriteNumber("threshold", p.Threshold);
            w.WriteNumber("amount", p.Amount);
            w.WriteNumber("bucketPoints", p.BucketPoints);
            w.WriteBoolean("applied", p.Applied);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        WriteHits(w, "hits", s.Hits);
        WriteHits(w, "negatedHits", s.NegatedHits);
        WriteHits(w, "excludedHits", s.ExcludedHits);
        w.WriteEndObject();
    }

    private static void WriteContributions(Utf8JsonWriter w, string name, IReadOnlyList<SignalContribution> contributions)
    {
        w.WriteStartArray(name);
        foreach (var c in contributions)
        {
            w.WriteStartObject();
            w.WriteString("kind", KindName(c.Kind));
            w.WriteString("id", c.Id);
            w.WriteString("name", c.Name);
            WriteIfNotNull(w, "bucket", c.Bucket);
            w.WriteNumber("tier", c.Tier);
            w.WriteNumber("tierWeight", c.TierWeight);
            w.WriteNumber("fieldWeight", c.FieldWeight);
            w.WriteNumber("points", c.Points);
            w.WriteNumber("hitCount", c.HitCount);
            w.WriteStartObject("hit");
            w.WriteString("id", c.Hit.Id);
            w.WriteString("field", FieldName(c.Hit.Field));
            w.WriteNumber("position", c.Hit.Position);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteHits(Utf8JsonWriter w, string name, IReadOnlyList<SignalHit> hits)
    {
        w.WriteStartArray(name);
        foreach (var h in hits)
        {
            w.WriteStartObject();
            w.WriteString("kind", KindName(h.Kind));
            w.WriteString("id", h.Id);
            WriteIfNotNull(w, "categoryId", h.CategoryId);
            w.WriteString("term", h.Term);
            w.WriteString("alias", h.Alias);
            w.WriteString("field", FieldName(h.Field));
            w.WriteNumber("position", h.Position);
            w.WriteNumber("tokenCount", h.TokenCount);
            w.WriteNumber("offset", h.Offset);
            w.WriteNumber("length", h.Length);
            w.WriteString("text", h.Text);
            w.WriteString("evidence", h.Evidence);
            if (h.Negated) w.WriteBoolean("negated", true);
            WriteIfNotNull(w, "negationCue", h.NegationCue);
            if (h.NegationDistance is { } distance) w.WriteNumber("negationDistance", distance);
            if (h.Excluded) w.WriteBoolean("excluded", true);
            WriteIfNotNull(w, "exclusionReason", h.ExclusionReason);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteIfNotNull(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null) w.WriteString(name, value);
    }

    private static string KindName(SignalTermKind kind) => kind switch
    {
        SignalTermKind.Keyword => "keyword",
        SignalTermKind.Phrase => "phrase",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static string FieldName(SignalField field) => field switch
    {
        SignalField.Title => "title",
        SignalField.Description => "description",
        SignalField.Requirements => "requirements",
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    private static JobSignalException Invalid(string message, Exception? inner) =>
        new(InvalidErrorId, FailureKind.InvalidData, message, null,
            "Re-score the offer with Update-OfferScore, or update the JobSignal module.", inner);
}

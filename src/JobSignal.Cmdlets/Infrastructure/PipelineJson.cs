using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Text.Json;

namespace JobSignal.Cmdlets.Infrastructure;

/// <summary>
/// Writes a pipeline object (what ConvertFrom-Json made of a JSON document, or a hashtable) back as JSON, so that a
/// reader of the JSON itself can read it: an InfoJobs payload piped in is mapped exactly as Get-InfojobsOffer maps the
/// same payload from a file. Names are written in InfoJobs' camel case (Title or TITLE as title, MinRequirements as
/// minRequirements), as PowerShell reads property names in any case.
/// </summary>
internal static class PipelineJson
{
    // Deeper than any payload; what goes deeper (a hand-built object that holds itself) is cut off as null.
    private const int MaxDepth = 32;

    public static JsonDocument ToDocument(object? value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
            Write(json, value, 0);
        return JsonDocument.Parse(buffer.WrittenMemory);
    }

    private static string CamelCase(string name) =>
        name.Length == 0 || char.IsLower(name[0]) ? name
        : name.All(c => !char.IsLower(c)) ? name.ToLowerInvariant()
        : char.ToLowerInvariant(name[0]) + name[1..];

    private static void Write(Utf8JsonWriter json, object? value, int depth)
    {
        value = OfferInput.Unwrap(value);
        if (depth > MaxDepth)
        {
            json.WriteNullValue();
            return;
        }
        switch (value)
        {
            case null or DBNull:
                json.WriteNullValue();
                break;
            case string text:
                json.WriteStringValue(text);
                break;
            case char character:
                json.WriteStringValue(character.ToString());
                break;
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            // ConvertFrom-Json turns ISO-8601 text into dates: written back as ISO-8601, with the offset it knows.
            case DateTime date:
                json.WriteStringValue(date.ToString("o", CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset moment:
                json.WriteStringValue(moment.ToString("o", CultureInfo.InvariantCulture));
                break;
            case byte or sbyte or short or ushort or int or uint or long:
                json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong or float or double or decimal or System.Numerics.BigInteger:
                json.WriteRawValue(Convert.ToString(value, CultureInfo.InvariantCulture)!);
                break;
            case IDictionary dictionary:
                json.WriteStartObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    json.WritePropertyName(CamelCase(entry.Key?.ToString() ?? ""));
                    Write(json, entry.Value, depth + 1);
                }
                json.WriteEndObject();
                break;
            case PSObject custom:
                json.WriteStartObject();
                foreach (var property in custom.Properties)
                {
                    json.WritePropertyName(CamelCase(property.Name));
                    Write(json, property.Value, depth + 1);
                }
                json.WriteEndObject();
                break;
            case IEnumerable items:
                json.WriteStartArray();
                foreach (var item in items) Write(json, item, depth + 1);
                json.WriteEndArray();
                break;
            default:
                json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}

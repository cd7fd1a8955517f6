using System.Text.Json;
using JobSignal.Core.Common;
using JobSignal.Core.Domain;

namespace JobSignal.Core.Infojobs;

/// <summary>
/// One replayed payload: its offer, or why it could not be read. <paramref name="Line"/> is 1-based: the JSON Lines
/// line, or where a document is malformed; null for payloads of a well-formed document.
/// </summary>
public sealed record ReplayRecord(string File, int? Line, Offer? Offer, JsonElement? Payload, JobSignalException? Error);

/// <summary>
/// Reads saved InfoJobs payloads back into offers: a file or a folder (searched recursively, files in ordinal
/// path order). <c>.jsonl</c>/<c>.ndjson</c> files are JSON Lines, one payload per line (what
/// <see cref="PayloadArchive"/> writes); other files (<c>.json</c>) hold one JSON document. A line or document may
/// be a detail answer, a list answer (its <c>offers</c>/<c>items</c>) or an array of details. A malformed line is
/// reported with its file and line number and the rest of the file is still read.
/// </summary>
public static class PayloadReplay
{
    private static readonly string[] JsonLinesExtensions = { ".jsonl", ".ndjson" };
    private static readonly string[] ReplayableExtensions = { ".json", ".jsonl", ".ndjson" };

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    public static IEnumerable<ReplayRecord> Read(string path, CancellationToken cancellationToken = default)
    {
        if (File.Exists(path)) return ReadFile(path, cancellationToken);
        if (Directory.Exists(path))
            return Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .Where(f => ReplayableExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .SelectMany(f => ReadFile(f, cancellationToken));
        return new[]
        {
            new ReplayRecord(path, null, null, null, new JobSignalException(InfojobsErrors.PayloadPathNotFound,
                FailureKind.ObjectNotFound, $"No file or folder at '{path}'.", path)),
        };
    }

    public static IEnumerable<ReplayRecord> ReadFile(string file, CancellationToken cancellationToken = default) =>
        JsonLinesExtensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase)
            ? ReadJsonLines(file, cancellationToken)
            : ReadDocument(file);

    /// <summary>The offer payloads in one JSON value: a list answer's array, an array's elements, or the value itself.</summary>
    public static IEnumerable<JsonElement> Payloads(JsonElement root)
    {
        if (InfojobsListPage.TryGetOfferArray(root, out var offers)) return offers.EnumerateArray();
        if (root.ValueKind == JsonValueKind.Array) return root.EnumerateArray();
        return new[] { root };
    }

    private static IEnumerable<ReplayRecord> ReadJsonLines(string file, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(file, detectEncodingFromByteOrderMarks: true);
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            cancellationToken.ThrowIfCancellationRequested();
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            foreach (var record in ReadValue(line, file, lineNumber)) yield return record;
        }
    }

    private static IEnumerable<ReplayRecord> ReadDocument(string file) => ReadValue(File.ReadAllText(file), file, null);

    private static IEnumerable<ReplayRecord> ReadValue(string json, string file, int? lineNumber)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(json, DocumentOptions); }
        catch (JsonException ex)
        {
            // A document's own line number is the useful one; a JSON Lines line is one line.
            var line = lineNumber ?? (int)(ex.LineNumber ?? 0) + 1;
            return new[] { Invalid(file, line, $"not valid JSON: {ReaderMessage(ex)}") };
        }
        using (document)
        {
            return Payloads(document.RootElement).Select(p => MapPayload(p.Clone(), file, lineNumber)).ToList();
        }
    }

    private static ReplayRecord MapPayload(JsonElement payload, string file, int? lineNumber)
    {
        try { return new ReplayRecord(file, lineNumber, InfojobsOfferMapper.Map(payload), payload, null); }
        catch (FormatException ex) { return Invalid(file, lineNumber, ex.Message); }
    }

    private static ReplayRecord Invalid(string file, int? line, string reason)
    {
        var where = line is { } l ? $"{file}, line {l}" : file;
        return new ReplayRecord(file, line, null, null, new JobSignalException(InfojobsErrors.PayloadInvalid,
            FailureKind.InvalidData, $"Unreadable InfoJobs payload in {where}: {reason}", where,
            "Fix or remove that line; the other payloads were read."));
    }

    /// <summary>The reader's message without its 0-based position suffix (the caller names the line).</summary>
    private static string ReaderMessage(JsonException ex)
    {
        var message = ex.Message;
        var position = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (position > 0 ? message[..position] : message).TrimEnd('.', ' ')
            + (ex.BytePositionInLine is { } column ? $" (at character {column + 1})" : "");
    }
}

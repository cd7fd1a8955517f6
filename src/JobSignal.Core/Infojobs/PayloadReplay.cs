using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using JobSignal.Core.Common;
using JobSignal.Core.Domain;

namespace JobSignal.Core.Infojobs;

/// <summary>
/// One replayed payload: its offer, or why it could not be read. <paramref name="Line"/> is 1-based: the JSON Lines
/// line, or where a document is malformed; null for payloads of a well-formed document.
/// </summary>
public sealed record ReplayRecord(string File, int? Line, Offer? Offer, JobSignalException? Error);

/// <summary>
/// Reads saved InfoJobs payloads back into offers: a file or a folder (searched recursively, files in ordinal
/// path order). <c>.jsonl</c>/<c>.ndjson</c> files are JSON Lines, one payload per line (what
/// <see cref="PayloadArchive"/> writes); other files (<c>.json</c>) hold one JSON document. A line or document may
/// be a detail answer, a list answer (its <c>offers</c>/<c>items</c>) or an array of details. A malformed line is
/// reported with its file and line number and the rest of the file is still read. JSON Lines are parsed straight
/// from the file's UTF-8 bytes, one small document per line, never decoded into a string first.
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

    /// <summary>The extensions a folder's files are replayed by (a file named directly is read whatever its extension).</summary>
    public static IReadOnlyList<string> FolderExtensions => ReplayableExtensions;

    /// <summary>The files of a folder, and of its subfolders, that replay reads (unordered).</summary>
    public static IEnumerable<string> ReplayableFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => ReplayableExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase));

    public static IEnumerable<ReplayRecord> Read(string path, CancellationToken cancellationToken = default)
    {
        if (File.Exists(path)) return ReadFile(path, cancellationToken);
        if (Directory.Exists(path))
            return ReplayableFiles(path).Order(StringComparer.Ordinal).SelectMany(f => ReadFile(f, cancellationToken));
        return new[]
        {
            new ReplayRecord(path, null, null, new JobSignalException(InfojobsErrors.PayloadPathNotFound,
                FailureKind.ObjectNotFound, $"No file or folder at '{path}'.", path)),
        };
    }

    /// <summary>
    /// <see cref="Read"/> with the reading, parsing and mapping done on a worker thread, handed over in batches of
    /// <paramref name="batchSize"/> records, at most <paramref name="batches"/> batches ahead: the caller's thread only
    /// takes finished records, in the same order, and meanwhile does its own work with them (a PowerShell pipeline
    /// thread writing them downstream). An exception of the reader is thrown to the caller where it happened, after
    /// the records read before it. Stopping the enumeration early (or cancelling) stops the worker; the file is
    /// closed when the enumeration ends.
    /// </summary>
    public static IEnumerable<ReplayRecord> ReadAhead(string path, int batchSize, int batches, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batches, 1);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Batches, not records: one hand-over between the threads per batch keeps the hand-over cost out of the way.
        using var ready = new BlockingCollection<List<ReplayRecord>>(batches);
        ExceptionDispatchInfo? failure = null;
        var worker = Task.Factory.StartNew(() =>
        {
            var batch = new List<ReplayRecord>(batchSize);
            try
            {
                foreach (var record in Read(path, stop.Token))
                {
                    batch.Add(record);
                    if (batch.Count < batchSize) continue;
                    ready.Add(batch, stop.Token);
                    batch = new List<ReplayRecord>(batchSize);
                }
                if (batch.Count > 0) ready.Add(batch, stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
            catch (Exception ex)
            {
                if (batch.Count > 0) ready.Add(batch, CancellationToken.None); // what was read before the failure
                failure = ExceptionDispatchInfo.Capture(ex);
            }
            finally { ready.CompleteAdding(); }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            foreach (var batch in ready.GetConsumingEnumerable(cancellationToken))
                foreach (var record in batch) yield return record;
            failure?.Throw();
        }
        finally
        {
            stop.Cancel();
            worker.Wait(CancellationToken.None);
        }
    }

    public static IEnumerable<ReplayRecord> ReadFile(string file, CancellationToken cancellationToken = default)
    {
        if (JsonLinesExtensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase))
            return ReadJsonLines(file, cancellationToken);
        var document = ReadDocument(file);
        // A file named otherwise (.txt, .log) that holds JSON Lines is not one document, but its first line is a whole
        // value: read it line by line. A .json file is one document, whatever its first line is.
        return document is [{ Error: not null }] && !Path.GetExtension(file).Equals(".json", StringComparison.OrdinalIgnoreCase)
               && FirstLineIsWholeValue(file)
            ? ReadJsonLines(file, cancellationToken)
            : document;
    }

    private static bool FirstLineIsWholeValue(string file)
    {
        using var lines = new Utf8LineReader(file);
        while (lines.TryReadLine(out var line))
        {
            if (IsBlank(line.Span)) continue;
            if (Parse(line, file, lines.LineNumber, out var document) is not null) return false;
            document!.Dispose();
            return true;
        }
        return false;
    }

    /// <summary>The offer payloads in one JSON value: a list answer's array, an array's elements, or the value itself.</summary>
    public static IEnumerable<JsonElement> Payloads(JsonElement root)
    {
        if (InfojobsListPage.TryGetOfferArray(root, out var offers)) return offers.EnumerateArray();
        if (root.ValueKind == JsonValueKind.Array) return root.EnumerateArray();
        return new[] { root };
    }

    private static IEnumerable<ReplayRecord> ReadJsonLines(string file, CancellationToken cancellationToken)
    {
        using var lines = new Utf8LineReader(file);
        while (lines.TryReadLine(out var line))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (IsBlank(line.Span)) continue;
            // The document reads the line in place: it is mapped (and disposed) before the next line is read.
            if (Parse(line, file, lines.LineNumber, out var document) is { } invalid)
            {
                yield return invalid;
                continue;
            }
            using (document)
            {
                foreach (var record in MapAll(document!.RootElement, file, lines.LineNumber)) yield return record;
            }
        }
    }

    private static IReadOnlyList<ReplayRecord> ReadDocument(string file)
    {
        JsonDocument document;
        using (var stream = Utf8LineReader.OpenAsUtf8(file))
        {
            try { document = JsonDocument.Parse(stream, DocumentOptions); }
            catch (JsonException ex) { return new[] { NotJson(file, null, ex) }; }
        }
        using (document) return MapAll(document.RootElement, file, null).ToList();
    }

    /// <summary>Parses one JSON Lines line; on failure, the record that reports it (and no document).</summary>
    private static ReplayRecord? Parse(ReadOnlyMemory<byte> json, string file, int lineNumber, out JsonDocument? document)
    {
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
            return null;
        }
        catch (JsonException ex)
        {
            document = null;
            return NotJson(file, lineNumber, ex);
        }
    }

    /// <summary>A JSON Lines line is one line; a document's own line number is the useful one.</summary>
    private static ReplayRecord NotJson(string file, int? lineNumber, JsonException ex) =>
        Invalid(file, lineNumber ?? (int)(ex.LineNumber ?? 0) + 1, $"not valid JSON: {ReaderMessage(ex)}");

    /// <summary>
    /// The offers of one JSON value: the value itself (the usual line: one detail payload), or each offer of an array or
    /// of a list answer, named by its place when it cannot be read.
    /// </summary>
    private static IEnumerable<ReplayRecord> MapAll(JsonElement root, string file, int? lineNumber)
    {
        if (root.ValueKind != JsonValueKind.Array && !InfojobsListPage.TryGetOfferArray(root, out _))
        {
            yield return MapPayload(root, file, lineNumber);
            yield break;
        }
        var place = 0;
        foreach (var payload in Payloads(root)) yield return MapPayload(payload, file, lineNumber, ++place);
    }

    /// <param name="element">The payload's place (from 1) in an array or list answer; null for a payload of its own.</param>
    private static ReplayRecord MapPayload(JsonElement payload, string file, int? lineNumber, int? element = null)
    {
        try { return new ReplayRecord(file, lineNumber, InfojobsOfferMapper.MapOffer(payload), null); }
        catch (FormatException ex) { return Invalid(file, lineNumber, element is { } e ? $"offer {e} of the array: {ex.Message}" : ex.Message); }
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.IndexOfAnyExcept(" \t\f\v"u8) < 0;

    private static ReplayRecord Invalid(string file, int? line, string reason)
    {
        var where = line is { } l ? $"{file}, line {l}" : file;
        return new ReplayRecord(file, line, null, new JobSignalException(InfojobsErrors.PayloadInvalid,
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

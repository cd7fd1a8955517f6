using System.Text.Encodings.Web;
using System.Text.Json;

namespace JobSignal.Core.Infojobs;

/// <summary>
/// Appends InfoJobs payloads to a JSON Lines file (one compact JSON object per line, UTF-8 without BOM), the format
/// <see cref="PayloadReplay"/> reads back into the same offers. A folder gets a new time-stamped file. Each line is
/// flushed as written, so a stopped fetch leaves a readable archive.
/// </summary>
public sealed class PayloadArchive : IDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        // Spanish text stays readable ("Gestión", not "Gesti\u00F3n"); the file is never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly FileStream _stream;

    /// <param name="path">
    /// A file (created, or appended to), or a folder: an existing one, or a path ending in a separator
    /// (<c>./archive/</c>), which is created.
    /// </param>
    /// <param name="now">Names the file written into a folder.</param>
    public PayloadArchive(string path, DateTimeOffset now)
    {
        FilePath = Directory.Exists(path) || Path.EndsInDirectorySeparator(path)
            ? Path.Combine(Path.GetFullPath(path), $"infojobs-{now.UtcDateTime:yyyyMMdd-HHmmss}.jsonl")
            : Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(FilePath);
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        _stream = new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.Read);
    }

    public string FilePath { get; }
    public int Count { get; private set; }

    public void Write(JsonElement payload)
    {
        using (var writer = new Utf8JsonWriter(_stream, WriterOptions)) payload.WriteTo(writer);
        _stream.WriteByte((byte)'\n');
        _stream.Flush();
        Count++;
    }

    public void Dispose() => _stream.Dispose();
}

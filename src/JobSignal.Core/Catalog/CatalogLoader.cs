using System.Text.Json;
using JobSignal.Core.Common;
using JobSignal.Core.Signal;

namespace JobSignal.Core.Catalog;

/// <summary>A catalog file as read: the model (null when the JSON itself is broken) and its structural problems.</summary>
public sealed class CatalogReadResult
{
    public string? Path { get; init; }
    public SignalCatalog? Catalog { get; init; }
    public IReadOnlyList<CatalogIssue> Issues { get; init; } = [];
}

/// <summary>Reads catalog files (SPEC 5.1): file -> JSON -> <see cref="SignalCatalog"/>.</summary>
public static class CatalogLoader
{
    private static readonly JsonDocumentOptions s_jsonOptions = new()
    {
        // Catalogs are edited by hand: tolerate comments and trailing commas.
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>
    /// Reads and validates a catalog file. Throws <see cref="CatalogException"/>: CatalogNotFound, CatalogUnreadable,
    /// or CatalogInvalid listing every problem (JSON syntax with line and position, structure, semantics).
    /// </summary>
    public static SignalCatalog Load(string path)
    {
        var read = Read(path);
        var report = CatalogValidator.Validate(read);
        if (!report.IsValid) throw CatalogException.ForInvalid(path, report.Issues);
        read.Catalog!.Warnings = new ItemList<CatalogIssue>(report.Issues.Where(i => i.Severity == CatalogIssueSeverity.Warning));
        return read.Catalog;
    }

    /// <summary>Reads a catalog file without validating its content. Throws only when the file cannot be read.</summary>
    public static CatalogReadResult Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
            throw new CatalogException(CatalogException.NotFound, FailureKind.ObjectNotFound,
                $"The catalog path '{path}' is a folder, not a catalog file.", path);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CatalogException(CatalogException.NotFound, FailureKind.ObjectNotFound,
                $"The catalog file '{path}' does not exist.", path, inner: ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException
                                       or ArgumentException)
        {
            throw new CatalogException(CatalogException.Unreadable, FailureKind.ReadError,
                $"The catalog file '{path}' cannot be read: {ex.Message}", path, inner: ex);
        }
        return Parse(json, path);
    }

    /// <summary>Parses catalog JSON text; <paramref name="path"/> only labels the result.</summary>
    public static CatalogReadResult Parse(string json, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json, s_jsonOptions);
            var (catalog, issues) = CatalogJsonReader.Read(document.RootElement);
            catalog.SourcePath = path;
            return new CatalogReadResult { Path = path, Catalog = catalog, Issues = issues };
        }
        catch (JsonException ex)
        {
            var line = (int)(ex.LineNumber ?? 0);
            var column = CharacterColumn(json, line, (int)(ex.BytePositionInLine ?? 0));
            // JsonException counts lines and positions from 0; editors count from 1.
            var issue = new CatalogIssue("$", $"invalid JSON at line {line + 1}, position {column + 1}: {FirstSentence(ex.Message)}");
            return new CatalogReadResult { Path = path, Issues = [issue] };
        }
    }

    private static string FirstSentence(string message)
    {
        // System.Text.Json appends "[Path: $ |] LineNumber: 4 | BytePositionInLine: 7." which the issue already says.
        foreach (var marker in new[] { " Path:", " LineNumber:" })
        {
            var cut = message.IndexOf(marker, StringComparison.Ordinal);
            if (cut > 0) return message[..cut];
        }
        return message;
    }

    /// <summary>System.Text.Json counts UTF-8 bytes within the line; people count characters.</summary>
    private static int CharacterColumn(string json, int line, int bytePosition)
    {
        var start = 0;
        for (var i = 0; i < line && start >= 0; i++)
        {
            start = json.IndexOf('\n', start);
            if (start >= 0) start++;
        }
        if (start < 0) return bytePosition;
        var column = 0;
        for (var bytes = 0; start + column < json.Length && bytes < bytePosition; column++)
        {
            var c = json[start + column];
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : char.IsSurrogate(c) ? 2 : 3;
        }
        return column;
    }
}

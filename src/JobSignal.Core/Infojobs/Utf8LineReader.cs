using System.Text;

namespace JobSignal.Core.Infojobs;

/// <summary>
/// Splits a text file into lines as UTF-8 bytes, without decoding them into strings: JSON Lines replay parses each
/// line straight from these bytes. Lines end at <c>\n</c>, <c>\r\n</c> or <c>\r</c> (as <see cref="StreamReader"/>
/// reads them); a byte-order mark selects the encoding, and UTF-16 or UTF-32 text is transcoded to UTF-8 first.
/// A line is valid until the next call: its bytes live in the reader's buffer, which grows for very long lines.
/// </summary>
internal sealed class Utf8LineReader : IDisposable
{
    private readonly Stream _stream;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;     // first byte not yet returned
    private int _scanned;   // bytes from _start already searched for a line end
    private int _end;       // end of the bytes read
    private bool _endOfStream;

    // No FileStream buffer: the reader reads big blocks into its own.
    public Utf8LineReader(string file) => _stream = OpenAsUtf8(file, fileBufferSize: 0);

    /// <summary>The 1-based number of the line last returned.</summary>
    public int LineNumber { get; private set; }

    /// <summary>The next line without its line end; false at the end of the file.</summary>
    public bool TryReadLine(out ReadOnlyMemory<byte> line)
    {
        while (true)
        {
            var pending = _buffer.AsSpan(_start + _scanned, _end - _start - _scanned);
            var found = pending.IndexOfAny((byte)'\n', (byte)'\r');
            if (found >= 0)
            {
                var at = _start + _scanned + found;
                // A \r as the last byte read may be the first half of \r\n: read on before deciding.
                if (_buffer[at] == (byte)'\r' && at + 1 == _end && !_endOfStream)
                {
                    _scanned = at - _start;
                    Fill();
                    continue;
                }
                line = _buffer.AsMemory(_start, at - _start);
                _start = at + (_buffer[at] == (byte)'\r' && at + 1 < _end && _buffer[at + 1] == (byte)'\n' ? 2 : 1);
                _scanned = 0;
                LineNumber++;
                return true;
            }
            _scanned = _end - _start;
            if (_endOfStream)
            {
                line = _buffer.AsMemory(_start, _end - _start);
                var any = _end > _start;
                _start = _end;
                _scanned = 0;
                if (any) LineNumber++;
                return any;
            }
            Fill();
        }
    }

    /// <summary>Moves the unreturned bytes to the front (growing the buffer when one line fills it) and reads more.</summary>
    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) _endOfStream = true;
        _end += read;
    }

    /// <summary>
    /// A text file as a stream of UTF-8 bytes, positioned after its byte-order mark; UTF-16 and UTF-32 text (told by
    /// their marks) comes back transcoded to UTF-8. Without a mark the file is read as UTF-8.
    /// </summary>
    public static Stream OpenAsUtf8(string file, int fileBufferSize = 4096)
    {
        var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, fileBufferSize, FileOptions.SequentialScan);
        try { return SkipByteOrderMark(stream); }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static Stream SkipByteOrderMark(FileStream stream)
    {
        Span<byte> head = stackalloc byte[4];
        var length = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var (encoding, markLength) = head[..length] switch
        {
            [0xEF, 0xBB, 0xBF, ..] => (null, 3),
            [0xFF, 0xFE, 0x00, 0x00] => (Encoding.UTF32, 4),
            [0x00, 0x00, 0xFE, 0xFF] => (new UTF32Encoding(bigEndian: true, byteOrderMark: true), 4),
            [0xFF, 0xFE, ..] => (Encoding.Unicode, 2),
            [0xFE, 0xFF, ..] => (Encoding.BigEndianUnicode, 2),
            _ => ((Encoding?)null, 0),
        };
        stream.Position = markLength;
        return encoding is null ? stream : Encoding.CreateTranscodingStream(stream, encoding, Encoding.UTF8);
    }

    public void Dispose() => _stream.Dispose();
}

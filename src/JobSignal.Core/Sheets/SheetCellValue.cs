using System.Globalization;

namespace JobSignal.Core.Sheets;

/// <summary>
/// A typed value the sync writes into one cell, written with valueInputOption USER_ENTERED and compared with what
/// the Sheet returns for valueRenderOption FORMULA + dateTimeRenderOption SERIAL_NUMBER.
/// Text is always sent with a leading apostrophe, so that a company name such as <c>=IMPORTXML(...)</c>,
/// <c>+34 600</c> or <c>2024-01-01</c> stays literal text (Sheets stores the text without the apostrophe).
/// </summary>
public abstract record SheetCellValue
{
    /// <summary>Sheets keeps at most 50,000 characters in a cell; longer text is cut there.</summary>
    public const int MaxTextLength = 50_000;

    private static readonly DateOnly SerialEpoch = new(1899, 12, 30);

    public static readonly SheetCellValue Empty = new EmptyValue();

    public static SheetCellValue Text(string? text) =>
        string.IsNullOrEmpty(text) ? Empty
        : new TextValue(text.Length > MaxTextLength ? text[..MaxTextLength] : text);

    public static SheetCellValue Number(double number) => new NumberValue(number);

    /// <summary>A calendar date, sent as a serial day number (days since 1899-12-30) so it sorts as a date.</summary>
    public static SheetCellValue Date(DateOnly date) => new NumberValue(date.DayNumber - SerialEpoch.DayNumber);

    /// <summary>An http(s) URL becomes a clickable <c>=HYPERLINK("url")</c>; anything else stays plain text.</summary>
    public static SheetCellValue Link(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? new FormulaValue("=HYPERLINK(\"" + url!.Replace("\"", "\"\"") + "\")")
            : Text(url);

    /// <summary>The JSON value sent to Sheets (USER_ENTERED).</summary>
    public abstract object ToUserEntered();

    /// <summary>Whether a value read back from the Sheet (string, double or bool; null for empty) equals this one.</summary>
    public abstract bool Matches(object? read);

    private sealed record EmptyValue : SheetCellValue
    {
        public override object ToUserEntered() => "";
        public override bool Matches(object? read) => read is null || read is string { Length: 0 };
    }

    private sealed record TextValue(string Value) : SheetCellValue
    {
        public override object ToUserEntered() => "'" + Value;
        public override bool Matches(object? read) => read is string s && s == Value;
    }

    private sealed record NumberValue(double Value) : SheetCellValue
    {
        // Integral numbers go out as integers so the payload reads 7, not 7.0.
        public override object ToUserEntered() =>
            Value == Math.Floor(Value) && Math.Abs(Value) < 1e15 ? (object)(long)Value : Value;

        public override bool Matches(object? read) => read switch
        {
            double d => Math.Abs(d - Value) < 1e-9,
            long l => l == Value,
            _ => false,
        };
    }

    private sealed record FormulaValue(string Formula) : SheetCellValue
    {
        public override object ToUserEntered() => Formula;
        public override bool Matches(object? read) => read is string s && s == Formula;
    }

    /// <summary>A cell read back as the text a rep would see as its key: numbers without a trailing ".0".</summary>
    public static string AsText(object? read) => read switch
    {
        null => "",
        string s => s.Trim(),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "TRUE" : "FALSE",
        _ => Convert.ToString(read, CultureInfo.InvariantCulture)?.Trim() ?? "",
    };
}

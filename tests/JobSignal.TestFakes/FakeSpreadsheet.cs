using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace JobSignal.TestFakes;

/// <summary>One spreadsheet of the fake: its tabs by title (unique regardless of case, as in Google).</summary>
public sealed class FakeSpreadsheet
{
    private readonly List<FakeSheetTab> _tabs = [];
    private readonly object _gate;

    internal FakeSpreadsheet(string id, object gate)
    {
        Id = id;
        _gate = gate;
    }

    public string Id { get; }

    public IReadOnlyList<FakeSheetTab> Tabs { get { lock (_gate) return _tabs.ToArray(); } }

    /// <summary>Adds a tab as a user would (1000 x 26 unless told, nothing frozen).</summary>
    public FakeSheetTab AddTab(string title, int? sheetId = null, int columnCount = 26)
    {
        lock (_gate)
        {
            if (FindTab(title) is not null) throw new InvalidOperationException($"Tab '{title}' already exists.");
            var tab = new FakeSheetTab(sheetId ?? NextSheetId(), title, _tabs.Count, _gate) { ColumnCount = columnCount };
            _tabs.Add(tab);
            return tab;
        }
    }

    public FakeSheetTab Tab(string title) =>
        FindTab(title) ?? throw new KeyNotFoundException($"The fake spreadsheet '{Id}' has no tab '{title}'.");

    public FakeSheetTab? FindTab(string title)
    {
        lock (_gate) return _tabs.FirstOrDefault(t => string.Equals(t.Title, title, StringComparison.OrdinalIgnoreCase));
    }

    internal FakeSheetTab? FindTab(int sheetId)
    {
        lock (_gate) return _tabs.FirstOrDefault(t => t.SheetId == sheetId);
    }

    private int NextSheetId() => _tabs.Count == 0 ? 0 : _tabs.Max(t => t.SheetId) + 1;
}

/// <summary>A data-validation rule the fake was asked to set (columns 0-based, end exclusive; null = unbounded).</summary>
public sealed record FakeValidation(int? StartRow, int? EndRow, int? StartColumn, int? EndColumn, string ConditionType,
    IReadOnlyList<string> Values, bool Strict, bool ShowCustomUi);

/// <summary>A repeatCell format request the fake received: its range and the JSON of the cell and fields.</summary>
public sealed record FakeFormat(int? StartRow, int? EndRow, int? StartColumn, int? EndColumn, string Fields, string CellJson);

/// <summary>
/// One tab: a grid of cells (text, number, boolean or formula), its size and frozen rows, and the validations and
/// formats set on it. Tests read and edit cells with A1 names (<c>tab["C5"] = "REJECTED"</c>) as a rep would.
/// </summary>
public sealed class FakeSheetTab
{
    private readonly List<List<object?>> _rows = [];
    private readonly List<FakeValidation> _validations = [];
    private readonly List<FakeFormat> _formats = [];
    private readonly object _gate;

    internal FakeSheetTab(int sheetId, string title, int index, object gate)
    {
        SheetId = sheetId;
        Title = title;
        Index = index;
        _gate = gate;
    }

    public int SheetId { get; }
    public string Title { get; }
    public int Index { get; }
    public int RowCount { get; internal set; } = 1000;
    public int ColumnCount { get; internal set; } = 26;
    public int FrozenRowCount { get; internal set; }

    public IReadOnlyList<FakeValidation> Validations { get { lock (_gate) return _validations.ToArray(); } }
    public IReadOnlyList<FakeFormat> Formats { get { lock (_gate) return _formats.ToArray(); } }

    /// <summary>
    /// A cell by A1 name: text as string, numbers as double, booleans, formulas as their text (<c>=HYPERLINK(...)</c>),
    /// empty as null. Setting a string that starts with '=' stores a formula, as typing it would.
    /// </summary>
    public object? this[string a1]
    {
        get { var (r, c) = Cell(a1); return Get(r, c); }
        set { var (r, c) = Cell(a1); Set(r, c, value is string s && s.StartsWith('=') ? new Formula(s) : Plain(value)); }
    }

    /// <summary>
    /// A value with a number format, as Google keeps what a rep types: <c>12/06/2025</c> in an es-ES Sheet is the
    /// date serial 45820 shown as "12/06/2025", <c>50%</c> is 0.5 shown as "50%". Read back as <paramref name="value"/>,
    /// except with valueRenderOption FORMATTED_VALUE, which gives <paramref name="shown"/>.
    /// </summary>
    public void SetFormatted(string a1, object value, string shown)
    {
        var (r, c) = Cell(a1);
        Set(r, c, new Formatted(Plain(value), shown));
    }

    public bool IsFormula(string a1)
    {
        var (r, c) = Cell(a1);
        lock (_gate) return Raw(r, c) is Formula;
    }

    /// <summary>The row (1-based) as shown, up to its last non-empty cell.</summary>
    public IReadOnlyList<object?> Row(int row)
    {
        lock (_gate)
        {
            if (row < 1 || row > _rows.Count) return [];
            return Trim(_rows[row - 1].Select(Show).ToList());
        }
    }

    /// <summary>Writes a row from column A as typed text/numbers (a test seeding the tab, or a rep).</summary>
    public void SetRow(int row, params object?[] values)
    {
        for (var c = 0; c < values.Length; c++)
            Set(row, c, values[c] is string s && s.StartsWith('=') ? new Formula(s) : Plain(values[c]));
    }

    /// <summary>Deletes a row as a rep would: rows below move up and the grid shrinks by one.</summary>
    public void DeleteRow(int row)
    {
        lock (_gate)
        {
            if (row <= _rows.Count) _rows.RemoveAt(row - 1);
            RowCount--;
        }
    }

    /// <summary>The number of the last row holding any value (0 when the tab is empty).</summary>
    public int LastDataRow { get { lock (_gate) return LastRowWithData(); } }

    /// <summary>Every non-empty value of a column below the header, in order (e.g. the company ids).</summary>
    public IReadOnlyList<object?> ColumnValues(string column, int fromRow = 2)
    {
        var c = ColumnIndex(column);
        lock (_gate)
            return Enumerable.Range(fromRow, Math.Max(0, _rows.Count - fromRow + 1))
                .Select(r => Get(r, c)).Where(v => v is not null).ToList();
    }

    // ----- used by the server (under the gate) -----

    internal object? Raw(int row, int column) =>
        row >= 1 && row <= _rows.Count && column < _rows[row - 1].Count ? _rows[row - 1][column] : null;

    internal object? Get(int row, int column) { lock (_gate) return Show(Raw(row, column)); }

    internal void Set(int row, int column, object? value)
    {
        lock (_gate)
        {
            while (_rows.Count < row) _rows.Add([]);
            var cells = _rows[row - 1];
            while (cells.Count <= column) cells.Add(null);
            cells[column] = value;
        }
    }

    internal int LastRowWithData()
    {
        for (var r = _rows.Count; r >= 1; r--)
            if (_rows[r - 1].Any(v => v is not null)) return r;
        return 0;
    }

    /// <summary>Inserts empty rows before <paramref name="row"/> (INSERT_ROWS): the grid grows.</summary>
    internal void InsertRows(int row, int count)
    {
        while (_rows.Count < row - 1) _rows.Add([]);
        for (var i = 0; i < count; i++) _rows.Insert(Math.Min(row - 1, _rows.Count), []);
        RowCount += count;
    }

    internal void AddValidation(FakeValidation validation) => _validations.Add(validation);
    internal void AddFormat(FakeFormat format) => _formats.Add(format);

    /// <summary>A formula as typed; read back as its text with FORMULA rendering.</summary>
    internal sealed record Formula(string Text);

    /// <summary>A value and the text its number format shows (<see cref="SetFormatted"/>).</summary>
    internal sealed record Formatted(object? Value, string Shown);

    private static object? Show(object? value) => value switch
    {
        Formula f => f.Text,
        Formatted f => f.Value,
        _ => value,
    };

    private static object? Plain(object? value) => value switch
    {
        null => null,
        string { Length: 0 } => null,
        string s => s,
        bool b => b,
        _ => Convert.ToDouble(value, CultureInfo.InvariantCulture),
    };

    private static List<object?> Trim(List<object?> cells)
    {
        while (cells.Count > 0 && cells[^1] is null) cells.RemoveAt(cells.Count - 1);
        return cells;
    }

    private static (int Row, int Column) Cell(string a1)
    {
        var m = Regex.Match(a1.Trim().ToUpperInvariant(), "^([A-Z]+)([0-9]+)$");
        if (!m.Success) throw new ArgumentException($"'{a1}' is not a cell name such as C5.", nameof(a1));
        return (int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), ColumnIndex(m.Groups[1].Value));
    }

    internal static int ColumnIndex(string letters)
    {
        var n = 0;
        foreach (var ch in letters.ToUpperInvariant()) n = n * 26 + (ch - 'A' + 1);
        return n - 1;
    }

    internal static string ColumnLetters(int index)
    {
        var s = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26) s = (char)('A' + (n - 1) % 26) + s;
        return s;
    }

    internal JsonObject PropertiesJson()
    {
        var grid = new JsonObject { ["rowCount"] = RowCount, ["columnCount"] = ColumnCount };
        if (FrozenRowCount > 0) grid["frozenRowCount"] = FrozenRowCount;
        return new JsonObject
        {
            ["sheetId"] = SheetId, ["title"] = Title, ["index"] = Index, ["sheetType"] = "GRID", ["gridProperties"] = grid,
        };
    }
}

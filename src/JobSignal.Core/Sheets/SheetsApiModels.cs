using Newtonsoft.Json;

namespace JobSignal.Core.Sheets;

// The slice of the Sheets v4 REST resources the sync uses (Google.Apis.Sheets.v4 is not available here).
// Property names are Google's JSON names; unset properties are left out of requests.

/// <summary>A spreadsheet as spreadsheets.get returns it (only the tabs' properties are asked for).</summary>
public sealed class Spreadsheet
{
    [JsonProperty("spreadsheetId")] public string? SpreadsheetId { get; set; }
    [JsonProperty("sheets")] public List<Sheet>? Sheets { get; set; }
}

public sealed class Sheet
{
    [JsonProperty("properties")] public SheetProperties? Properties { get; set; }
}

public sealed class SheetProperties
{
    [JsonProperty("sheetId")] public int? SheetId { get; set; }
    [JsonProperty("title")] public string? Title { get; set; }
    [JsonProperty("index")] public int? Index { get; set; }
    [JsonProperty("gridProperties")] public GridProperties? GridProperties { get; set; }
}

public sealed class GridProperties
{
    [JsonProperty("rowCount")] public int? RowCount { get; set; }
    [JsonProperty("columnCount")] public int? ColumnCount { get; set; }
    [JsonProperty("frozenRowCount")] public int? FrozenRowCount { get; set; }
}

/// <summary>One request of spreadsheets.batchUpdate; set exactly one property.</summary>
public sealed class SheetRequest
{
    [JsonProperty("addSheet")] public AddSheetRequest? AddSheet { get; set; }
    [JsonProperty("updateSheetProperties")] public UpdateSheetPropertiesRequest? UpdateSheetProperties { get; set; }
    [JsonProperty("setDataValidation")] public SetDataValidationRequest? SetDataValidation { get; set; }
    [JsonProperty("repeatCell")] public RepeatCellRequest? RepeatCell { get; set; }
    [JsonProperty("appendDimension")] public AppendDimensionRequest? AppendDimension { get; set; }
}

/// <summary>Adds empty rows or columns at the end of a tab.</summary>
public sealed class AppendDimensionRequest
{
    [JsonProperty("sheetId")] public int? SheetId { get; set; }
    /// <summary><c>ROWS</c> or <c>COLUMNS</c>.</summary>
    [JsonProperty("dimension")] public string? Dimension { get; set; }
    [JsonProperty("length")] public int? Length { get; set; }
}

public sealed class AddSheetRequest
{
    [JsonProperty("properties")] public SheetProperties? Properties { get; set; }
}

public sealed class UpdateSheetPropertiesRequest
{
    [JsonProperty("properties")] public SheetProperties? Properties { get; set; }
    /// <summary>The properties to change, e.g. <c>gridProperties.frozenRowCount</c>.</summary>
    [JsonProperty("fields")] public string? Fields { get; set; }
}

/// <summary>A rectangle of a tab, 0-based, end exclusive; a missing index is unbounded on that side.</summary>
public sealed class GridRange
{
    [JsonProperty("sheetId")] public int? SheetId { get; set; }
    [JsonProperty("startRowIndex")] public int? StartRowIndex { get; set; }
    [JsonProperty("endRowIndex")] public int? EndRowIndex { get; set; }
    [JsonProperty("startColumnIndex")] public int? StartColumnIndex { get; set; }
    [JsonProperty("endColumnIndex")] public int? EndColumnIndex { get; set; }
}

public sealed class SetDataValidationRequest
{
    [JsonProperty("range")] public GridRange? Range { get; set; }
    [JsonProperty("rule")] public DataValidationRule? Rule { get; set; }
}

public sealed class DataValidationRule
{
    [JsonProperty("condition")] public BooleanCondition? Condition { get; set; }
    [JsonProperty("inputMessage")] public string? InputMessage { get; set; }
    /// <summary>False: other values are allowed with a warning (reps may type in lower case).</summary>
    [JsonProperty("strict")] public bool? Strict { get; set; }
    /// <summary>True shows the list as a dropdown.</summary>
    [JsonProperty("showCustomUi")] public bool? ShowCustomUi { get; set; }
}

public sealed class BooleanCondition
{
    /// <summary>e.g. <c>ONE_OF_LIST</c>.</summary>
    [JsonProperty("type")] public string? Type { get; set; }
    [JsonProperty("values")] public List<ConditionValue>? Values { get; set; }
}

public sealed class ConditionValue
{
    [JsonProperty("userEnteredValue")] public string? UserEnteredValue { get; set; }
}

public sealed class RepeatCellRequest
{
    [JsonProperty("range")] public GridRange? Range { get; set; }
    [JsonProperty("cell")] public CellData? Cell { get; set; }
    /// <summary>The cell fields to set, e.g. <c>userEnteredFormat.numberFormat</c>.</summary>
    [JsonProperty("fields")] public string? Fields { get; set; }
}

public sealed class CellData
{
    [JsonProperty("userEnteredFormat")] public CellFormat? UserEnteredFormat { get; set; }
}

public sealed class CellFormat
{
    [JsonProperty("numberFormat")] public NumberFormat? NumberFormat { get; set; }
    [JsonProperty("textFormat")] public TextFormat? TextFormat { get; set; }
}

public sealed class NumberFormat
{
    /// <summary>e.g. <c>DATE</c>, <c>NUMBER</c>.</summary>
    [JsonProperty("type")] public string? Type { get; set; }
    [JsonProperty("pattern")] public string? Pattern { get; set; }
}

public sealed class TextFormat
{
    [JsonProperty("bold")] public bool? Bold { get; set; }
}

public sealed class BatchUpdateSpreadsheetResponse
{
    [JsonProperty("spreadsheetId")] public string? SpreadsheetId { get; set; }
    [JsonProperty("replies")] public List<SheetResponse>? Replies { get; set; }
}

/// <summary>One reply of spreadsheets.batchUpdate (empty for requests without a reply).</summary>
public sealed class SheetResponse
{
    [JsonProperty("addSheet")] public AddSheetRequest? AddSheet { get; set; }
}

public sealed class BatchUpdateValuesResponse
{
    [JsonProperty("spreadsheetId")] public string? SpreadsheetId { get; set; }
    [JsonProperty("totalUpdatedRows")] public int? TotalUpdatedRows { get; set; }
    [JsonProperty("totalUpdatedCells")] public int? TotalUpdatedCells { get; set; }
}

public sealed class AppendValuesResponse
{
    [JsonProperty("spreadsheetId")] public string? SpreadsheetId { get; set; }
    [JsonProperty("tableRange")] public string? TableRange { get; set; }
    [JsonProperty("updates")] public UpdateValuesResponse? Updates { get; set; }
}

public sealed class UpdateValuesResponse
{
    [JsonProperty("updatedRange")] public string? UpdatedRange { get; set; }
    [JsonProperty("updatedRows")] public int? UpdatedRows { get; set; }
    [JsonProperty("updatedCells")] public int? UpdatedCells { get; set; }
}

/// <summary>The wire form of a ValueRange (values.batchGet answers, values.batchUpdate / append bodies).</summary>
internal sealed class ValueRangeMessage
{
    [JsonProperty("range")] public string? Range { get; set; }
    [JsonProperty("majorDimension")] public string? MajorDimension { get; set; }
    [JsonProperty("values")] public List<List<object?>>? Values { get; set; }
}

internal sealed class BatchGetValuesMessage
{
    [JsonProperty("valueRanges")] public List<ValueRangeMessage>? ValueRanges { get; set; }
}

internal sealed class BatchUpdateValuesMessage
{
    [JsonProperty("valueInputOption")] public string? ValueInputOption { get; set; }
    [JsonProperty("data")] public List<ValueRangeMessage>? Data { get; set; }
}

internal sealed class BatchUpdateSpreadsheetMessage
{
    [JsonProperty("requests")] public List<SheetRequest>? Requests { get; set; }
}

/// <summary>Google's error body: <c>{"error": {"code": 429, "message": "...", "status": "RESOURCE_EXHAUSTED"}}</c>.</summary>
internal sealed class GoogleErrorMessage
{
    [JsonProperty("error")] public GoogleErrorDetail? Error { get; set; }
}

internal sealed class GoogleErrorDetail
{
    [JsonProperty("code")] public int? Code { get; set; }
    [JsonProperty("message")] public string? Message { get; set; }
    [JsonProperty("status")] public string? Status { get; set; }
}

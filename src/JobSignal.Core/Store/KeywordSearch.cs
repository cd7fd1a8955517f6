using System.Buffers;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace JobSignal.Core.Store;

/// <summary>
/// What <c>-Keyword</c> searches (Get-SignalOffer, Get-SignalCompany), as two SQL functions registered on every store
/// connection: <c>jobsignal_contains(text, keyword)</c> for plain text (titles, a company's evidence terms) and
/// <c>jobsignal_hits_mention(explanation_json, keyword)</c> for what a match's hits found: the catalog term, the alias
/// that matched, the text it matched and the sentence around it. Only those values of the explanation are searched,
/// never its field names, numbers or category ids ("score" or "true" would find every match), nor its negated and
/// excluded hits (evidence against the signal), even where the sentence around a counted hit holds one. Case-insensitive in every alphabet ("TESORERÍA" finds "tesorería").
/// </summary>
internal static class KeywordSearch
{
    public const string ContainsFunction = "jobsignal_contains";
    public const string HitsMentionFunction = "jobsignal_hits_mention";

    private static readonly byte[] HitsName = "hits"u8.ToArray();
    private static readonly byte[] NegatedHitsName = "negatedHits"u8.ToArray();
    private static readonly byte[] ExcludedHitsName = "excludedHits"u8.ToArray();
    private static readonly byte[] EvidenceName = "evidence"u8.ToArray();
    private static readonly byte[][] SearchedHitFields = ["term"u8.ToArray(), "alias"u8.ToArray(), "text"u8.ToArray(), "evidence"u8.ToArray()];

    /// <summary>SQL condition on an offer <c>o</c> and its match <c>m</c> (which may be missing): <c>@keyword</c> is in the title or the hits.</summary>
    public const string OfferCondition = $"({ContainsFunction}(o.title, @keyword) OR {HitsMentionFunction}(m.explanation_json, @keyword))";

    public static void Register(SqliteConnection connection)
    {
        connection.CreateFunction<string?, string?, bool>(ContainsFunction, Contains, isDeterministic: true);
        connection.CreateFunction<byte[]?, string?, bool>(HitsMentionFunction, HitsMention, isDeterministic: true);
    }

    public static bool Contains(string? text, string? keyword) =>
        text is not null && !string.IsNullOrEmpty(keyword) && text.Contains(keyword, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Whether a searched value of a counted hit in the explanation (UTF-8 JSON) contains the keyword; false for text
    /// that is not JSON. A hit's evidence is the text around it, which may hold a negated or excluded mention ("No se
    /// requiere SWIFT. Pagos en USD."): a keyword found only in evidence does not count when a negated or excluded hit
    /// is that keyword (its term, alias or text, in any letter case; "pay" is no "PayPal").
    /// </summary>
    public static bool HitsMention(byte[]? explanation, string? keyword)
    {
        if (explanation is null || string.IsNullOrEmpty(keyword)) return false;
        var reader = new Utf8JsonReader(explanation);
        char[]? rented = null;
        bool inEvidence = false, countedAgainst = false;
        try
        {
            // Only the string values of the searched fields of the objects of the top-level hit arrays.
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1) continue;
                var counted = reader.ValueTextEquals(HitsName);
                if (!counted && !reader.ValueTextEquals(NegatedHitsName) && !reader.ValueTextEquals(ExcludedHitsName)) continue;
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) return false;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 3 || !IsSearched(ref reader)) continue;
                    var evidence = reader.ValueTextEquals(EvidenceName);
                    if (!reader.Read() || reader.TokenType != JsonTokenType.String) continue;
                    // Never more UTF-16 characters than UTF-8 bytes, escaped or not.
                    var length = reader.ValueSpan.Length;
                    if (rented is null || rented.Length < length)
                    {
                        if (rented is not null) ArrayPool<char>.Shared.Return(rented);
                        rented = ArrayPool<char>.Shared.Rent(Math.Max(length, 256));
                    }
                    var value = rented.AsSpan(0, reader.CopyString(rented));
                    if (counted)
                    {
                        if (!value.Contains(keyword, StringComparison.OrdinalIgnoreCase)) continue;
                        if (!evidence) return true;
                        inEvidence = true;
                    }
                    else if (!evidence && value.Trim().Equals(keyword.AsSpan().Trim(), StringComparison.OrdinalIgnoreCase))
                    {
                        countedAgainst = true;
                    }
                }
            }
            return inEvidence && !countedAgainst;
        }
        catch (JsonException)
        {
            return false;
        }
        finally
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        }
    }

    private static bool IsSearched(ref Utf8JsonReader reader)
    {
        foreach (var name in SearchedHitFields)
            if (reader.ValueTextEquals(name)) return true;
        return false;
    }
}

using System.Text;
using System.Text.RegularExpressions;
using JobSignal.Core.Common;
using Microsoft.Data.Sqlite;

namespace JobSignal.Core.Store;

/// <summary>
/// PowerShell's wildcards as <c>-like</c> matches them, for <c>Get-SignalCompany -Name</c>: <c>*</c> any text,
/// <c>?</c> one character, <c>[abc]</c> and <c>[a-z]</c> one character of a set, a backtick making the next character
/// literal; in any letter case of every alphabet ("*JAÉN*" finds "Olivar de Jaén"). Registered on every store
/// connection as the SQL function <c>jobsignal_like(text, wildcard)</c>, so the filter stays in the query (its order
/// and LIMIT with it): SQLite's LIKE folds only ASCII letters and has no sets.
/// </summary>
internal static class WildcardMatch
{
    public const string LikeFunction = "jobsignal_like";
    public const string InvalidErrorId = "WildcardInvalid";

    public static void Register(SqliteConnection connection)
    {
        // Each row of a query brings the same wildcard: it is translated once, not per row.
        (string Wildcard, Regex Regex)? last = null;
        connection.CreateFunction<string?, string?, bool>(LikeFunction, (text, wildcard) =>
        {
            if (text is null || wildcard is null) return false;
            if (last?.Wildcard != wildcard) last = (wildcard, ToRegex(wildcard));
            return last.Value.Regex.IsMatch(text);
        }, isDeterministic: true);
    }

    /// <summary>
    /// The wildcard as an anchored regular expression. A set left open (<c>[ab</c>, <c>[]</c>) or a range running
    /// backwards (<c>[z-a]</c>) is refused with <see cref="InvalidErrorId"/>, as PowerShell refuses them.
    /// </summary>
    public static Regex ToRegex(string wildcard)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < wildcard.Length; i++)
        {
            var c = wildcard[i];
            // A last backtick escapes nothing and stands for itself.
            if (c == '`' && i + 1 < wildcard.Length) regex.Append(Regex.Escape(wildcard[++i].ToString()));
            else if (c == '*') regex.Append(".*");
            else if (c == '?') regex.Append('.');
            else if (c == '[') i = AppendSet(wildcard, i + 1, regex);
            else regex.Append(Regex.Escape(c.ToString()));
        }
        return new Regex(regex.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }

    /// <summary>
    /// Appends the set that starts at <paramref name="start"/> (after its <c>[</c>) as a character class and returns
    /// the index of its closing <c>]</c>. As in PowerShell, a <c>]</c> right after the <c>[</c> is a member, a backtick
    /// makes the next character a member, and a <c>-</c> between two members makes a range; <c>!</c> and <c>^</c>
    /// are members, never a negation.
    /// </summary>
    private static int AppendSet(string wildcard, int start, StringBuilder regex)
    {
        var members = new List<(char Char, bool IsDash)>();
        var end = start;
        for (; end < wildcard.Length; end++)
        {
            var c = wildcard[end];
            if (c == ']' && end > start) break;
            if (c == '`' && end + 1 < wildcard.Length) members.Add((wildcard[++end], false));
            else members.Add((c, c == '-'));
        }
        if (end == wildcard.Length) throw Invalid(wildcard, "a [ set is not closed with ]");

        regex.Append('[');
        for (var k = 0; k < members.Count; k++)
        {
            if (k + 2 < members.Count && members[k + 1].IsDash)
            {
                var (low, high) = (members[k].Char, members[k + 2].Char);
                if (low > high) throw Invalid(wildcard, $"the range [{low}-{high}] runs backwards");
                regex.Append(ClassMember(low)).Append('-').Append(ClassMember(high));
                k += 2;
            }
            else regex.Append(ClassMember(members[k].Char));
        }
        regex.Append(']');
        return end;
    }

    private static string ClassMember(char c) => c is '\\' or ']' or '[' or '^' or '-' ? "\\" + c : c.ToString();

    private static JobSignalException Invalid(string wildcard, string reason) =>
        new(InvalidErrorId, FailureKind.InvalidArgument, $"'{wildcard}' is not a valid wildcard: {reason}.", wildcard,
            "Close each [ with ], write ranges low to high ([a-z]), and put a backtick before a [ or ] meant literally (`[).");
}

using JobSignal.Core.Common;
using JobSignal.Core.Store;

namespace JobSignal.Core.Tests.Store;

/// <summary>Each case is what PowerShell 7's <c>$text -like $wildcard</c> answers.</summary>
public class WildcardMatchTests
{
    [Theory]
    [InlineData("Olivar de Jaén S.C.A.", "*JAÉN*", true)]
    [InlineData("LABORATORIOS FARMAIBÉRICA", "*farmaibérica", true)]
    [InlineData("Ωmega", "ω*", true)]
    [InlineData("Game", "[GF]ame", true)]
    [InlineData("fame", "[GF]AME", true)]
    [InlineData("Same", "[GF]ame", false)]
    [InlineData("B", "[a-c]", true)]
    [InlineData("É", "[é]", true)]
    [InlineData("Ä", "[à-ä]", true)]
    [InlineData("d", "[a-c-e]", false)]
    [InlineData("-", "[a-c-e]", true)]
    [InlineData("-", "[a-]", true)]
    [InlineData("]", "[]]", true)]
    [InlineData("]", "[`]]", true)]
    [InlineData("!", "[!a]", true)]
    [InlineData("b", "[!a]", false)]
    [InlineData("^", "[^a]", true)]
    [InlineData("b", "[^a]", false)]
    [InlineData(@"\", @"[\]", true)]
    [InlineData("ab", "[a][b]", true)]
    [InlineData("a\nb", "a?b", true)]
    [InlineData("ab", "a?b", false)]
    [InlineData("*", "`*", true)]
    [InlineData("a", "`*", false)]
    [InlineData("[a]", "`[a`]", true)]
    [InlineData("[a]", "`[a]", true)]
    [InlineData("a", "`a", true)]
    [InlineData("a`", "a`", true)]
    [InlineData("Gamma_%", "*_%", true)]
    [InlineData("Gamma", "*_%", false)]
    [InlineData(@"a.b(c)", @"a.b(c)", true)]
    [InlineData("axb", "a.b", false)]
    public void Matches_as_powershell_like(string text, string wildcard, bool expected) =>
        Assert.Equal(expected, WildcardMatch.ToRegex(wildcard).IsMatch(text));

    [Theory]
    [InlineData("[a")]
    [InlineData("Game [Studio")]
    [InlineData("[]")]
    [InlineData("[z-a]")]
    [InlineData("[a`]")]
    public void Refuses_what_powershell_refuses(string wildcard)
    {
        var failure = Assert.Throws<JobSignalException>(() => WildcardMatch.ToRegex(wildcard));
        Assert.Equal(WildcardMatch.InvalidErrorId, failure.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, failure.Kind);
        Assert.Equal(wildcard, failure.Target);
    }
}

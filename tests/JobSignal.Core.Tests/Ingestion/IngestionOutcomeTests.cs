using JobSignal.Core.Ingestion;

namespace JobSignal.Core.Tests.Ingestion;

public class IngestionOutcomeTests
{
    [Theory]
    [InlineData(IngestionOutcome.Inserted, "inserted")]
    [InlineData(IngestionOutcome.Updated, "updated")]
    [InlineData(IngestionOutcome.Repost, "repost")]
    [InlineData(IngestionOutcome.SkippedNoIdentity, "skipped_no_identity")]
    [InlineData(IngestionOutcome.SkippedInvalid, "skipped_invalid")]
    [InlineData(IngestionOutcome.SkippedResolved, "skipped_resolved")]
    [InlineData(IngestionOutcome.FailedDb, "failed_db")]
    [InlineData(IngestionOutcome.MatchFailed, "match_failed")]
    public void Every_outcome_has_its_stable_code_and_reads_back(IngestionOutcome outcome, string code)
    {
        Assert.Equal(code, outcome.ToCode());
        Assert.True(IngestionOutcomeCodes.TryParse(code, out var parsed));
        Assert.Equal(outcome, parsed);
        Assert.True(IngestionOutcomeCodes.TryParse($"  {code.ToUpperInvariant()} ", out parsed));
        Assert.Equal(outcome, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("skipped")]
    [InlineData("Inserted ok")]
    public void Unknown_codes_are_rejected(string? code)
    {
        Assert.False(IngestionOutcomeCodes.TryParse(code, out _));
    }

    [Fact]
    public void Codes_are_distinct()
    {
        var codes = Enum.GetValues<IngestionOutcome>().Select(o => o.ToCode()).ToList();
        Assert.Equal(8, codes.Count);
        Assert.Equal(codes.Count, codes.Distinct().Count());
    }
}

using System.Text.Json;
using JobSignal.Core.Domain;
using JobSignal.Core.Infojobs;
using JobSignal.TestFakes;

namespace JobSignal.Core.Tests.Infojobs;

/// <summary>The offline sample shipped in module/samples: reproducible from its generator and realistic enough for the demo.</summary>
public class InfojobsSampleTests
{
    private static string SamplePath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "JobSignal.Cmdlets.sln")))
                return Path.Combine(dir.FullName, "module", "samples", "infojobs-sample.jsonl");
        }
        throw new InvalidOperationException("The repository root was not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void The_committed_sample_is_what_the_generator_writes()
    {
        var expected = string.Concat(InfojobsSampleCorpus.Generate().Select(line => line + "\n"));

        Assert.True(expected == File.ReadAllText(SamplePath()),
            "module/samples/infojobs-sample.jsonl differs from InfojobsSampleCorpus: run tests/JobSignal.TestFakes/Update-InfojobsSample.ps1");
    }

    [Fact]
    public void The_generator_is_deterministic_and_respects_its_anchor()
    {
        var anchor = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(InfojobsSampleCorpus.Generate(40, 7, anchor), InfojobsSampleCorpus.Generate(40, 7, anchor));
        Assert.NotEqual(InfojobsSampleCorpus.Generate(40, 7, anchor), InfojobsSampleCorpus.Generate(40, 8, anchor));
    }

    [Fact]
    public void The_sample_replays_into_varied_offers()
    {
        var records = PayloadReplay.Read(SamplePath()).ToList();
        var offers = records.Select(r => r.Offer!).ToList();
        bool Mentions(string text) => offers.Count(o => o.Description?.Contains(text, StringComparison.OrdinalIgnoreCase) == true) >= 2;

        Assert.Equal(150, records.Count);
        Assert.All(records, r => Assert.Null(r.Error));
        Assert.Equal(150, offers.Select(o => o.ProviderOfferId).Distinct().Count());
        Assert.InRange(offers.Where(o => o.Company is not null).Select(o => o.Company!.ProviderCompanyId).Distinct().Count(), 24, 45);
        Assert.Contains(offers, o => o.Company is { Hidden: true });
        Assert.Contains(offers, o => o.Company is { Hidden: false, Website: not null });
        Assert.Contains(offers, o => o.Company is { Hidden: false, Website: null });
        Assert.Equal(3, offers.Count(o => o.Title is null));
        Assert.Equal(2, offers.Count(o => o.Url?.StartsWith('/') == true));
        Assert.Equal(2, offers.Count(o => o.Company is null));
        foreach (var signal in new[] { "USD", "GBP", "pagos internacionales", "multidivisa", "comercio internacional", "exportación", "SWIFT", "Stripe", "AWS", "HubSpot", "sin experiencia en AWS" })
            Assert.True(Mentions(signal), "the sample should mention: " + signal);
        Assert.All(offers, o => Assert.Equal(TimeSpan.Zero, o.PublishedAt!.Value.Offset));
    }

    [Fact]
    public void The_sample_holds_reposts_under_new_offer_ids()
    {
        var offers = PayloadReplay.Read(SamplePath()).Select(r => r.Offer!).ToList();

        var reposted = offers.GroupBy(o => (o.Company?.ProviderCompanyId, o.Title, o.Description)).Where(g => g.Count() > 1).ToList();
        var edited = offers.Where(o => o.Description?.EndsWith("\nIncorporación inmediata.", StringComparison.Ordinal) == true).ToList();

        Assert.NotEmpty(reposted);
        Assert.NotEmpty(edited);
        Assert.All(edited, o => Assert.Contains(offers, other => other.ProviderOfferId != o.ProviderOfferId
            && other.Company?.ProviderCompanyId == o.Company?.ProviderCompanyId
            && o.Description!.StartsWith(other.Description!, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_sample_served_by_the_fake_api_gives_the_offers_replay_gives()
    {
        using var fake = new FakeInfojobsServer();
        fake.AddOffersFromJsonLines(SamplePath());
        using var client = new InfojobsClient(
            new InfojobsCredentials(FakeInfojobsServer.DefaultClientId, FakeInfojobsServer.DefaultClientSecret),
            new InfojobsClientOptions { BaseUri = fake.BaseUri });
        var fetched = new List<string>();

        await foreach (var e in client.FetchAsync(new InfojobsQuery(), new FetchStatistics()))
        {
            if (e is InfojobsPageFetched) continue;
            var offer = Assert.IsType<InfojobsOfferFetched>(e).Offer;
            offer.Fetch = null;
            fetched.Add(JsonSerializer.Serialize(offer));
        }

        Assert.Equal(PayloadReplay.Read(SamplePath()).Select(r => JsonSerializer.Serialize(r.Offer)), fetched);
    }
}

using System.Diagnostics;
using JobSignal.Core.Domain;
using JobSignal.Core.Infojobs;
using JobSignal.TestFakes;

namespace JobSignal.Bench;

/// <summary>
/// Detail fetching against the loopback InfoJobs fake with 20 ms of latency per request: 500 offers with one detail
/// request at a time, then four. Target: concurrency 4 takes under 40 % of the time of concurrency 1.
/// </summary>
internal sealed class DetailsScenario : IBenchScenario
{
    private const int Offers = 500;
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(20);

    public string Name => "details";
    public string Description => $"InfoJobs details of {Offers} offers, {Latency.TotalMilliseconds:0} ms latency, concurrency 1 vs 4";

    public void Run(BenchOptions options, TextWriter output)
    {
        using var server = new FakeInfojobsServer { Latency = Latency };
        server.AddGeneratedOffers(Offers);
        Fetch(server, 2); // warm-up: JIT, sockets
        var sequential = Fetch(server, 1);
        var concurrent = Fetch(server, 4);
        output.WriteLine($"  concurrency 1: {sequential.Elapsed.TotalSeconds,7:0.00} s  ({sequential.Details} details, {sequential.Requests} requests)");
        output.WriteLine($"  concurrency 4: {concurrent.Elapsed.TotalSeconds,7:0.00} s  ({concurrent.Details} details, {concurrent.Requests} requests)");
        var ratio = concurrent.Elapsed / sequential.Elapsed;
        output.WriteLine($"  ratio 4 vs 1:  {ratio:P0} (target < 40 %) -> {(ratio < 0.40 ? "met" : "NOT met")}");
    }

    private static (TimeSpan Elapsed, int Details, int Requests) Fetch(FakeInfojobsServer server, int concurrency)
    {
        var statistics = new FetchStatistics();
        using var client = new InfojobsClient(new InfojobsCredentials(server.ClientId, server.ClientSecret),
            new InfojobsClientOptions { BaseUri = server.BaseUri, DetailConcurrency = concurrency });
        var query = new InfojobsQuery { MaxOffers = Offers, MaxPages = 20, PageSize = InfojobsQuery.MaxPageSize };
        var watch = Stopwatch.StartNew();
        var details = client.FetchAsync(query, statistics).ToBlockingEnumerable().Count(e => e is InfojobsOfferFetched { IsDetail: true });
        watch.Stop();
        return (watch.Elapsed, details, statistics.Requests);
    }
}

using JobSignal.Bench;

// Usage: dotnet run --project tests/JobSignal.Bench -c Release -- [--scenario name[,name]] [--sizes 10000,100000]
// Unknown arguments (such as build.ps1's --module <psd1>) are accepted and handed to the scenarios as options.
var options = BenchOptions.Parse(args);
var scenarios = new IBenchScenario[] { new MatchScenario(), new IngestScenario(), new DetailsScenario() };

var selected = options.Scenarios.Count == 0
    ? scenarios
    : scenarios.Where(s => options.Scenarios.Contains(s.Name, StringComparer.OrdinalIgnoreCase)).ToArray();
var unknown = options.Scenarios.Where(n => !scenarios.Any(s => string.Equals(s.Name, n, StringComparison.OrdinalIgnoreCase))).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"Unknown scenario(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", scenarios.Select(s => s.Name))}.");
    return 2;
}

Console.WriteLine($"JobSignal benchmark - {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, .NET {Environment.Version}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
Console.WriteLine($"Sizes: {string.Join(", ", options.Sizes)}");
foreach (var scenario in selected)
{
    Console.WriteLine();
    Console.WriteLine($"## {scenario.Name}: {scenario.Description}");
    scenario.Run(options, Console.Out);
}
return 0;

namespace JobSignal.Bench;

/// <summary>A named benchmark; Program runs the ones asked for with --scenario, or all of them.</summary>
internal interface IBenchScenario
{
    string Name { get; }
    string Description { get; }
    void Run(BenchOptions options, TextWriter output);
}

/// <summary>Command-line options shared by every scenario.</summary>
internal sealed record BenchOptions(IReadOnlyList<string> Scenarios, IReadOnlyList<int> Sizes,
    IReadOnlyDictionary<string, string> Extra)
{
    private static readonly int[] s_defaultSizes = [10_000];

    public static BenchOptions Parse(string[] args)
    {
        var scenarios = new List<string>();
        var sizes = new List<int>();
        var extra = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            var value = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "";
            switch (name.ToLowerInvariant())
            {
                case "--scenario":
                    scenarios.AddRange(SplitList(value));
                    break;
                case "--sizes":
                    sizes.AddRange(SplitList(value).Select(int.Parse));
                    break;
                default:
                    // Kept for scenarios that want them (e.g. --module for ingestion); ignored otherwise.
                    if (name.StartsWith("--", StringComparison.Ordinal)) extra[name[2..]] = value;
                    break;
            }
        }
        return new BenchOptions(scenarios, sizes.Count > 0 ? sizes : s_defaultSizes, extra);
    }

    /// <summary>The repository root: the folder holding JobSignal.psd1, searched upwards from the bench binary.</summary>
    public string RepositoryRoot
    {
        get
        {
            if (Extra.TryGetValue("module", out var module) && File.Exists(module))
                return Path.GetDirectoryName(Path.GetFullPath(module))!;
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "JobSignal.psd1"))) return dir.FullName;
            throw new InvalidOperationException("Cannot find the repository root (JobSignal.psd1); pass --module <path to JobSignal.psd1>.");
        }
    }

    private static IEnumerable<string> SplitList(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

using System.Globalization;

namespace GitOps.Benchmarks;

/// <summary>The arguments of <c>observe</c>: <c>--resources N --groups G --latency-ms L --throttling on|off --concurrency C</c>.</summary>
internal sealed record ObserveScenarioOptions
{
    public const string Usage =
        "usage: dotnet run -c Release --project bench/GitOps.Benchmarks -- observe "
        + "[--resources 1000] [--groups 10] [--latency-ms 50] [--throttling on|off] [--concurrency 16]";

    /// <summary>Resources inside the groups (the groups are declared and read too).</summary>
    public int Resources { get; init; } = 1000;

    public int Groups { get; init; } = 10;

    public int LatencyMs { get; init; } = 50;

    /// <summary>On: the simulator's buckets and the client's throttle budget. Off: neither.</summary>
    public bool Throttling { get; init; } = true;

    /// <summary>The observer's <c>MaxParallelReads</c>.</summary>
    public int Concurrency { get; init; } = 16;

    /// <exception cref="ArgumentException">An unknown option, a missing value or a value out of range; the message says which.</exception>
    public static ObserveScenarioOptions Parse(IReadOnlyList<string> args)
    {
        var options = new ObserveScenarioOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"{name} needs a value.");
            }

            var value = args[++i];
            options = name switch
            {
                "--resources" => options with { Resources = Int(name, value, 1, 100_000) },
                "--groups" => options with { Groups = Int(name, value, 1, 980) },
                "--latency-ms" => options with { LatencyMs = Int(name, value, 0, 10_000) },
                "--concurrency" => options with { Concurrency = Int(name, value, 1, 1024) },
                "--throttling" => options with
                {
                    Throttling = value.ToLowerInvariant() switch
                    {
                        "on" => true,
                        "off" => false,
                        _ => throw new ArgumentException($"--throttling must be on or off (got '{value}')."),
                    },
                },
                _ => throw new ArgumentException($"unknown option '{name}'."),
            };
        }

        return options;
    }

    private static int Int(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= min && parsed <= max
            ? parsed
            : throw new ArgumentException($"{name} must be a whole number from {min} to {max} (got '{value}').");
}

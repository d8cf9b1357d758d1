using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using GitOps.Core.Planning;

namespace GitOps.Benchmarks;

/// <summary>
/// The planner on N declared resources against N live bodies. <see cref="Plan"/> measures the diff alone (live
/// bodies already parsed and touched once); <see cref="ParseLiveAndPlan"/> adds parsing the GET bodies from UTF-8,
/// which is what a reconcile pays after its GETs.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class PlanBenchmarks
{
    private PlanWorkload _workload = null!;
    private Dictionary<string, JsonObject> _live = null!;

    /// <summary>Declared resources (and about as many live ones).</summary>
    [Params(1_000, 10_000)]
    public int Resources { get; set; }

    /// <summary>Builds the workload and checks that it plans what it is meant to.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _workload = PlanWorkload.Create(Resources);
        _live = _workload.ParseLive();
        var summary = Planner.Plan(_workload.Input(_live)).Summary;

        // Guard against a benchmark that silently measures the wrong thing (e.g. everything a create).
        if (summary.Noop < Resources * 8 / 10 || summary.Update == 0 || summary.Create == 0 || summary.Delete != 50)
        {
            throw new InvalidOperationException($"unexpected plan for the workload: {summary}");
        }
    }

    /// <summary>Plans against already parsed live bodies.</summary>
    [Benchmark]
    public PlanResult Plan() => Planner.Plan(_workload.Input(_live));

    /// <summary>Parses the live bodies from UTF-8, then plans.</summary>
    [Benchmark]
    public PlanResult ParseLiveAndPlan() => Planner.Plan(_workload.Input(_workload.ParseLive()));
}

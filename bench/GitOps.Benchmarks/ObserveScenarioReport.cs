using System.Globalization;
using GitOps.ArmSimulator;
using GitOps.Core.Manifests;
using GitOps.Core.Planning;

namespace GitOps.Benchmarks;

/// <summary>What one <c>observe</c> run measured, its correctness checks and the printed result block.</summary>
internal sealed class ObserveScenarioReport
{
    public required ObserveScenarioOptions Options { get; init; }

    public required ArmThrottlingOptions Throttling { get; init; }

    public required IReadOnlyList<DeclaredResource> Desired { get; init; }

    /// <summary>The simulator's request log of the measured run only.</summary>
    public required IReadOnlyList<ArmRequestRecord> Requests { get; init; }

    public required PlanSummary Plan { get; init; }

    public required TimeSpan Wall { get; init; }

    public required TimeSpan Observe { get; init; }

    /// <summary>Processor time of the whole process (client, observer, planner and the simulator) during the run.</summary>
    public required TimeSpan Cpu { get; init; }

    public required long ClientReads { get; init; }

    public required long ClientRetries { get; init; }

    public required long ClientThrottled { get; init; }

    public required long BudgetDelayed { get; init; }

    public required TimeSpan BudgetDelay { get; init; }

    public required string LoadBefore { get; init; }

    public required string LoadAfter { get; init; }

    private IEnumerable<ArmRequestRecord> Gets => Requests.Where(r => r.Method == "GET");

    private int Writes => Requests.Count(r => r.Method is "PUT" or "PATCH" or "POST");

    private int Deletes => Requests.Count(r => r.Method == "DELETE");

    private int Throttled => Requests.Count(r => r.StatusCode == 429);

    private int OtherErrors => Requests.Count(r => r.StatusCode >= 400 && r.StatusCode != 429);

    /// <summary>The least time the bucket allows: tokens beyond the full bucket come at the refill rate.</summary>
    private double BucketFloorSeconds => Options.Throttling
        ? Math.Max(0, (double)(Desired.Count - Throttling.ReadBucketSize) / Throttling.ReadRefillPerSecond)
        : 0;

    /// <summary>The least time latency allows: each of the N GETs holds one of the C slots for at least the latency.</summary>
    private double LatencyFloorSeconds => Options.LatencyMs / 1000.0 * Desired.Count / Options.Concurrency;

    private double FloorSeconds => Math.Max(BucketFloorSeconds, LatencyFloorSeconds);

    private double Ratio => FloorSeconds > 0 ? Wall.TotalSeconds / FloorSeconds : double.NaN;

    /// <summary>The correctness checks; empty when all pass. Timings are reported, never checked.</summary>
    public List<string> Check()
    {
        var failures = new List<string>();
        var declared = Desired.ToDictionary(r => r.Id, StringComparer.OrdinalIgnoreCase);
        var perPath = Gets.GroupBy(r => r.Path, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
        var missing = declared.Keys.Where(id => !perPath.ContainsKey(id)).ToList();
        var repeated = perPath.Where(p => p.Value.Count > 1).Select(p => p.Key).ToList();
        var stray = perPath.Keys.Where(path => !declared.ContainsKey(path)).ToList();
        var wrongVersion = perPath.Where(p => declared.TryGetValue(p.Key, out var r) && p.Value.Any(g => g.ApiVersion != r.ApiVersion)).Select(p => p.Key).ToList();

        Require(missing.Count == 0, failures, $"{missing.Count} declared resources were never read, e.g. {missing.FirstOrDefault()}");
        Require(repeated.Count == 0, failures, $"{repeated.Count} resources were read more than once, e.g. {repeated.FirstOrDefault()}");
        Require(stray.Count == 0, failures, $"{stray.Count} GETs of paths not declared, e.g. {stray.FirstOrDefault()}");
        Require(wrongVersion.Count == 0, failures, $"{wrongVersion.Count} GETs with another api-version than declared, e.g. {wrongVersion.FirstOrDefault()}");
        Require(Writes == 0 && Deletes == 0, failures, $"{Writes} writes and {Deletes} deletes reached ARM in a no-op reconcile");
        Require(Throttled == 0 && ClientThrottled == 0, failures, $"ARM answered 429 {Throttled} times (client saw {ClientThrottled})");
        Require(OtherErrors == 0, failures, $"{OtherErrors} error answers other than 429");
        Require(ClientReads == Desired.Count && ClientRetries == 0, failures,
            $"the client sent {ClientReads} GETs and {ClientRetries} retries for {Desired.Count} resources");
        Require(Plan.Noop == Desired.Count && !Plan.HasChanges, failures, $"the plan is not all no-op: {Plan}");
        return failures;
    }

    public void Print(TextWriter output, IReadOnlyList<string> failures)
    {
        var n = Desired.Count;
        var gets = Gets.Count();
        var line = new string('=', 100);
        output.WriteLine(line);
        output.WriteLine("observe: no-op reconcile (observe + plan) against the ARM simulator over HTTPS");
        output.WriteLine(line);
        Row(output, "machine", $"{MachineInfo.Describe()}; load average {LoadBefore} before, {LoadAfter} after");
        Row(output, "scenario", $"{Options.Resources} resources in {Options.Groups} groups + the {Options.Groups} groups = {n} declared; "
            + $"latency {Options.LatencyMs} ms; concurrency {Options.Concurrency}; throttling "
            + (Options.Throttling ? $"on (reads {Throttling.ReadBucketSize} + {Throttling.ReadRefillPerSecond}/s, client budget on)" : "off (no bucket, client budget off)"));
        Row(output, "wall", $"{S(Wall.TotalSeconds)} (observe {S(Observe.TotalSeconds)} + plan {S((Wall - Observe).TotalSeconds)})");
        Row(output, "cpu", $"{S(Cpu.TotalSeconds)} of processor time (client + simulator in this process), "
            + $"{(Cpu.TotalMilliseconds / Math.Max(1, gets)).ToString("F2", CultureInfo.InvariantCulture)} ms per GET");
        Row(output, "floor", $"{S(FloorSeconds)} = max(bucket "
            + (Options.Throttling ? $"({n} - {Throttling.ReadBucketSize}) / {Throttling.ReadRefillPerSecond} = {S(BucketFloorSeconds)}" : "none")
            + $", latency {Options.LatencyMs} ms x {n} / {Options.Concurrency} = {S(LatencyFloorSeconds)})");
        Row(output, "ratio", double.IsNaN(Ratio) ? "n/a (no floor)" : $"{Ratio.ToString("F3", CultureInfo.InvariantCulture)} (target <= 1.10: {(Ratio <= 1.10 ? "met" : "missed")})");
        Row(output, "ARM requests", $"{gets} GET = {((double)gets / n).ToString("F2", CultureInfo.InvariantCulture)} per declared resource, "
            + $"{Writes} writes, {Deletes} deletes, {Throttled} x 429, {OtherErrors} other errors");
        if (PacedRate() is { } rate)
        {
            Row(output, "paced rate", $"{rate.ToString("F2", CultureInfo.InvariantCulture)} GET/s from GET {Throttling.ReadBucketSize + 1} on (refill {Throttling.ReadRefillPerSecond}/s)");
        }

        Row(output, "client", $"reads={ClientReads} retries={ClientRetries} 429s={ClientThrottled}; throttle budget delayed {BudgetDelayed} requests "
            + $"({S(BudgetDelay.TotalSeconds)} of waits in total)");
        Row(output, "plan", $"{Plan.Noop} noop, {Plan.Create} create, {Plan.Update} update, {Plan.Delete} delete, {Plan.Detach} detach, {Plan.Drift} drift");
        Row(output, "checks", failures.Count == 0 ? "PASS (one GET per resource, no writes, no 429s, all no-op)" : "FAIL");
        foreach (var failure in failures)
        {
            output.WriteLine($"  - {failure}");
        }

        output.WriteLine(line);
    }

    /// <summary>GETs per second once the full bucket is spent: the rate the client's pacing achieved.</summary>
    private double? PacedRate()
    {
        var capacity = Throttling.ReadBucketSize;
        var times = Gets.Select(r => r.Time).Order().ToList();
        if (!Options.Throttling || times.Count <= capacity + 1)
        {
            return null;
        }

        var span = (times[^1] - times[capacity]).TotalSeconds;
        return span > 0 ? (times.Count - 1 - capacity) / span : null;
    }

    private static void Require(bool condition, List<string> failures, string message)
    {
        if (!condition)
        {
            failures.Add(message);
        }
    }

    private static void Row(TextWriter output, string name, string value) => output.WriteLine($"{name,-13}: {value}");

    private static string S(double seconds) => seconds.ToString("F2", CultureInfo.InvariantCulture) + " s";
}

using GitOps.ArmSimulator;
using GitOps.Core.Planning;

namespace GitOps.Arm.Tests.Integration;

/// <summary>Questions the integration tests ask of the simulator's request log and of plans.</summary>
internal static class RequestLog
{
    public static bool IsFor(this ArmRequestRecord record, string id) =>
        string.Equals(record.Path.TrimEnd('/'), id, StringComparison.OrdinalIgnoreCase);

    public static bool IsWrite(this ArmRequestRecord record) => record.Method is "PUT" or "PATCH" or "POST" or "DELETE";

    public static IReadOnlyList<ArmRequestRecord> To(this IReadOnlyList<ArmRequestRecord> log, string method, string id) =>
        log.Where(r => r.Method == method && r.IsFor(id)).ToList();

    public static string Describe(IEnumerable<ArmRequestRecord> log) =>
        string.Join(Environment.NewLine, log.Select(r => $"{r.Method} {r.Path}?api-version={r.ApiVersion} -> {r.StatusCode} {r.ErrorCode}"));

    public static string Describe(PlanResult plan) =>
        string.Join(Environment.NewLine, plan.Changes.Select(c =>
            $"{c.Action.ToWireName()} {c.Id} {c.Reason}" + string.Concat(c.Diffs.Select(d =>
                $"{Environment.NewLine}    {d.Path}: desired {d.Desired?.ToJsonString() ?? "null"}, live {d.Live?.ToJsonString() ?? "null"}"))))
        + string.Concat(plan.Notes.Select(n => $"{Environment.NewLine}note: {n}"));

    public static ResourceChange Change(this PlanResult plan, string id) =>
        plan.Changes.SingleOrDefault(c => string.Equals(c.Id, id, StringComparison.OrdinalIgnoreCase))
        ?? throw new Xunit.Sdk.XunitException($"No change for {id} in the plan:{Environment.NewLine}{Describe(plan)}");

    /// <summary>Asserts every change of the plan is a no-op, showing the whole plan when one is not.</summary>
    public static void AssertAllNoop(PlanResult plan, int expectedCount)
    {
        Assert.True(
            plan.Changes.Count == expectedCount && plan.Changes.All(c => c.Action == PlanAction.Noop),
            $"Expected {expectedCount} no-ops, got:{Environment.NewLine}{Describe(plan)}");
    }
}

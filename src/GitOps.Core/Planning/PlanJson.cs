using System.Text.Json;
using GitOps.Core.Runs;

namespace GitOps.Core.Planning;

/// <summary>
/// The JSON form of a plan, a documented contract (<c>gitops plan --output json</c>, run records, the api): the
/// <see cref="RecordedPlan"/> written with <see cref="RunJson.Options"/>, so a plan prints exactly as a run records it.
/// </summary>
public static class PlanJson
{
    /// <summary>Serializes a plan as indented JSON text.</summary>
    public static string Serialize(PlanResult plan) => JsonSerializer.Serialize(RecordedPlan.From(plan), RunJson.Options);
}

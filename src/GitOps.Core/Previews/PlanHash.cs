using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Core.Planning;
using GitOps.Core.Runs;

namespace GitOps.Core.Previews;

/// <summary>
/// A digest of what a plan would change, so the run that applies a merge can say whether it did what the pull request's
/// preview showed: every change that is not a no-op, by resource id, type, api-version and action, with each differing
/// field's path and declared value. Live values are left out (a preview hides some, and they describe the "from", not
/// the change); a secret field counts by its path only (a preview never reads the vault, an apply does).
/// </summary>
public static class PlanHash
{
    /// <summary>The hash: <c>sha256:</c> and 64 lower-case hex digits.</summary>
    public static string Of(RecordedPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var text = new StringBuilder();
        foreach (var change in plan.Changes.Where(c => c.Action != PlanAction.Noop).OrderBy(c => c.Id, StringComparer.OrdinalIgnoreCase))
        {
            text.Append(change.Id.ToLowerInvariant()).Append('\n')
                .Append(change.Type.ToLowerInvariant()).Append('\n')
                .Append(change.ApiVersion).Append('\n')
                .Append(change.Action.ToWireName()).Append('\n');
            foreach (var diff in change.Diffs.OrderBy(d => d.Path, StringComparer.Ordinal))
            {
                text.Append("  ").Append(diff.Path).Append(" = ").Append(diff.Redacted ? "(secret)" : Canonical(diff.Desired)).Append('\n');
            }
        }

        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static string Canonical(JsonNode? node) => node is null ? "(absent)" : node.ToJsonString();
}

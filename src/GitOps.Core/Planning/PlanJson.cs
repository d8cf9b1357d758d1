using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Core.Planning;

/// <summary>
/// The JSON form of a plan, a documented contract (<c>gitops plan --output json</c>, run records, the api):
/// <c>{ environment, changes: [ { id, type, apiVersion, action, reason?, diffs: [ { path, desired, live, redacted? } ] } ], notes, summary }</c>.
/// </summary>
public static class PlanJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Builds the JSON object of a plan.</summary>
    public static JsonObject ToJson(PlanResult plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var changes = new JsonArray();
        foreach (var change in plan.Changes)
        {
            var diffs = new JsonArray();
            foreach (var diff in change.Diffs)
            {
                var item = new JsonObject
                {
                    ["path"] = diff.Path,
                    ["desired"] = diff.Desired?.DeepClone(),
                    ["live"] = diff.Live?.DeepClone(),
                };
                if (diff.Redacted)
                {
                    item["redacted"] = true;
                }

                diffs.Add(item);
            }

            var json = new JsonObject
            {
                ["id"] = change.Id,
                ["type"] = change.Type,
                ["apiVersion"] = change.ApiVersion,
                ["action"] = change.Action.ToWireName(),
            };
            if (change.Reason is not null)
            {
                json["reason"] = change.Reason;
            }

            json["diffs"] = diffs;
            changes.Add(json);
        }

        var summary = plan.Summary;
        return new JsonObject
        {
            ["environment"] = plan.Environment,
            ["changes"] = changes,
            ["notes"] = new JsonArray(plan.Notes.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray()),
            ["summary"] = new JsonObject
            {
                ["create"] = summary.Create,
                ["update"] = summary.Update,
                ["delete"] = summary.Delete,
                ["detach"] = summary.Detach,
                ["noop"] = summary.Noop,
                ["drift"] = summary.Drift,
            },
        };
    }

    /// <summary>Serializes a plan as indented JSON text.</summary>
    public static string Serialize(PlanResult plan) => ToJson(plan).ToJsonString(Indented);
}

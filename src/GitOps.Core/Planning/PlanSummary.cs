using System.Text.Json.Serialization;

namespace GitOps.Core.Planning;

/// <summary>How many changes of each action a plan holds (also the <c>summary</c> of a recorded plan, in this order).</summary>
public sealed record PlanSummary(int Create, int Update, int Delete, int Detach, int Noop, int Drift)
{
    /// <summary>Counts the actions of a list of changes.</summary>
    public static PlanSummary Of(IEnumerable<ResourceChange> changes)
    {
        int create = 0, update = 0, delete = 0, detach = 0, noop = 0, drift = 0;
        foreach (var change in changes)
        {
            switch (change.Action)
            {
                case PlanAction.Create: create++; break;
                case PlanAction.Update: update++; break;
                case PlanAction.Delete: delete++; break;
                case PlanAction.Detach: detach++; break;
                case PlanAction.Noop: noop++; break;
                case PlanAction.Drift: drift++; break;
            }
        }

        return new PlanSummary(create, update, delete, detach, noop, drift);
    }

    /// <summary>True when applying the plan would write to ARM.</summary>
    [JsonIgnore]
    public bool HasWrites => Create + Update + Delete > 0;

    /// <summary>True when anything differs between git and Azure (writes, detaches or drift).</summary>
    [JsonIgnore]
    public bool HasChanges => HasWrites || Detach + Drift > 0;
}

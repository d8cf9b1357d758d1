namespace GitOps.Core.Planning;

/// <summary>
/// Plans a reconcile: a pure function of desired resources, live state, inventory and options.
/// Shared by <c>gitops plan</c>, <c>gitops apply</c> and the reconcile function.
/// </summary>
public static partial class Planner
{
    /// <summary>Plans the changes that make Azure match git.</summary>
    public static PlanResult Plan(PlanInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return PlanCore(input);
    }
}

namespace GitOps.Core.Planning;

public static partial class Planner
{
    private static PlanResult PlanCore(PlanInput input) => throw new NotImplementedException("planner: in progress");
}

namespace GitOps.Core.Planning;

/// <summary>The sentences a plan uses in <see cref="ResourceChange.Reason"/> and <see cref="PlanResult.Notes"/>.</summary>
public static class PlanReasons
{
    /// <summary>The inventory digest differs from the declaration's: git changed, maybe in fields ARM never returns.</summary>
    public const string DeclarationChanged = "declaration changed since last apply";

    /// <summary>Declared, absent in Azure, and not to be created (observe).</summary>
    public const string AbsentInAzure = "absent in Azure";

    /// <summary>The declaration changed since the last apply, but Azure already shows all of it (see the planner's remarks).</summary>
    public const string AlreadyApplied = "declaration changed since last apply, and Azure already shows every declared field: nothing to write";

    /// <summary>Matches git and is not yet in the inventory: the apply adopts it.</summary>
    public const string Adopted = "not in the inventory; matches git and will be adopted";

    /// <summary>Declared with <c>policy: detach</c>.</summary>
    public const string PolicyDetach = "policy: detach; never written";

    /// <summary>Declared with <c>policy: observe</c> and different from Azure.</summary>
    public const string PolicyObserve = "policy: observe; differences are reported, never written";

    /// <summary>Removed from git with prune disabled.</summary>
    public const string PruneOff = "removed from git; prune is off";

    /// <summary>Removed from git with <c>onDelete: detach</c>.</summary>
    public const string OnDeleteDetach = "removed from git; onDelete: detach";

    /// <summary>Removed from git and deleted by prune.</summary>
    public const string RemovedFromGit = "removed from git";

    /// <summary>What a create or update became in drift mode <c>detect</c>.</summary>
    public static string DetectMode(PlanAction wouldBe, string? why) =>
        why is null
            ? $"drift mode detect: would {wouldBe.ToWireName()}"
            : $"{why}; drift mode detect: would {wouldBe.ToWireName()}";

    /// <summary>Why a prune candidate was not deleted.</summary>
    public static string OverDeleteBudget(int deletes, int budget) =>
        $"removed from git but not deleted: {deletes} deletes exceed the budget of {budget}";

    /// <summary>The plan-level note when the delete budget stopped prune.</summary>
    public static string OverDeleteBudgetNote(int deletes, int budget) =>
        $"prune deleted nothing: {deletes} resources were removed from git, more than the delete budget of {budget}; " +
        "raise prune.deleteBudget for this run or remove fewer resources per commit";

    /// <summary>The plan-level note when dependencies form a cycle (validation normally rejects this earlier).</summary>
    public static string DependencyCycle(IReadOnlyList<string> cycle) =>
        $"dependency cycle: {string.Join(" -> ", cycle)}; the resources on or behind it are planned last, in id order";
}

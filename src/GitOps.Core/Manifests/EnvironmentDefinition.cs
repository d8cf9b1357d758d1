namespace GitOps.Core.Manifests;

/// <summary>What the reconciler does with drift it finds.</summary>
public enum DriftMode
{
    /// <summary>Put Azure back to what git says. The default.</summary>
    Correct,

    /// <summary>Record the drift and alert; write nothing.</summary>
    Detect,
}

/// <summary>The <c>prune</c> block of an environment.</summary>
/// <param name="Enabled">Whether resources removed from git are deleted from Azure. Off by default.</param>
/// <param name="DeleteBudget">At most this many deletes per run; over budget nothing is deleted and the plan says why.</param>
public sealed record PruneSettings(bool Enabled, int DeleteBudget)
{
    /// <summary>The default per-run delete budget.</summary>
    public const int DefaultDeleteBudget = 10;

    /// <summary>Prune off.</summary>
    public static PruneSettings Disabled { get; } = new(false, DefaultDeleteBudget);
}

/// <summary>An emergency or declared suspension.</summary>
/// <param name="Reason">Why it is suspended.</param>
/// <param name="By">Who suspended it (a person, or <c>gitops.yaml</c>).</param>
/// <param name="Since">When it was suspended; null when declared in git.</param>
/// <param name="Until">The planned end; an alert fires when it passes.</param>
public sealed record Suspension(string Reason, string By, DateTimeOffset? Since, DateTimeOffset? Until);

/// <summary>
/// One environment of a config repository: which manifests, which branch, which subscription, and how to reconcile.
/// </summary>
public sealed record EnvironmentDefinition
{
    /// <summary>The environment name, unique within the repository (e.g. <c>prod</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The manifest folder, relative to the repository root, forward slashes, no trailing slash ("" for the root).</summary>
    public required string Path { get; init; }

    /// <summary>The branch whose pushes reconcile this environment.</summary>
    public string Branch { get; init; } = "main";

    /// <summary>The default subscription for resources that do not name one.</summary>
    public string? SubscriptionId { get; init; }

    /// <summary>
    /// Further subscriptions the environment's resources may target (<c>subscriptions:</c> in <c>gitops.yaml</c>). A
    /// resource in any other subscription is a load error (GO1015): a commit cannot aim the identity at a subscription
    /// the reviewed environment definition does not name.
    /// </summary>
    public IReadOnlyList<string> AdditionalSubscriptions { get; init; } = [];

    /// <summary>True when resources may target <paramref name="subscriptionId"/>: the default or a listed one (ignoring case).</summary>
    public bool AllowsSubscription(string subscriptionId) =>
        string.Equals(subscriptionId, SubscriptionId, StringComparison.OrdinalIgnoreCase)
        || AdditionalSubscriptions.Contains(subscriptionId, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Management groups (by name) the environment's resources may target: the group itself (declared as a
    /// <c>Microsoft.Management/managementGroups</c> resource) and anything placed on it with <c>scope</c>
    /// (<c>managementGroups:</c> in <c>gitops.yaml</c>). Any other management group is refused (GO1015).
    /// </summary>
    public IReadOnlyList<string> ManagementGroups { get; init; } = [];

    /// <summary>
    /// True when resources may sit at the tenant root (<c>scope: /</c>, or a type the catalogue deploys only there):
    /// <c>tenantLevel: true</c> in <c>gitops.yaml</c>. Off by default: a tenant-level write reaches every subscription.
    /// </summary>
    public bool AllowsTenantLevel { get; init; }

    /// <summary>True when resources may target the management group <paramref name="name"/> (ignoring case).</summary>
    public bool AllowsManagementGroup(string name) => ManagementGroups.Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>How often the drift timer re-checks this environment.</summary>
    public TimeSpan DriftInterval { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Correct or detect drift.</summary>
    public DriftMode DriftMode { get; init; } = DriftMode.Correct;

    /// <summary>Prune settings.</summary>
    public PruneSettings Prune { get; init; } = PruneSettings.Disabled;

    /// <summary>Set when suspended in git (<c>suspended: true</c>); runtime suspensions live in the environment state.</summary>
    public Suspension? Suspended { get; init; }

    /// <summary>
    /// Schema findings (GO1017–GO1020) are errors rather than warnings (<c>schema: strict</c> in <c>gitops.yaml</c>, or
    /// <c>gitops validate --strict</c>): the pull-request check then refuses what the catalogue says ARM would drop or reject.
    /// </summary>
    public bool StrictSchema { get; init; }

    /// <summary>Variables available as <c>${{ vars.NAME }}</c>.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Sync windows (<c>windows:</c>): when runs of each trigger may change Azure (see <see cref="Reconcile.SyncWindows"/>).</summary>
    public IReadOnlyList<Config.SyncWindow> SyncWindows { get; init; } = [];

    /// <summary>Where the environment is declared (in <c>gitops.yaml</c>), or the folder for an implicit environment.</summary>
    public SourceLocation Location { get; init; }
}

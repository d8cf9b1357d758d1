namespace GitOps.Hosting.Settings;

/// <summary>
/// How ARM events become drift checks (<c>GitOps__Events__*</c>; docs/events.md): whose writes are the reconciler's
/// own, how long events for one environment are gathered into one run, and when a run stops being targeted.
/// </summary>
public sealed record EventSettings
{
    /// <summary>The default <see cref="CoalesceWindow"/>.</summary>
    public static readonly TimeSpan DefaultCoalesceWindow = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The queue the Event Grid subscription delivers to (<c>GitOps__Events__QueueName</c>, default <c>arm-events</c>;
    /// the Functions app's trigger is compiled with the default, so it may be changed for <c>gitops serve</c> only).
    /// </summary>
    public string QueueName { get; init; } = QueueNames.Events;

    /// <summary>
    /// The reconciler's own principals (app ids and object ids, compared without dashes and case): events they caused
    /// are dropped. From <c>GitOps__Events__OwnPrincipals</c> (comma-separated), <c>AZURE_CLIENT_ID</c> (the
    /// user-assigned identity the app runs as), and the principal of a static <c>GitOps__Arm__Token</c>. The Event Grid
    /// filter drops these too; this is the defence in depth.
    /// </summary>
    public IReadOnlyList<string> OwnPrincipals { get; init; } = [];

    /// <summary>
    /// How long after the first event for an environment its drift check starts, gathering every event meanwhile into
    /// that one run (<c>GitOps__Events__CoalesceWindow</c>, 0 to 5 minutes). Default 2 s.
    /// </summary>
    public TimeSpan CoalesceWindow { get; init; } = DefaultCoalesceWindow;

    /// <summary>
    /// The most changed resources one event-driven run targets (<c>GitOps__Events__MaxTargetedResources</c>, 1 to
    /// 100,000); beyond it the run checks the whole environment, which is cheaper than many targeted reads. Default 1,000.
    /// </summary>
    public int MaxTargetedResources { get; init; } = 1000;

    /// <summary>
    /// A "job scheduled" mark older than this is taken for a lost job (its message expired or was poisoned), so the
    /// next event schedules a new one. Longer than a run can wait for a busy environment.
    /// </summary>
    public TimeSpan ScheduleExpiry { get; init; } = TimeSpan.FromMinutes(30);
}

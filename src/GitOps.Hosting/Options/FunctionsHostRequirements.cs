using GitOps.Hosting.Settings;
using Microsoft.Extensions.Configuration;

namespace GitOps.Hosting.Options;

/// <summary>
/// What the Functions app needs of its app settings beyond what both hosts read: the queue name its triggers are
/// compiled with, and the flat drift schedule the host resolves. The worker checks it at start; the infra tests check
/// that infra/ declares it.
/// </summary>
public static class FunctionsHostRequirements
{
    /// <summary>Every problem, each naming its setting.</summary>
    /// <param name="configuration">The app settings.</param>
    /// <param name="settings">The settings read from them.</param>
    public static IReadOnlyList<string> Check(IConfiguration configuration, GitOpsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new List<string>();
        if (settings.QueueName != QueueNames.Reconcile)
        {
            problems.Add($"GitOps__QueueName is '{settings.QueueName}', but the Functions app's queue triggers listen on '{QueueNames.Reconcile}'; remove the setting.");
        }

        if (settings.Events.QueueName != QueueNames.Events)
        {
            problems.Add($"GitOps__Events__QueueName is '{settings.Events.QueueName}', but the Functions app's events trigger listens on '{QueueNames.Events}'; remove the setting.");
        }

        if (string.IsNullOrWhiteSpace(configuration[GitOpsSettings.DriftScheduleSetting]))
        {
            problems.Add($"{GitOpsSettings.DriftScheduleSetting} is missing: the drift timer's NCRONTAB schedule, e.g. '0 */1 * * * *' (the host resolves it for the timer trigger).");
        }

        if (settings.Repositories.Count == 0)
        {
            problems.Add("No repository is configured: set GitOps__Repositories__<name>__Url (and its WebhookSecret).");
        }

        return problems;
    }
}

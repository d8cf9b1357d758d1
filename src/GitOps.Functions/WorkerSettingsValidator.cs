using GitOps.Hosting.Options;
using GitOps.Hosting.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace GitOps.Functions;

/// <summary>
/// What only the Functions app needs of the settings, checked at start with the shared ones: the queue name is the
/// compile-time constant of the trigger attributes, and the drift schedule must be the flat setting the host resolves.
/// </summary>
/// <param name="configuration">The app settings.</param>
internal sealed class WorkerSettingsValidator(IConfiguration configuration) : IValidateOptions<GitOpsOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, GitOpsOptions options)
    {
        var problems = new List<string>();
        if (options.Settings.QueueName != QueueNames.Reconcile)
        {
            problems.Add($"GitOps__QueueName is '{options.Settings.QueueName}', but the Functions app's queue triggers listen on '{QueueNames.Reconcile}'; remove the setting.");
        }

        if (string.IsNullOrWhiteSpace(configuration[GitOpsSettings.DriftScheduleSetting]))
        {
            problems.Add($"{GitOpsSettings.DriftScheduleSetting} is missing: the drift timer's NCRONTAB schedule, e.g. '0 */1 * * * *' (the host resolves it for the timer trigger).");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

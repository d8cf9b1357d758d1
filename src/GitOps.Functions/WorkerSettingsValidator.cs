using GitOps.Hosting.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace GitOps.Functions;

/// <summary>Adds the Functions app's own requirements (<see cref="FunctionsHostRequirements"/>) to the start-up check.</summary>
/// <param name="configuration">The app settings.</param>
internal sealed class WorkerSettingsValidator(IConfiguration configuration) : IValidateOptions<GitOpsOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, GitOpsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = FunctionsHostRequirements.Check(configuration, options.Settings);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

using Microsoft.Extensions.Options;

namespace GitOps.Hosting.Options;

/// <summary>Fails the host's start with every settings problem at once (registered with <c>ValidateOnStart</c>).</summary>
internal sealed class GitOpsOptionsValidator : IValidateOptions<GitOpsOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, GitOpsOptions options) =>
        options.Problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(options.Problems);
}

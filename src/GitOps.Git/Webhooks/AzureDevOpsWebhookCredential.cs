namespace GitOps.Git.Webhooks;

/// <summary>
/// What an Azure DevOps service hook must send (it does not sign payloads): basic-auth credentials, a custom header, or both.
/// Every part that is set must match.
/// </summary>
public sealed record AzureDevOpsWebhookCredential
{
    /// <summary>The expected basic-auth user name; null to accept any user name with the right password.</summary>
    public string? Username { get; init; }

    /// <summary>The expected basic-auth password; null when only a header is used.</summary>
    public string? Password { get; init; }

    /// <summary>The name of a custom header configured on the subscription (<c>httpHeaders</c>); null when not used.</summary>
    public string? HeaderName { get; init; }

    /// <summary>The expected value of <see cref="HeaderName"/>.</summary>
    public string? HeaderValue { get; init; }

    /// <inheritdoc />
    /// <remarks>Overridden so that secrets never reach a log through the generated <c>ToString</c>.</remarks>
    public override string ToString() =>
        $"AzureDevOpsWebhookCredential {{ Username = {Username}, Password = {(Password is null ? "(none)" : "***")}, HeaderName = {HeaderName} }}";
}

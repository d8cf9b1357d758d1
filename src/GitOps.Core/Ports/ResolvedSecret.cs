namespace GitOps.Core.Ports;

/// <summary>A secret's value and the version it came from. <see cref="ToString"/> never shows the value.</summary>
/// <param name="value">The secret value; written only into the request sent to ARM.</param>
/// <param name="versionId">The version id (the last segment of Key Vault's secret id); plans and digests use it instead of the value.</param>
public sealed class ResolvedSecret(string value, string versionId)
{
    /// <summary>The secret value; written only into the request sent to ARM.</summary>
    public string Value { get; } = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>The version id; a new one means the secret was rotated and the field is sent again.</summary>
    public string VersionId { get; } = versionId ?? throw new ArgumentNullException(nameof(versionId));

    /// <inheritdoc />
    public override string ToString() => $"secret version {VersionId} (value hidden)";
}

using GitOps.Core.Ports;

namespace GitOps.Core.Reconcile;

/// <summary>
/// The secrets read at the start of a run, served to the applier, so the value sent is the version the plan was made
/// with (a rotation during the run is picked up by the next one, whose digest then differs).
/// </summary>
internal sealed class RunSecrets(IReadOnlyDictionary<string, ResolvedSecret> resolved) : ISecretResolver
{
    /// <inheritdoc />
    public Task<ResolvedSecret> ResolveAsync(string secretUrl, CancellationToken cancellationToken = default) =>
        resolved.TryGetValue(secretUrl, out var secret)
            ? Task.FromResult(secret)
            : throw new SecretResolutionException(secretUrl, $"The secret {secretUrl} was not read at the start of the run.", isTransient: true);
}

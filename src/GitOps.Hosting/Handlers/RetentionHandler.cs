using GitOps.Storage.Retention;

namespace GitOps.Hosting.Handlers;

/// <summary>
/// The retention timer's work in both hosts: one bounded, recorded cleanup pass of old runs and delivery records. A
/// handler of its own so that the Functions worker, which references the application layer only, never names the
/// storage adapter.
/// </summary>
/// <param name="cleaner">The cleanup.</param>
public sealed class RetentionHandler(RetentionCleaner cleaner)
{
    /// <summary>Runs one pass.</summary>
    /// <param name="cancellationToken">Host shutdown.</param>
    /// <returns>One line saying what the pass deleted, for the log.</returns>
    public async Task<string> RunOnceAsync(CancellationToken cancellationToken = default) =>
        (await cleaner.RunOnceAsync(cancellationToken).ConfigureAwait(false)).Summary;
}

using GitOps.Storage.Retention;
using Microsoft.Extensions.Logging;

namespace GitOps.Hosting.Standalone;

/// <summary>
/// <c>gitops serve</c>'s retention timer: one bounded <see cref="RetentionCleaner.RunOnceAsync"/> pass per occurrence.
/// Passes on several <c>serve</c> processes at once only race to delete the same things, which is harmless.
/// </summary>
public sealed class RetentionTimer(RetentionCleaner cleaner, string schedule, ILogger<RetentionTimer> logger, TimeProvider? timeProvider = null)
    : CronTimer("retention", schedule, logger, timeProvider)
{
    /// <inheritdoc />
    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var pass = await cleaner.RunOnceAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Retention pass: {Summary}.", pass.Summary);
    }
}

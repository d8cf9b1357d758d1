using GitOps.Core.Ports;
using GitOps.Core.Previews;
using GitOps.Core.Runs;
using Microsoft.Extensions.Logging;

namespace GitOps.Hosting.Handlers;

/// <summary>
/// The preview queue kind: runs one <see cref="PreviewJob"/> (<see cref="PreviewRunner"/>: no lease, no write, no
/// secret) and publishes it: the environment's status <c>gitops/&lt;env&gt;</c> on the head, and the pull request's one
/// comment rebuilt from every environment's latest preview at the current head. Jobs of one head finish in any order,
/// so after writing the comment a job reads the previews again and writes once more if one arrived meanwhile: the
/// last write always holds every preview recorded before it.
/// </summary>
/// <param name="runner">Runs previews.</param>
/// <param name="previews">The recorded previews and heads.</param>
/// <param name="publishers">Publishes on the pull request.</param>
/// <param name="source">Names the default branch for the comment.</param>
/// <param name="logger">Log.</param>
public sealed class PreviewJobHandler(PreviewRunner runner, IPreviewStore previews, PullRequestPublishers publishers, IConfigSource source, ILogger<PreviewJobHandler> logger)
{
    private const int MaxCommentRounds = 5;

    /// <summary>Runs one preview job.</summary>
    public async Task<(MessageDisposition Disposition, RunRecord Run)> RunAsync(PreviewJob job, int dequeueCount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var result = await runner.RunAsync(job, dequeueCount, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Preview {RunId} of {Environment} for pull request #{Number} at {Head}: {Outcome}. {Summary}", result.Run.RunId, job.EnvironmentKey, job.PullRequest.Number, job.PullRequest.HeadSha, result.Run.Outcome, result.Run.Summary);
        if (result.RecordFailed)
        {
            return (MessageDisposition.Retry, result.Run);
        }

        if (result.Preview is { } preview && publishers.For(job.Repository, job.PullRequest.Provider) is { } publisher && !(result.Transient && preview.State == PreviewStatusState.Error))
        {
            try
            {
                await publisher.SetStatusAsync(job.PullRequest, job.Environment, preview.State, preview.Summary, cancellationToken).ConfigureAwait(false);
                await PublishCommentAsync(publisher, job, cancellationToken).ConfigureAwait(false);
            }
            catch (PullRequestPublishException error)
            {
                // Recorded either way; a transient host failure is retried with the job (the preview runs again).
                logger.LogWarning("Publishing preview {RunId} on pull request #{Number} of {Repository} failed: {Reason}", result.Run.RunId, job.PullRequest.Number, job.Repository, error.Message);
                if (error.IsTransient)
                {
                    return (MessageDisposition.Retry, result.Run);
                }
            }
        }

        return (result.Transient ? MessageDisposition.Retry : MessageDisposition.Complete, result.Run);
    }

    private async Task PublishCommentAsync(IPullRequestPublisher publisher, PreviewJob job, CancellationToken cancellationToken)
    {
        var defaultBranch = source.GetDefaultBranch(job.Repository);
        IReadOnlyDictionary<string, string>? written = null;
        for (var round = 0; round < MaxCommentRounds; round++)
        {
            var head = await previews.GetHeadAsync(job.Repository, job.PullRequest.Number, cancellationToken).ConfigureAwait(false);
            if (head is null || !string.Equals(head.PullRequest.HeadSha, job.PullRequest.HeadSha, StringComparison.OrdinalIgnoreCase))
            {
                // A newer head owns the comment now; this head's status is still on its own commit.
                return;
            }

            var sections = await SectionsAsync(head, cancellationToken).ConfigureAwait(false);
            if (written is not null && Same(written, sections))
            {
                return;
            }

            await publisher.UpsertCommentAsync(head.PullRequest, PreviewMarkdown.Comment(head, sections, defaultBranch), cancellationToken).ConfigureAwait(false);
            written = sections;
        }
    }

    private async Task<IReadOnlyDictionary<string, string>> SectionsAsync(PreviewHead head, CancellationToken cancellationToken)
    {
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var environment in head.Environments)
        {
            var preview = await previews.GetAsync(head.Repository, head.PullRequest.Number, environment, cancellationToken).ConfigureAwait(false);
            if (preview is not null && string.Equals(preview.PullRequest.HeadSha, head.PullRequest.HeadSha, StringComparison.OrdinalIgnoreCase))
            {
                sections[environment] = preview.Markdown;
            }
        }

        return sections;
    }

    private static bool Same(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var other) && string.Equals(pair.Value, other, StringComparison.Ordinal));
}

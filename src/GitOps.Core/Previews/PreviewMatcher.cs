using GitOps.Core.Ports;
using GitOps.Core.Runs;

namespace GitOps.Core.Previews;

/// <summary>
/// "Merged as shown": finds the preview of the pull request a run's commit merged and compares the two plans by
/// <see cref="PlanHash"/>. The merged head is the commit itself (a fast-forward merge) or one of its parents after the
/// first (a merge commit); a squash or rebase merge makes new commits that no preview saw, and is not compared.
/// </summary>
/// <param name="previews">The preview index.</param>
/// <param name="pullRequests">Reads commit parents.</param>
public sealed class PreviewMatcher(IPreviewStore previews, IPullRequestSource pullRequests)
{
    /// <summary>The comparison for a run, or null when it is not a run that applies git or no preview matches its commit.</summary>
    /// <param name="run">A finished reconcile run.</param>
    /// <param name="cancellationToken">Cancels the lookups.</param>
    public async Task<PreviewComparison?> CompareAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Trigger is not (RunTrigger.Push or RunTrigger.Manual or RunTrigger.Retry) || run.Plan is null || run.Commit is null)
        {
            return null;
        }

        var candidates = new List<(string Sha, string Relation)> { (run.Commit.Sha, "head") };
        var parents = await pullRequests.ParentsAsync(run.Repository, run.Commit.Sha, cancellationToken).ConfigureAwait(false);
        candidates.AddRange(parents.Skip(1).Select(p => (p, "merge")));
        foreach (var (sha, relation) in candidates)
        {
            var preview = await previews.FindByHeadAsync(run.Repository, run.Environment, sha, cancellationToken).ConfigureAwait(false);
            if (preview?.PlanHash is not { } previewHash)
            {
                continue;
            }

            return new PreviewComparison
            {
                PullRequest = preview.PullRequest.Number,
                Provider = preview.PullRequest.Provider,
                HeadSha = preview.PullRequest.HeadSha,
                PreviewRunId = preview.RunId,
                PreviewPlanHash = previewHash,
                PlanHash = PlanHash.Of(run.Plan),
                Relation = relation,
            };
        }

        return null;
    }
}

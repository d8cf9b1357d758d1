using GitOps.Core.Previews;

namespace GitOps.Core.Ports;

/// <summary>
/// What previews leave behind besides their run records: the latest head of each pull request and the environments
/// it touches, the latest preview of each environment per pull request (for the comment), and an index of previews
/// by head commit (for the run that applies the merge, <see cref="PreviewMatcher"/>).
/// </summary>
public interface IPreviewStore
{
    /// <summary>Records the pull request's current head and affected environments (the fan-out's view).</summary>
    Task SaveHeadAsync(PreviewHead head, CancellationToken cancellationToken = default);

    /// <summary>The pull request's current head, or null.</summary>
    Task<PreviewHead?> GetHeadAsync(string repository, long number, CancellationToken cancellationToken = default);

    /// <summary>Records one environment's preview: as the pull request's latest for that environment, and under its head commit.</summary>
    Task SaveAsync(PreviewRecord preview, CancellationToken cancellationToken = default);

    /// <summary>The latest preview of an environment in a pull request, or null.</summary>
    Task<PreviewRecord?> GetAsync(string repository, long number, string environment, CancellationToken cancellationToken = default);

    /// <summary>The preview of an environment made at head commit <paramref name="headSha"/>, or null.</summary>
    Task<PreviewRecord?> FindByHeadAsync(string repository, string environment, string headSha, CancellationToken cancellationToken = default);
}

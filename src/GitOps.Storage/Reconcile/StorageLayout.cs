using GitOps.Core.Reconcile;
using GitOps.Core.Runs;

namespace GitOps.Storage.Reconcile;

/// <summary>
/// The blob names of the reconciler's container (docs/architecture.md, "Storage"), in one place so that every store
/// agrees on them, and the checks that keep a key from escaping its folder.
/// </summary>
internal static class StorageLayout
{
    /// <summary>Run records: <c>runs/&lt;repository&gt;/&lt;environment&gt;/&lt;run id&gt;.json</c>.</summary>
    public const string RunsPrefix = "runs/";

    /// <summary>Empty index blobs <c>run-index/&lt;run id&gt;/&lt;repository&gt;/&lt;environment&gt;</c> of the blob-only layout (read until <c>gitops runs reindex</c> deletes them).</summary>
    public const string RunIndexPrefix = "run-index/";

    /// <summary>Per-environment documents: <c>environments/&lt;repository&gt;/&lt;environment&gt;/{state.json,lock}</c>.</summary>
    public const string EnvironmentsPrefix = "environments/";

    /// <summary>Replay protection: <c>deliveries/&lt;provider&gt;/&lt;delivery id&gt;</c>.</summary>
    public const string DeliveriesPrefix = "deliveries/";

    /// <summary>Full plans of runs that changed something: <c>plans/&lt;repository&gt;/&lt;environment&gt;/&lt;run id&gt;.json</c>.</summary>
    public const string PlansPrefix = "plans/";

    /// <summary>The checkpoint's file name (gzip-compressed JSON) beside the state.</summary>
    public const string CheckpointFileName = "checkpoint.json.gz";

    /// <summary>The state document's file name.</summary>
    public const string StateFileName = "state.json";

    /// <summary>Where previews of pull requests are kept (<see cref="BlobPreviewStore"/>).</summary>
    public const string PreviewsPrefix = "previews/";

    /// <summary><c>previews/&lt;repository&gt;/pulls/&lt;number&gt;/head.json</c>.</summary>
    public static string PreviewHeadBlob(string repository, long number) => $"{PreviewsPrefix}{Plain(repository, nameof(repository))}/pulls/{Number(number)}/head.json";

    /// <summary><c>previews/&lt;repository&gt;/pulls/&lt;number&gt;/&lt;environment&gt;.json</c>.</summary>
    public static string PreviewBlob(string repository, long number, string environment) =>
        $"{PreviewsPrefix}{Plain(repository, nameof(repository))}/pulls/{Number(number)}/env-{Plain(environment, nameof(environment))}.json";

    /// <summary><c>previews/&lt;repository&gt;/commits/&lt;sha&gt;/&lt;environment&gt;.json</c>.</summary>
    public static string PreviewByHeadBlob(string repository, string environment, string sha) =>
        $"{PreviewsPrefix}{Plain(repository, nameof(repository))}/commits/{Sha(sha)}/{Plain(environment, nameof(environment))}.json";

    private static string Plain(string value, string parameterName) =>
        IsPlainSegment(value) ? value : throw new ArgumentException($"'{Shorten(value)}' is not a plain name (1-{MaxSegmentLength} letters, digits, '.', '_' or '-').", parameterName);

    private static string Number(long number) =>
        number is > 0 and <= GitOps.Core.Previews.PullRequestRef.MaxNumber ? number.ToString(System.Globalization.CultureInfo.InvariantCulture) : throw new ArgumentOutOfRangeException(nameof(number), number, "Not a pull-request number.");

    private static string Sha(string sha) =>
        GitOps.Core.Previews.PullRequestRef.IsSha(sha) ? sha.ToLowerInvariant() : throw new ArgumentException($"'{Shorten(sha)}' is not a commit id.", nameof(sha));

    /// <summary>The lock blob's file name.</summary>
    public const string LockFileName = "lock";

    private const int MaxSegmentLength = EnvironmentCatalog.MaxNameLength;

    public static string RunBlob(string environmentKey, string runId) => $"{RunsPrefix}{environmentKey}/{runId}.json";

    public static string StateBlob(string environmentKey) => $"{EnvironmentsPrefix}{environmentKey}/{StateFileName}";

    public static string PlanBlob(string environmentKey, string runId) => $"{PlansPrefix}{environmentKey}/{runId}.json";

    public static string CheckpointBlob(string environmentKey) => $"{EnvironmentsPrefix}{environmentKey}/{CheckpointFileName}";

    public static string LockBlob(string environmentKey) => $"{EnvironmentsPrefix}{environmentKey}/{LockFileName}";

    /// <summary>
    /// Checks that an environment key is <c>repository/environment</c> with two plain segments, so it names exactly one
    /// folder: no further '/', no '.' or '..' (which URLs would collapse), nothing outside letters, digits, '.', '_' and '-'.
    /// </summary>
    /// <exception cref="ArgumentException">The key is not usable; the message says why.</exception>
    public static string ValidateEnvironmentKey(string environmentKey, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(environmentKey, parameterName);
        var parts = environmentKey.Split('/');
        if (parts.Length != 2 || !IsPlainSegment(parts[0]) || !IsPlainSegment(parts[1]))
        {
            throw new ArgumentException(
                $"Environment key '{Shorten(environmentKey)}' is not 'repository/environment' with names of 1-{MaxSegmentLength} letters, digits, '.', '_' or '-'.",
                parameterName);
        }

        return environmentKey;
    }

    /// <summary>The key of a record's environment, checked.</summary>
    public static string EnvironmentKeyOf(string repository, string environment, string parameterName) =>
        ValidateEnvironmentKey(EnvironmentKeys.Of(repository, environment), parameterName);

    /// <summary>True when <paramref name="value"/> can be one blob name segment as it is.</summary>
    /// <remarks>The api's name rule, so that every name the api accepts is one the stores can key.</remarks>
    public static bool IsPlainSegment(string value) => EnvironmentCatalog.IsPlainName(value);

    public static string Shorten(string value) => value.Length <= 120 ? value : value[..120] + "…";
}

using System.Text.RegularExpressions;

namespace GitOps.Cli.Quickstart;

/// <summary>
/// The quick start's config repository: a bare repository standing in for the git host ("the remote") and a working
/// clone where commits are made and pushed with a real <c>git push</c>. Its content is the repository's
/// <c>examples/</c> folder, reduced to the <c>dev</c> environment with the shortest drift interval the loader allows.
/// </summary>
internal sealed partial class SampleRepository
{
    /// <summary>The environment the quick start deploys.</summary>
    public const string Environment = "dev";

    /// <summary>The file the quick start's push changes.</summary>
    public const string ChangedFile = "envs/dev/storage.yaml";

    private SampleRepository(string remote, string clone)
    {
        Remote = remote;
        Clone = clone;
    }

    /// <summary>The bare repository (the URL the reconciler fetches from).</summary>
    public string Remote { get; }

    /// <summary>The working clone.</summary>
    public string Clone { get; }

    /// <summary>Creates the remote and the clone, commits the sample as "Initial platform config" and pushes it.</summary>
    /// <returns>The repository and the initial commit.</returns>
    /// <exception cref="InvalidOperationException">The examples are not where expected or git failed.</exception>
    public static async Task<(SampleRepository Repository, string Commit)> CreateAsync(string examples, string root, CancellationToken cancellationToken)
    {
        var config = Path.Combine(examples, "gitops.yaml");
        var environmentFolder = Path.Combine(examples, "envs", Environment);
        if (!File.Exists(config) || !Directory.Exists(environmentFolder))
        {
            throw new InvalidOperationException($"The sample needs {config} and {environmentFolder}; run the quick start from a checkout of the repository.");
        }

        var remote = Path.Combine(root, "platform-config.git");
        var clone = Path.Combine(root, "platform-config");
        Directory.CreateDirectory(remote);
        await GitProcess.RunAsync(remote, cancellationToken, "init", "--quiet", "--bare", "--initial-branch=main").ConfigureAwait(false);
        await GitProcess.RunAsync(root, cancellationToken, "clone", "--quiet", remote, clone).ConfigureAwait(false);

        File.WriteAllText(Path.Combine(clone, "gitops.yaml"), QuickstartConfig(File.ReadAllText(config), config));
        var target = Path.Combine(clone, "envs", Environment);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(environmentFolder, "*.yaml"))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        var repository = new SampleRepository(remote, clone);
        var commit = await repository.CommitAndPushAsync("Initial platform config", cancellationToken).ConfigureAwait(false);
        return (repository, commit);
    }

    /// <summary>Adds a tag to the storage account in <see cref="ChangedFile"/>, commits and pushes; returns the new commit.</summary>
    public async Task<string> PushTagChangeAsync(string tag, string value, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Clone, ChangedFile);
        var text = File.ReadAllText(path);
        var tags = TagsLine().Match(text);
        if (!tags.Success)
        {
            throw new InvalidOperationException($"{path} has no top-level 'tags:' block to add the quick start's tag to.");
        }

        File.WriteAllText(path, text.Insert(tags.Index + tags.Length, $"  {tag}: {value}\n"));
        return await CommitAndPushAsync($"Tag the storage account with {tag}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The sample's <c>gitops.yaml</c> with only the <c>dev</c> environment, its drift interval set to one minute (the
    /// loader's minimum): the quick start deploys one environment and shows one drift correction.
    /// </summary>
    internal static string QuickstartConfig(string text, string path)
    {
        var prod = text.IndexOf("\n  - name: prod", StringComparison.Ordinal);
        var dev = text[..(prod < 0 ? text.Length : prod + 1)];
        var drift = DriftBlock().Match(dev);
        if (!dev.Contains("- name: dev", StringComparison.Ordinal) || !drift.Success)
        {
            throw new InvalidOperationException($"{path}: the quick start expects a 'dev' environment with a 'drift: {{ ... }}' line.");
        }

        return dev[..drift.Index] + "drift: { interval: 1m, mode: correct }" + dev[(drift.Index + drift.Length)..];
    }

    [GeneratedRegex(@"^tags:[ \t]*\r?\n", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex TagsLine();

    [GeneratedRegex(@"drift:\s*\{[^}\n]*\}", RegexOptions.CultureInvariant)]
    private static partial Regex DriftBlock();

    private async Task<string> CommitAndPushAsync(string message, CancellationToken cancellationToken)
    {
        await GitProcess.RunAsync(Clone, cancellationToken, "add", "--all").ConfigureAwait(false);
        await GitProcess.RunAsync(Clone, cancellationToken, "commit", "--quiet", "--no-verify", "-m", message).ConfigureAwait(false);
        await GitProcess.RunAsync(Clone, cancellationToken, "push", "--quiet", "origin", "HEAD:refs/heads/main").ConfigureAwait(false);
        return await GitProcess.RunAsync(Clone, cancellationToken, "rev-parse", "HEAD").ConfigureAwait(false);
    }
}

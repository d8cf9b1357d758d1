using LibGit2Sharp;

namespace GitOps.Git.Source;

/// <summary>
/// Process-wide libgit2 settings applied once: no global, XDG or system git configuration is read, so a
/// <c>~/.gitconfig</c> on a developer machine (<c>url.*.insteadOf</c>, <c>http.*</c>) cannot change what the
/// reconciler fetches or where it sends the token. Each mirror's own config is the only one libgit2 sees.
/// </summary>
internal static class LibGit2Environment
{
    private static readonly Lazy<bool> s_initialized = new(() =>
    {
        foreach (var level in new[] { ConfigurationLevel.Global, ConfigurationLevel.Xdg, ConfigurationLevel.System, ConfigurationLevel.ProgramData })
        {
            GlobalSettings.SetConfigSearchPaths(level, []);
        }

        return true;
    });

    /// <summary>Applies the settings (idempotent, thread-safe).</summary>
    public static void Initialize() => _ = s_initialized.Value;
}

namespace GitOps.Testing;

/// <summary>
/// Finds the shared conformance corpus. In CI the repository is cloned with <c>shared/</c> beside it
/// (<c>/path/main</c> and <c>/path/shared</c>), so the search walks up from the test assembly checking both places.
/// </summary>
public static class SharedConformance
{
    /// <summary>The folder <c>shared/conformance/webhooks</c>.</summary>
    /// <exception cref="DirectoryNotFoundException">It is not above the test assembly.</exception>
    public static string WebhooksDirectory()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(folder.FullName, "shared", "conformance"), Path.Combine(folder.FullName, "..", "shared", "conformance") })
            {
                var webhooks = Path.Combine(candidate, "webhooks");
                if (Directory.Exists(webhooks))
                {
                    return Path.GetFullPath(webhooks);
                }
            }
        }

        throw new DirectoryNotFoundException($"No shared/conformance/webhooks folder above {AppContext.BaseDirectory}; clone the shared repository beside this one.");
    }
}

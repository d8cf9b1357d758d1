namespace GitOps.Cli.Quickstart;

/// <summary>Finds the checkout of GitOpsFunctions the CLI runs from (for <c>examples/</c> and <c>node_modules/</c>).</summary>
internal static class RepositoryRoot
{
    /// <summary>The first folder holding <c>GitOpsFunctions.sln</c> above the current folder, then above the executable; or null.</summary>
    public static string? Find()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "GitOpsFunctions.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        return null;
    }
}

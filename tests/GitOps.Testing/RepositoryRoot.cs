namespace GitOps.Testing;

/// <summary>Finds the repository root (the folder with GitOpsFunctions.sln and package.json) from the test binaries.</summary>
public static class RepositoryRoot
{
    /// <summary>Walks up from the test assembly's folder to the repository root.</summary>
    /// <returns>The absolute path of the root.</returns>
    /// <exception cref="DirectoryNotFoundException">The tests run outside a checkout.</exception>
    public static string Find()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GitOpsFunctions.sln")) && File.Exists(Path.Combine(dir.FullName, "package.json")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException(
            $"No folder above '{AppContext.BaseDirectory}' holds GitOpsFunctions.sln and package.json; run the tests from a checkout.");
    }
}

namespace GitOps.Testing;

/// <summary>
/// The vendored ARM event samples (<c>tests/GitOps.Testing/testdata/events</c>): Microsoft's documented examples with
/// their placeholders filled in, each file naming its source; see the README there.
/// </summary>
public static class EventCorpus
{
    /// <summary>The folder holding the samples, inside this repository.</summary>
    /// <exception cref="DirectoryNotFoundException">The tests run outside a checkout.</exception>
    public static string Directory() => Path.Combine(RepositoryRoot.Find(), "tests", "GitOps.Testing", "testdata", "events");
}

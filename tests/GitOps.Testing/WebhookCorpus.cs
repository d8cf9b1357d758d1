namespace GitOps.Testing;

/// <summary>
/// The vendored corpus of real webhook deliveries (<c>tests/GitOps.Testing/testdata/webhooks</c>): bodies from the git
/// hosts' documentation and other projects' fixtures, each file naming its source; see the README there.
/// </summary>
public static class WebhookCorpus
{
    /// <summary>The folder holding the deliveries, inside this repository.</summary>
    /// <exception cref="DirectoryNotFoundException">The tests run outside a checkout.</exception>
    public static string Directory() => Path.Combine(RepositoryRoot.Find(), "tests", "GitOps.Testing", "testdata", "webhooks");
}

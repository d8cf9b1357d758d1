using GitOps.Core.Manifests;
using GitOps.Core.Ports;

namespace GitOps.Core.Tests.Manifests;

/// <summary>Builds trees and environments for manifest tests.</summary>
internal static class ManifestTestSupport
{
    public const string Subscription = "11111111-2222-3333-4444-555555555555";
    public const string OtherSubscription = "99999999-8888-7777-6666-555555555555";

    public static EnvironmentDefinition Environment(
        string path = "",
        string? subscriptionId = Subscription,
        IReadOnlyDictionary<string, string>? variables = null,
        IReadOnlyList<string>? additionalSubscriptions = null) => new()
    {
        Name = "test",
        Path = path,
        SubscriptionId = subscriptionId,
        AdditionalSubscriptions = additionalSubscriptions ?? [],
        Variables = variables ?? new Dictionary<string, string>(StringComparer.Ordinal),
        Location = new SourceLocation("gitops.yaml", 2, 5),
    };

    /// <summary>Loads one file as the only manifest of an environment at the root.</summary>
    public static EnvironmentLoadResult LoadSingle(
        string yaml,
        IReadOnlyDictionary<string, string>? variables = null,
        string? subscriptionId = Subscription,
        ManifestLimits? limits = null,
        IReadOnlyList<string>? additionalSubscriptions = null) =>
        new ManifestLoader(limits).LoadEnvironment(
            new InMemoryFileTree().Add("main.yaml", yaml),
            Environment(subscriptionId: subscriptionId, variables: variables, additionalSubscriptions: additionalSubscriptions));

    public static Diagnostic Single(IEnumerable<Diagnostic> diagnostics, string code)
    {
        var list = diagnostics.ToList();
        var matching = list.Where(d => d.Code == code).ToList();
        Assert.True(matching.Count == 1, $"Expected one {code}, got:\n{string.Join("\n", list)}");
        return matching[0];
    }

    public static void AssertAt(Diagnostic diagnostic, string file, int line, int column)
    {
        Assert.Equal(new SourceLocation(file, line, column), diagnostic.Location);
    }

    public static void AssertNoErrors(EnvironmentLoadResult result) =>
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));

    /// <summary>The repository root, found by walking up to GitOpsFunctions.sln.</summary>
    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "GitOpsFunctions.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("GitOpsFunctions.sln not found above " + AppContext.BaseDirectory);
    }

    public static string TestData(string name) =>
        Path.Combine(RepositoryRoot(), "tests", "GitOps.Core.Tests", "testdata", "manifests", name);
}

using GitOps.Core.Manifests;
using GitOps.Core.Ports;
using static GitOps.Core.Tests.Manifests.ManifestTestSupport;

namespace GitOps.Core.Tests.Manifests;

public class ConfigLoaderTests
{
    private static ConfigLoadResult Load(string gitopsYaml) =>
        new ManifestLoader().LoadConfig(new InMemoryFileTree().Add("gitops.yaml", gitopsYaml));

    [Fact]
    public void Reads_Every_Environment_Setting()
    {
        var result = Load("""
            version: 1
            environments:
              - name: prod
                path: ./envs/prod/
                branch: release
                subscriptionId: 00000000-0000-0000-0000-000000000001
                drift: { interval: 1h30m, mode: detect }
                prune: { enabled: true, deleteBudget: 3 }
                suspended: { reason: "change freeze", until: 2026-12-01T00:00:00Z }
                variables: { location: westeurope, replicas: 3, country: NO }
              - name: dev
                path: envs/dev
                drift: { interval: PT45M }
                suspended: true
            """);

        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        Assert.False(result.IsImplicit);
        var prod = result.Find("prod")!;
        Assert.Equal("envs/prod", prod.Path);
        Assert.Equal("release", prod.Branch);
        Assert.Equal("00000000-0000-0000-0000-000000000001", prod.SubscriptionId);
        Assert.Equal(TimeSpan.FromMinutes(90), prod.DriftInterval);
        Assert.Equal(DriftMode.Detect, prod.DriftMode);
        Assert.Equal(new PruneSettings(true, 3), prod.Prune);
        Assert.Equal(new Suspension("change freeze", "gitops.yaml", null, new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero)), prod.Suspended);
        Assert.Equal("3", prod.Variables["replicas"]);
        Assert.Equal("NO", prod.Variables["country"]);
        Assert.Equal(new SourceLocation("gitops.yaml", 3, 5), prod.Location);

        var dev = result.Environments[1];
        Assert.Equal("dev", dev.Name);
        Assert.Equal("main", dev.Branch);
        Assert.Null(dev.SubscriptionId);
        Assert.Equal(TimeSpan.FromMinutes(45), dev.DriftInterval);
        Assert.Equal(DriftMode.Correct, dev.DriftMode);
        Assert.Equal(PruneSettings.Disabled, dev.Prune);
        Assert.Equal("gitops.yaml", dev.Suspended!.By);
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("1h", 3600)]
    [InlineData("1d", 86400)]
    [InlineData("PT30M", 1800)]
    [InlineData("P1DT2H", 93600)]
    public void Drift_Interval_Accepts_Short_And_Iso_Forms(string interval, int seconds)
    {
        var result = Load($"environments:\n  - name: a\n    path: a\n    drift: {{ interval: {interval} }}\n");

        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        Assert.Equal(TimeSpan.FromSeconds(seconds), result.Environments.Single().DriftInterval);
    }

    [Theory]
    [InlineData("    drift: { interval: 30 }\n", 4, 24, DiagnosticCodes.InvalidValue)]
    [InlineData("    drift: { interval: 10s }\n", 4, 24, DiagnosticCodes.InvalidValue)]
    [InlineData("    drift: { mode: fix }\n", 4, 20, DiagnosticCodes.InvalidValue)]
    [InlineData("    prune: { enabled: yes }\n", 4, 23, DiagnosticCodes.InvalidValue)]
    [InlineData("    prune: { deleteBudget: -1 }\n", 4, 28, DiagnosticCodes.InvalidValue)]
    [InlineData("    subscriptionId: prod-sub\n", 4, 21, DiagnosticCodes.InvalidValue)]
    [InlineData("    suspended: { until: tomorrow }\n", 4, 25, DiagnosticCodes.InvalidValue)]
    [InlineData("    variables: { 1bad: x }\n", 4, 18, DiagnosticCodes.InvalidValue)]
    [InlineData("    variables: { nested: { a: 1 } }\n", 4, 26, DiagnosticCodes.InvalidValue)]
    [InlineData("    branch: \"my branch\"\n", 4, 13, DiagnosticCodes.InvalidValue)]
    [InlineData("    pruen: { enabled: true }\n", 4, 5, DiagnosticCodes.UnknownField)]
    public void Bad_Environment_Settings_Are_Reported_At_Their_Value(string line, int expectedLine, int expectedColumn, string code)
    {
        var result = Load("environments:\n  - name: prod\n    path: envs/prod\n" + line);

        var error = Single(result.Diagnostics, code);
        AssertAt(error, "gitops.yaml", expectedLine, expectedColumn);
        Assert.NotNull(error.Hint);
        Assert.Empty(result.Environments);
    }

    [Fact]
    public void Unknown_Field_Suggests_The_Closest_One()
    {
        var result = Load("environments:\n  - name: prod\n    path: envs/prod\n    subscriptionID: 00000000-0000-0000-0000-000000000001\n");

        var error = Single(result.Diagnostics, DiagnosticCodes.UnknownField);
        Assert.Equal("Unknown field 'subscriptionID' in an environment; did you mean 'subscriptionId'?", error.Message);
    }

    [Theory]
    [InlineData("/etc/prod")]
    [InlineData("../other-repo")]
    [InlineData("envs/../../x")]
    [InlineData("C:/configs")]
    [InlineData("envs\\prod")]
    public void Paths_Outside_The_Repository_Are_Refused(string path)
    {
        var result = Load($"environments:\n  - name: prod\n    path: '{path}'\n");

        AssertAt(Single(result.Diagnostics, DiagnosticCodes.InvalidValue), "gitops.yaml", 3, 11);
    }

    [Theory]
    [InlineData("envs/./dev")]
    [InlineData("envs//dev")]
    [InlineData("./envs/dev")]
    [InlineData("envs/dev/")]
    [InlineData("envs/x/../dev")]
    public void Paths_Are_Normalised_To_The_Folder_The_Git_Reader_Reads(string path)
    {
        // The git reader normalises with the same RepositoryPaths rule (GitArguments.EnvironmentPath), so validate and
        // a reconcile read the same folder.
        var result = Load($"environments:\n  - name: dev\n    path: '{path}'\n");

        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        Assert.Equal("envs/dev", result.Find("dev")!.Path);
    }

    [Fact]
    public void Missing_Name_And_Path_Are_Reported()
    {
        var result = Load("environments:\n  - branch: main\n");

        var errors = result.Diagnostics.Where(d => d.Code == DiagnosticCodes.MissingField).ToList();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => AssertAt(e, "gitops.yaml", 2, 5));
        Assert.Contains(errors, e => e.Message.Contains("'name'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Message.Contains("'path'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Prod")]
    [InlineData("prod_1")]
    [InlineData("-prod")]
    public void Invalid_Environment_Names_Are_Refused(string name)
    {
        var result = Load($"environments:\n  - name: {name}\n    path: p\n");

        AssertAt(Single(result.Diagnostics, DiagnosticCodes.InvalidValue), "gitops.yaml", 2, 11);
    }

    [Fact]
    public void Duplicate_Environment_Names_Are_Refused()
    {
        var result = Load("environments:\n  - name: prod\n    path: a\n  - name: prod\n    path: b\n");

        var error = Single(result.Diagnostics, DiagnosticCodes.InvalidValue);
        AssertAt(error, "gitops.yaml", 4, 5);
        Assert.Contains("gitops.yaml:2:5", error.Message);
        Assert.Single(result.Environments);
    }

    [Fact]
    public void Unsupported_Version_Is_Refused()
    {
        var result = Load("version: 2\nenvironments:\n  - name: a\n    path: a\n");

        AssertAt(Single(result.Diagnostics, DiagnosticCodes.InvalidValue), "gitops.yaml", 1, 10);
    }

    [Fact]
    public void Config_Without_Environments_Is_Refused()
    {
        var result = Load("version: 1\n");

        AssertAt(Single(result.Diagnostics, DiagnosticCodes.MissingField), "gitops.yaml", 1, 1);
    }

    [Fact]
    public void Config_Syntax_Error_Is_Reported()
    {
        var result = Load("environments:\n  - name: 'prod\n");

        Assert.Equal("gitops.yaml", Single(result.Diagnostics, DiagnosticCodes.YamlSyntax).Location.File);
        Assert.Empty(result.Environments);
    }

    [Fact]
    public void Tree_Without_Gitops_Yaml_Is_One_Implicit_Environment()
    {
        var tree = new InMemoryFileTree().Add("rg.yaml", "type: Microsoft.Resources/resourceGroups@2024-03-01\nname: rg-${{ vars.suffix }}\nlocation: westeurope\n");
        var implicitEnvironment = new ImplicitEnvironment(Subscription, new Dictionary<string, string> { ["suffix"] = "cli" });
        var loader = new ManifestLoader();

        var config = loader.LoadConfig(tree, implicitEnvironment);

        Assert.True(config.IsImplicit);
        Assert.Empty(config.Diagnostics);
        var environment = config.Environments.Single();
        Assert.Equal(ImplicitEnvironment.DefaultName, environment.Name);
        Assert.Equal(string.Empty, environment.Path);
        Assert.Equal(Subscription, environment.SubscriptionId);

        var loaded = loader.LoadEnvironment(tree, environment);
        AssertNoErrors(loaded);
        Assert.Equal($"/subscriptions/{Subscription}/resourceGroups/rg-cli", loaded.Resources.Single().Id);
    }

    [Fact]
    public void Implicit_Environment_Without_Settings_Has_Defaults()
    {
        var config = new ManifestLoader().LoadConfig(new InMemoryFileTree());

        var environment = config.Environments.Single();
        Assert.Equal("default", environment.Name);
        Assert.Null(environment.SubscriptionId);
        Assert.Empty(environment.Variables);
    }

    [Fact]
    public void Implicit_Environment_With_A_Bad_Subscription_Is_An_Error()
    {
        var config = new ManifestLoader().LoadConfig(
            new InMemoryFileTree(), new ImplicitEnvironment("not-a-guid", new Dictionary<string, string>()));

        Assert.Contains("not-a-guid", Single(config.Diagnostics, DiagnosticCodes.InvalidValue).Message);
    }

    [Fact]
    public void Gitops_Yml_Is_Pointed_Out()
    {
        var config = new ManifestLoader().LoadConfig(new InMemoryFileTree().Add("gitops.yml", "environments: []\n"));

        var warning = Single(config.Diagnostics, DiagnosticCodes.UnknownField);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.True(config.IsImplicit);
    }

    [Fact]
    public void Missing_Environment_Folder_Is_Reported_At_The_Environment()
    {
        var tree = new InMemoryFileTree()
            .Add("gitops.yaml", "environments:\n  - name: prod\n    path: envs/prod\n")
            .Add("envs/dev/rg.yaml", "type: Microsoft.Resources/resourceGroups@2024-03-01\nname: rg\nlocation: westeurope\n");
        var loader = new ManifestLoader();
        var environment = loader.LoadConfig(tree).Environments.Single();

        var result = loader.LoadEnvironment(tree, environment);

        var error = Single(result.Diagnostics, DiagnosticCodes.MissingPath);
        AssertAt(error, "gitops.yaml", 2, 5);
        Assert.Contains("envs/prod", error.Message);
    }

    [Fact]
    public void Folder_Without_Manifests_Is_Reported()
    {
        var tree = new InMemoryFileTree().Add("envs/prod/README.md", "# prod");

        var result = new ManifestLoader().LoadEnvironment(tree, Environment(path: "envs/prod"));

        Assert.Contains("no manifests", Single(result.Diagnostics, DiagnosticCodes.MissingPath).Message);
    }
}

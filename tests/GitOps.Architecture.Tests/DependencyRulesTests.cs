using System.Reflection;
using System.Xml.Linq;
using GitOps.Testing;

namespace GitOps.Architecture.Tests;

/// <summary>
/// The layering rules of docs/architecture.md ("Layering"), checked on the built assemblies and on the project files so a stray
/// reference fails the build's tests rather than a review.
/// </summary>
public sealed class DependencyRulesTests
{
    private static readonly string[] Adapters = ["GitOps.Arm", "GitOps.Storage", "GitOps.Git", "GitOps.Schemas"];

    private static Assembly Load(string name) => Assembly.Load(new AssemblyName(name));

    private static IReadOnlyList<string> ReferencesOf(string name) =>
        Load(name).GetReferencedAssemblies().Select(a => a.Name!).ToList();

    [Fact]
    public void Core_References_No_Azure_Storage_Git_Or_Hosting_Package()
    {
        var references = ReferencesOf("GitOps.Core");

        Assert.DoesNotContain(references, r => r.StartsWith("Azure", StringComparison.Ordinal));
        Assert.DoesNotContain(references, r => r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.DoesNotContain(references, r => r.StartsWith("GitOps.", StringComparison.Ordinal));
        Assert.Empty(ProjectReferences("src/GitOps.Core/GitOps.Core.csproj"));
    }

    [Theory]
    [InlineData("GitOps.Arm")]
    [InlineData("GitOps.Storage")]
    [InlineData("GitOps.Git")]
    [InlineData("GitOps.Schemas")]
    public void Adapters_Reference_Core_Only(string adapter)
    {
        var projects = ProjectReferences($"src/{adapter}/{adapter}.csproj");

        Assert.Equal(["GitOps.Core"], projects);
        Assert.DoesNotContain(ReferencesOf(adapter), r => Adapters.Contains(r) && r != adapter);
    }

    [Fact]
    public void Simulator_Stands_Alone()
    {
        Assert.Empty(ProjectReferences("src/GitOps.ArmSimulator/GitOps.ArmSimulator.csproj"));
    }

    [Fact]
    public void The_Development_Environment_Stands_Alone_And_Stays_Out_Of_The_Deployed_App()
    {
        // Azurite's launcher is for the quick start, the tests and the benchmarks; the app in Azure never starts one.
        Assert.Empty(ProjectReferences("src/GitOps.DevEnvironment/GitOps.DevEnvironment.csproj"));
        Assert.DoesNotContain("GitOps.DevEnvironment", ProjectReferences("src/GitOps.Hosting/GitOps.Hosting.csproj"));
        Assert.DoesNotContain("GitOps.DevEnvironment", ProjectReferences("src/GitOps.Functions/GitOps.Functions.csproj"));
    }

    [Fact]
    public void Composition_Roots_Do_Not_Reference_Each_Other()
    {
        Assert.DoesNotContain("GitOps.Functions", ProjectReferences("src/GitOps.Cli/GitOps.Cli.csproj"));
        Assert.DoesNotContain("GitOps.Functions", ReferencesOf("gitops"));
        Assert.DoesNotContain("GitOps.Cli", ProjectReferences("src/GitOps.Functions/GitOps.Functions.csproj"));
        Assert.DoesNotContain("gitops", ReferencesOf("GitOps.Functions"));
    }

    [Fact]
    public void Functions_References_Hosting_Only()
    {
        // The worker is thin: everything it runs comes from the application layer, adapters included (Core's result
        // types pass through the handlers' signatures, so the compiled worker may name Core, never an adapter).
        Assert.Equal(["GitOps.Hosting"], ProjectReferences("src/GitOps.Functions/GitOps.Functions.csproj"));
        Assert.DoesNotContain(ReferencesOf("GitOps.Functions"), r => Adapters.Contains(r));
    }

    [Fact]
    public void Hosting_Does_Not_Reference_A_Composition_Root_Or_The_Functions_Worker()
    {
        var projects = ProjectReferences("src/GitOps.Hosting/GitOps.Hosting.csproj");

        Assert.DoesNotContain("GitOps.Cli", projects);
        Assert.DoesNotContain("GitOps.Functions", projects);

        // Host-agnostic: the worker's packages belong to the Functions app alone.
        Assert.DoesNotContain(ReferencesOf("GitOps.Hosting"), r => r.StartsWith("Microsoft.Azure.Functions", StringComparison.Ordinal));
    }

    private static IReadOnlyList<string> ProjectReferences(string relativePath)
    {
        var project = XDocument.Load(Path.Combine(RepositoryRoot.Find(), relativePath));
        return project.Descendants("ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value))
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}

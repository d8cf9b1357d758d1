using System.Reflection;
using System.Xml.Linq;

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
    public void Composition_Roots_Do_Not_Reference_Each_Other()
    {
        Assert.DoesNotContain("GitOps.Functions", ProjectReferences("src/GitOps.Cli/GitOps.Cli.csproj"));
        Assert.DoesNotContain("handler", ReferencesOf("gitops"));
        Assert.DoesNotContain("GitOps.Cli", ProjectReferences("src/GitOps.Functions/GitOps.Functions.csproj"));
        Assert.DoesNotContain("gitops", ReferencesOf("handler"));
    }

    [Fact]
    public void Hosting_Does_Not_Reference_A_Composition_Root()
    {
        var projects = ProjectReferences("src/GitOps.Hosting/GitOps.Hosting.csproj");

        Assert.DoesNotContain("GitOps.Cli", projects);
        Assert.DoesNotContain("GitOps.Functions", projects);
    }

    private static IReadOnlyList<string> ProjectReferences(string relativePath)
    {
        var project = XDocument.Load(Path.Combine(RepositoryRoot(), relativePath));
        return project.Descendants("ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "GitOpsFunctions.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("GitOpsFunctions.sln not found above the test assembly.");
    }
}

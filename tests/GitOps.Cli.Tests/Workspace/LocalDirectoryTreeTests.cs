using GitOps.Cli.Workspace;
using GitOps.Core.Manifests;

namespace GitOps.Cli.Tests.Workspace;

public sealed class LocalDirectoryTreeTests : IDisposable
{
    private readonly TempFolder _parent = new();

    private string Root => Path.Combine(_parent.Path, "repo");

    public LocalDirectoryTreeTests() => _parent.Write("repo/gitops.yaml", "environments: []\n");

    public void Dispose() => _parent.Dispose();

    [Fact]
    public void Lists_Files_Below_A_Folder_Sorted_Without_Dot_Folders()
    {
        _parent.Write("repo/envs/dev/b.yaml", "b").Write("repo/envs/dev/a/c.yaml", "c").Write("repo/envs/dev/.git/config", "x");

        var files = new LocalDirectoryTree(Root).ListFiles("envs/dev");

        Assert.Equal(["envs/dev/a/c.yaml", "envs/dev/b.yaml"], files);
    }

    [Fact]
    public void Reads_A_File_Inside_The_Folder()
    {
        var tree = new LocalDirectoryTree(Root);

        Assert.True(tree.FileExists("gitops.yaml"));
        Assert.Equal(17, tree.GetFileSize("gitops.yaml"));
        Assert.Equal("environments: []\n", System.Text.Encoding.UTF8.GetString(tree.ReadFile("gitops.yaml").Span));
    }

    [Fact]
    public void A_Symlinked_File_Pointing_Outside_Is_Refused_With_Its_Path()
    {
        _parent.Write("secret.txt", "password");
        Directory.CreateDirectory(Path.Combine(Root, "envs"));
        File.CreateSymbolicLink(Path.Combine(Root, "envs", "stolen.yaml"), Path.Combine(_parent.Path, "secret.txt"));
        var tree = new LocalDirectoryTree(Root);

        var listed = Assert.Throws<LocalFileRefusedException>(() => tree.ListFiles("envs"));
        var read = Assert.Throws<LocalFileRefusedException>(() => tree.ReadFile("envs/stolen.yaml"));

        Assert.Equal("envs/stolen.yaml", listed.Path);
        Assert.Contains("'envs/stolen.yaml'", listed.Message, StringComparison.Ordinal);
        Assert.Contains("symbolic link", listed.Message, StringComparison.Ordinal);
        Assert.Equal("envs/stolen.yaml", read.Path);
        Assert.Throws<LocalFileRefusedException>(() => tree.FileExists("envs/stolen.yaml"));
    }

    [Fact]
    public void A_Symlinked_Root_Config_File_Is_Refused()
    {
        _parent.Write("elsewhere.yaml", "environments: []\n");
        File.Delete(Path.Combine(Root, "gitops.yaml"));
        File.CreateSymbolicLink(Path.Combine(Root, "gitops.yaml"), Path.Combine(_parent.Path, "elsewhere.yaml"));

        var refused = Assert.Throws<LocalFileRefusedException>(() => new LocalDirectoryTree(Root).FileExists("gitops.yaml"));

        Assert.Equal("gitops.yaml", refused.Path);
    }

    [Fact]
    public void A_Symlinked_Folder_Is_Refused_When_Listed_Inside_And_When_Read_Through()
    {
        _parent.Write("outside/app.yaml", "x: 1");
        Directory.CreateDirectory(Path.Combine(Root, "envs"));
        Directory.CreateSymbolicLink(Path.Combine(Root, "envs", "dev"), Path.Combine(_parent.Path, "outside"));
        var tree = new LocalDirectoryTree(Root);

        var asEnvironment = Assert.Throws<LocalFileRefusedException>(() => tree.ListFiles("envs/dev"));
        var asChild = Assert.Throws<LocalFileRefusedException>(() => tree.ListFiles("envs"));
        var through = Assert.Throws<LocalFileRefusedException>(() => tree.ReadFile("envs/dev/app.yaml"));

        Assert.Equal("envs/dev", asEnvironment.Path);
        Assert.Equal("envs/dev", asChild.Path);
        Assert.Equal("envs/dev", through.Path);
        Assert.Contains("symbolic link", through.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Folder_Below_A_Symlinked_Parent_Is_Refused()
    {
        _parent.Write("outside/dev/app.yaml", "x: 1");
        Directory.CreateSymbolicLink(Path.Combine(Root, "envs"), Path.Combine(_parent.Path, "outside"));
        var tree = new LocalDirectoryTree(Root);

        var listed = Assert.Throws<LocalFileRefusedException>(() => tree.ListFiles("envs/dev"));
        var exists = Assert.Throws<LocalFileRefusedException>(() => tree.FileExists("envs/dev/app.yaml"));

        Assert.Equal("envs", listed.Path);
        Assert.Equal("envs", exists.Path);
    }

    [Theory]
    [InlineData("../secret.txt")]
    [InlineData("envs/../../secret.txt")]
    [InlineData("/../secret.txt")]
    public void A_Path_Climbing_Out_With_Dot_Dot_Is_Refused(string path)
    {
        _parent.Write("secret.txt", "password");
        var tree = new LocalDirectoryTree(Root);

        var refused = Assert.Throws<LocalFileRefusedException>(() => tree.ReadFile(path));

        Assert.Contains("leaves the folder", refused.Message, StringComparison.Ordinal);
        Assert.Throws<LocalFileRefusedException>(() => tree.FileExists(path));
    }

    [Fact]
    public void A_Sibling_Folder_With_The_Same_Prefix_Is_Outside()
    {
        _parent.Write("repo-evil/gitops.yaml", "environments: []\n");
        var tree = new LocalDirectoryTree(Root);

        Assert.Throws<LocalFileRefusedException>(() => tree.ReadFile("../repo-evil/gitops.yaml"));
        Assert.Throws<LocalFileRefusedException>(() => tree.ListFiles("../repo-evil"));
    }

    [Fact]
    public void A_Root_That_Is_Itself_A_Link_Is_Read()
    {
        var link = Path.Combine(_parent.Path, "link-to-repo");
        Directory.CreateSymbolicLink(link, Root);

        var tree = new LocalDirectoryTree(link);

        Assert.True(tree.FileExists("gitops.yaml"));
        Assert.Equal(["gitops.yaml"], tree.ListFiles(""));
    }

    [Fact]
    public void A_File_Over_The_File_Size_Limit_Is_Not_Read()
    {
        _parent.Write("repo/big.yaml", new string('x', 101));
        var tree = new LocalDirectoryTree(Root, ManifestLimits.Default with { MaxFileBytes = 100 });

        var refused = Assert.Throws<LocalFileRefusedException>(() => tree.ReadFile("big.yaml"));

        Assert.Contains("101 bytes, over the limit of 100 bytes per file", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_Past_The_Total_Size_Limit_Is_Refused()
    {
        _parent.Write("repo/a.yaml", new string('a', 60)).Write("repo/b.yaml", new string('b', 60));
        var tree = new LocalDirectoryTree(Root, ManifestLimits.Default with { MaxEnvironmentBytes = 100 });

        Assert.Equal(60, tree.ReadFile("a.yaml").Length);
        var refused = Assert.Throws<LocalFileRefusedException>(() => tree.ReadFile("b.yaml"));

        Assert.Equal("b.yaml", refused.Path);
        Assert.Contains("over the limit of 100 bytes", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Listing_More_Files_Than_The_Count_Limit_Is_Refused()
    {
        _parent.Write("repo/envs/1.yaml", "").Write("repo/envs/2.yaml", "").Write("repo/envs/3.yaml", "");
        var tree = new LocalDirectoryTree(Root, maxFileCount: 2);

        var refused = Assert.Throws<LocalFileRefusedException>(() => tree.ListFiles("envs"));

        Assert.Contains("over the limit of 2 files", refused.Message, StringComparison.Ordinal);
        Assert.Equal(3, new LocalDirectoryTree(Root, maxFileCount: 3).ListFiles("envs").Count);
    }
}

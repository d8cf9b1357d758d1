using System.Text.RegularExpressions;
using GitOps.Testing;

namespace GitOps.Architecture.Tests;

/// <summary>
/// Core does no I/O: it is handed an IFileTree, never a path. An assembly reference test cannot see this (System.IO is
/// part of the framework), so the sources are read instead.
/// </summary>
public sealed partial class CoreSourceRulesTests
{
    [Fact]
    public void Core_Source_Uses_No_File_Or_Directory_Api()
    {
        var core = Path.Combine(RepositoryRoot.Find(), "src", "GitOps.Core");
        var sources = Directory.EnumerateFiles(core, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(core, f).Split(Path.DirectorySeparatorChar).Any(s => s is "obj" or "bin"))
            .ToList();

        var offending = (
            from file in sources
            from line in File.ReadLines(file).Select((text, index) => (Text: text, Number: index + 1))
            where !line.Text.TrimStart().StartsWith("//", StringComparison.Ordinal) && FileSystemApi().IsMatch(line.Text)
            select $"{Path.GetRelativePath(core, file)}:{line.Number}: {line.Text.Trim()}").ToList();

        Assert.NotEmpty(sources);
        Assert.True(offending.Count == 0, "Core reads or writes files; move it to an adapter or the CLI:\n" + string.Join("\n", offending));
    }

    [Theory]
    [InlineData("return File.ReadAllBytes(path);", true)]
    [InlineData("if (!Directory.Exists(root))", true)]
    [InlineData("var info = new System.IO.FileInfo(path);", true)]
    [InlineData("using var stream = new FileStream(path, FileMode.Open);", true)]
    [InlineData("foreach (var d in new DirectoryInfo(root).EnumerateDirectories())", true)]
    [InlineData("if (!tree.FileExists(PolicySet.FileName))", false)]
    [InlineData("var file = diagnostic.Location.File.Trim();", false)]
    [InlineData("throw new FileNotFoundException(path);", false)]
    public void The_Scan_Matches_File_System_Calls_Only(string line, bool matches) =>
        Assert.Equal(matches, FileSystemApi().IsMatch(line));

    // Static calls on File/Directory (not a member named File, as in Location.File), and the stream and info types.
    [GeneratedRegex(@"(?<![\w.])(System\.IO\.)?(File|Directory)\.[A-Z]\w*|\b(FileStream|FileInfo|DirectoryInfo)\b")]
    private static partial Regex FileSystemApi();
}

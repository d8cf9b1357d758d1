using System.Text.RegularExpressions;
using static GitOps.Core.Tests.Manifests.ManifestTestSupport;

namespace GitOps.Core.Tests.Schemas;

/// <summary>Every YAML document the repository ships (examples/, and infra/ when it exists) passes its schema.</summary>
public partial class RepositoryYamlSchemaTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var folder in new[] { "examples", "infra" })
        {
            var path = Path.Combine(RepositoryRoot(), folder);
            if (Directory.Exists(path))
            {
                foreach (var file in SchemaFiles.YamlFiles(path))
                {
                    data.Add(Path.GetRelativePath(RepositoryRoot(), file).Replace('\\', '/'));
                }
            }
        }

        return data;
    }

    [Fact]
    public void The_Examples_Hold_Every_Kind_Of_File()
    {
        var files = ((IEnumerable<object[]>)Files()).Select(row => (string)row[0]).ToList();
        Assert.Contains("examples/gitops.yaml", files);
        Assert.Contains("examples/gitops.policy.yaml", files);
        Assert.True(files.Count(f => SchemaFiles.For(f) == SchemaFiles.Resource) >= 10, string.Join("\n", files));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_Document_Passes_Its_Schema(string file)
    {
        var documents = YamlJson.Documents(file, File.ReadAllText(Path.Combine(RepositoryRoot(), file)));
        var validator = SchemaFiles.Validator(SchemaFiles.For(file));

        Assert.NotEmpty(documents);
        for (var i = 0; i < documents.Count; i++)
        {
            var errors = validator.Validate(documents[i]);
            Assert.True(errors.Count == 0, $"{file} document {i + 1} against {SchemaFiles.For(file)}:\n{string.Join("\n", errors)}");
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void A_Schema_Modeline_Points_At_The_Right_Schema(string file)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), file));
        var match = Modeline().Match(text);
        if (!match.Success)
        {
            // The examples are what users copy, so they must carry the modeline; other folders may map schemas in
            // .vscode/settings.json instead.
            Assert.False(file.StartsWith("examples/", StringComparison.Ordinal), $"{file} has no '# yaml-language-server: $schema=...' line.");
            return;
        }

        Assert.True(match.Index == 0 || text[..match.Index].Split('\n').All(l => l.TrimStart().StartsWith('#') || l.Trim().Length == 0),
            $"{file}: the modeline must come before the first document.");
        var target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.Combine(RepositoryRoot(), file))!, match.Groups["path"].Value));
        Assert.Equal(Path.Combine(SchemaFiles.Directory, SchemaFiles.For(file)), target);
    }

    [Fact]
    public void VsCode_Settings_Map_Every_Schema_To_Its_Files()
    {
        var settings = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), ".vscode", "settings.json")))!;
        var schemas = settings["yaml.schemas"]!.AsObject();
        Assert.Equal(
            new[] { SchemaFiles.Config, SchemaFiles.Policy, SchemaFiles.Resource }.Select(s => "./schemas/" + s).Order(),
            schemas.Select(p => p.Key).Order());
        foreach (var (schema, _) in schemas)
        {
            Assert.True(File.Exists(Path.Combine(RepositoryRoot(), schema)), schema);
        }

        Assert.Contains("gitops.yaml", schemas["./schemas/" + SchemaFiles.Config]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("gitops.policy.yaml", schemas["./schemas/" + SchemaFiles.Policy]!.ToJsonString(), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^# yaml-language-server: \$schema=(?<path>\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex Modeline();
}

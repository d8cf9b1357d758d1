using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using GitOps.Testing;

namespace GitOps.Cli.Tests;

/// <summary>
/// azure-pipelines.yml calls only things that exist: real gitops subcommands, executable scripts and real project
/// paths; it runs on pull requests and on main; and no step holds a secret.
/// </summary>
public sealed partial class PipelineTests
{
    private static readonly string PipelineFile = Path.Combine(RepositoryRoot.Find(), "azure-pipelines.yml");

    private static readonly YamlMappingNode Root = Load();

    [Fact]
    public void Pipeline_Triggers_On_Pull_Requests_And_Main()
    {
        Assert.Contains("main", Branches(Root, "trigger"));
        Assert.Contains("main", Branches(Root, "pr"));
    }

    [Fact]
    public async Task Every_Gitops_Invocation_Names_A_Real_Subcommand()
    {
        var subcommands = Scripts().SelectMany(s => GitopsInvocation().Matches(s).Select(m => m.Groups["sub"].Value)).Distinct().ToList();

        Assert.Contains("validate", subcommands);
        Assert.Contains("plan", subcommands);
        Assert.Contains("apply", subcommands);
        foreach (var sub in subcommands)
        {
            var (code, output, error) = await CliRunner.RunAsync(sub, "--help");
            Assert.True(code == ExitCodes.Success && output.Contains(sub, StringComparison.Ordinal), $"'gitops {sub}' is not a command: {error}");
        }
    }

    [Fact]
    public async Task Gitops_Invocations_Use_Options_The_Subcommand_Accepts()
    {
        foreach (var match in Scripts().SelectMany(s => GitopsInvocation().Matches(s)))
        {
            var (_, help, _) = await CliRunner.RunAsync(match.Groups["sub"].Value, "--help");
            foreach (var option in OptionName().Matches(match.Groups["rest"].Value).Select(m => m.Value))
            {
                Assert.True(help.Contains(option, StringComparison.Ordinal), $"'gitops {match.Groups["sub"].Value}' has no option {option}.");
            }
        }
    }

    [Fact]
    public void Every_Script_Path_Exists_And_Is_Executable()
    {
        var paths = Scripts().SelectMany(s => ScriptPath().Matches(s).Select(m => m.Value)).Distinct().ToList();

        Assert.Contains("./scripts/test", paths);
        foreach (var path in paths)
        {
            var file = Path.Combine(RepositoryRoot.Find(), path);
            Assert.True(File.Exists(file), $"{path} does not exist.");
            if (!OperatingSystem.IsWindows())
            {
                Assert.True((File.GetUnixFileMode(file) & UnixFileMode.UserExecute) != 0, $"{path} is not executable (git update-index --chmod=+x).");
            }
        }
    }

    [Fact]
    public void Every_Dotnet_Command_Names_An_Existing_Path()
    {
        var paths = Scripts().SelectMany(s => DotnetCommand().Matches(s).Select(m => m.Groups["path"].Value)).Distinct().ToList();

        Assert.Contains("src/GitOps.Functions", paths);
        foreach (var path in paths)
        {
            var full = Path.Combine(RepositoryRoot.Find(), path);
            Assert.True(Directory.Exists(full) || File.Exists(full), $"dotnet ... {path}: no such project or folder.");
        }
    }

    [Fact]
    public void Azure_Steps_Use_The_Service_Connection_And_No_Step_Holds_A_Secret()
    {
        var steps = Steps().ToList();
        var azure = steps.Where(s => Scalar(s, "task") is { } task && (task.StartsWith("AzureCLI@", StringComparison.Ordinal) || task.StartsWith("AzureFunctionApp@", StringComparison.Ordinal))).ToList();

        Assert.NotEmpty(azure);
        Assert.All(azure, s => Assert.Equal("$(azureServiceConnection)", Scalar((YamlMappingNode)s["inputs"], "azureSubscription")));
        var scalars = Scalars(Root).ToList();
        Assert.DoesNotContain(scalars, v => SecretLooking().IsMatch(v));
        Assert.DoesNotContain(scalars, v => v.Contains("az login", StringComparison.Ordinal));
    }

    [Fact]
    public void Secret_Detector_Catches_Typical_Literals()
    {
        Assert.Matches(SecretLooking(), "az login --service-principal -u app -p hunter2 --tenant t");
        Assert.Matches(SecretLooking(), "AZURE_CLIENT_SECRET=abc");
        Assert.Matches(SecretLooking(), "ghp_0123456789abcdefghijABCDEFGHIJ012345");
        Assert.DoesNotMatch(SecretLooking(), "gitops apply \"$(configPath)\" --env prod --auto-approve");
    }

    private static YamlMappingNode Load()
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(PipelineFile);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static IEnumerable<string> Branches(YamlMappingNode root, string key)
    {
        Assert.True(root.Children.TryGetValue(key, out var trigger), $"azure-pipelines.yml has no '{key}'.");
        var include = ((YamlMappingNode)((YamlMappingNode)trigger)["branches"])["include"];
        return ((YamlSequenceNode)include).Children.Select(n => ((YamlScalarNode)n).Value!);
    }

    private static IEnumerable<YamlMappingNode> Steps() =>
        ((YamlSequenceNode)Root["stages"]).Children.Cast<YamlMappingNode>()
            .SelectMany(stage => ((YamlSequenceNode)stage["jobs"]).Children.Cast<YamlMappingNode>())
            .SelectMany(job => ((YamlSequenceNode)job["steps"]).Children.Cast<YamlMappingNode>());

    /// <summary>Every shell text the pipeline runs: script/bash steps and inline scripts of tasks.</summary>
    private static IEnumerable<string> Scripts()
    {
        foreach (var step in Steps())
        {
            if ((Scalar(step, "script") ?? Scalar(step, "bash")) is { } script)
            {
                yield return script;
            }
            else if (step.Children.TryGetValue("inputs", out var inputs) && Scalar((YamlMappingNode)inputs, "inlineScript") is { } inline)
            {
                yield return inline;
            }
        }
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value) && value is YamlScalarNode scalar ? scalar.Value : null;

    private static IEnumerable<string> Scalars(YamlNode node) => node switch
    {
        YamlScalarNode scalar => [scalar.Value ?? string.Empty],
        YamlMappingNode mapping => mapping.Children.SelectMany(c => Scalars(c.Key).Concat(Scalars(c.Value))),
        YamlSequenceNode sequence => sequence.Children.SelectMany(Scalars),
        _ => [],
    };

    // `gitops <sub>` as a command: at a line start or after a shell separator, not inside a path or a name.
    [GeneratedRegex(@"(?:^|[\s;&|(])gitops[ \t]+(?<sub>[a-z][a-z-]*)(?<rest>[^\n]*)", RegexOptions.Multiline)]
    private static partial Regex GitopsInvocation();

    [GeneratedRegex(@"(?<=\s)--[a-z][a-z-]*")]
    private static partial Regex OptionName();

    [GeneratedRegex(@"\./scripts/[\w./-]+")]
    private static partial Regex ScriptPath();

    [GeneratedRegex(@"\bdotnet[ \t]+(?:build|test|publish|run|restore|pack)[ \t]+(?<path>[^\s-][^\s""]*)")]
    private static partial Regex DotnetCommand();

    [GeneratedRegex(@"(?i)client[_-]?secret|password|passwd|\s-p\s|account[_-]?key|sharedaccesskey|gh[pousr]_[A-Za-z0-9]{20,}|[A-Za-z0-9+/]{40,}={1,2}")]
    private static partial Regex SecretLooking();
}

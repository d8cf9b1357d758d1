using System.Text.Json.Nodes;
using GitOps.Core.Planning;

namespace GitOps.Core.Tests.Planning;

/// <summary>
/// Table-driven: every real PUT example pair must plan as a no-op (no false drift from defaults, read-only fields,
/// location spelling, id casing or write-only secrets), and changing one declared value in Azure must give an update
/// with exactly that path.
/// </summary>
public sealed class ArmExamplePlanTests
{
    public static TheoryData<string> Examples()
    {
        var data = new TheoryData<string>();
        foreach (var file in ArmExampleFixture.Files())
        {
            data.Add(file);
        }

        return data;
    }

    [Fact]
    public void Fixtures_Cover_At_Least_Fifteen_Resource_Types_With_Their_Source()
    {
        var files = ArmExampleFixture.Files().ToList();
        var types = files.Select(f => ArmExampleFixture.Load(f).Type).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        Assert.True(types.Count >= 15, $"only {types.Count} resource types: {string.Join(", ", types)}");
        foreach (var file in files)
        {
            var source = JsonNode.Parse(File.ReadAllText(Path.Combine(ArmExampleFixture.Directory, file)))!["source"]!;
            Assert.Equal("Azure/azure-rest-api-specs", source["repo"]!.GetValue<string>());
            Assert.Contains("/examples/", source["path"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Matches("^[0-9a-f]{40}$", source["commit"]!.GetValue<string>());
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Plan_Does_Not_Modify_Its_Inputs(string file)
    {
        var example = ArmExampleFixture.Load(file);
        var declared = example.Declared();
        var live = example.MutationPath is null ? (JsonObject)example.Response.DeepClone() : example.MutatedResponse();
        var liveBefore = live.DeepClone();
        var stale = PlanTestData.EntryFor(declared) with { Digest = "sha256:stale" };

        var result = PlanTestData.Plan([declared], new Dictionary<string, JsonObject> { [example.Id] = live }, [stale]);

        Assert.Equal(PlanAction.Update, Assert.Single(result.Changes).Action);
        Assert.True(JsonNode.DeepEquals(example.Request, declared.Body), $"{file}: declared body changed");
        Assert.True(JsonNode.DeepEquals(liveBefore, live), $"{file}: live body changed");
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Plan_Of_Request_Against_Its_Response_Has_No_False_Drift(string file)
    {
        var example = ArmExampleFixture.Load(file);
        var change = Assert.Single(PlanTestData.Plan(
            [example.Declared()],
            new Dictionary<string, JsonObject> { [example.Id] = example.Response }).Changes);

        if (example.KnownDifferences.Count == 0)
        {
            Assert.True(change.Action == PlanAction.Noop, $"{file}: {change.Action} {string.Join(", ", PlanTestData.Paths(change))}");
            Assert.Empty(change.Diffs);
            Assert.Equal(PlanReasons.Adopted, change.Reason);
        }
        else
        {
            Assert.Equal(PlanAction.Update, change.Action);
            Assert.Equal(example.KnownDifferences, PlanTestData.Paths(change));
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Plan_Against_Mutated_Response_Updates_Exactly_The_Mutated_Path(string file)
    {
        var example = ArmExampleFixture.Load(file);
        if (example.MutationPath is null)
        {
            // Only the key-vault secret: its one declared field is write-only (see the fixture's mutationNote and
            // RedactionTests), so there is nothing visible to mutate. Assert that fact rather than skip.
            Assert.All(example.Request["properties"]!.AsObject(), p => Assert.True(SecretProperties.IsSecret(example.Type, p.Key)));
            return;
        }

        var change = Assert.Single(PlanTestData.Plan(
            [example.Declared()],
            new Dictionary<string, JsonObject> { [example.Id] = example.MutatedResponse() }).Changes);

        Assert.Equal(PlanAction.Update, change.Action);
        var expected = example.KnownDifferences.Append(example.MutationPath).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, PlanTestData.Paths(change));
        var diff = change.Diffs.Single(d => d.Path == example.MutationPath);
        Assert.True(JsonNode.DeepEquals(example.MutationValue, diff.Live), $"{file}: live {diff.Live?.ToJsonString()}");
        Assert.NotNull(diff.Desired);
        Assert.False(diff.Redacted);
    }
}

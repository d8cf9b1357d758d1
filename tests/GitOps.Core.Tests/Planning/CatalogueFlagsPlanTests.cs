using System.Text.Json.Nodes;
using GitOps.Core.Planning;
using GitOps.Core.Schemas;
using static GitOps.Core.Tests.Planning.PlanTestData;

namespace GitOps.Core.Tests.Planning;

/// <summary>The planner follows the catalogue's flags handed to it on <c>DeclaredResource.Schema</c>; it loads nothing itself.</summary>
public sealed class CatalogueFlagsPlanTests
{
    private const string WidgetType = "Contoso.Widgets/widgets";
    private const string Secret = "N0t-A-Named-Secret!";
    private static readonly string WidgetId = $"/subscriptions/{Sub}/resourceGroups/rg-app/providers/{WidgetType}/w1";

    /// <summary>A type whose secret has no name the hand-written list knows, a read-only field and an enum.</summary>
    private static readonly ResourceTypeSchema Widget = new(WidgetType, "2024-01-01", new SchemaRef(Body()), ResourceScopes.ResourceGroup);

    private static ObjectSchema Body()
    {
        var tier = new UnionSchema([new SchemaRef(new StringLiteralSchema("Basic")), new SchemaRef(new StringLiteralSchema("Premium"))]);
        var rule = new ObjectSchema("Rule", new Dictionary<string, SchemaProperty>
        {
            ["name"] = new(new SchemaRef(StringSchema.Plain), SchemaPropertyFlags.Required),
            ["token"] = new(new SchemaRef(new StringSchema(Sensitive: true)), SchemaPropertyFlags.None),
            ["etag"] = new(new SchemaRef(StringSchema.Plain), SchemaPropertyFlags.ReadOnly),
        }, null);
        var properties = new ObjectSchema("WidgetProperties", new Dictionary<string, SchemaProperty>
        {
            ["tier"] = new(new SchemaRef(tier), SchemaPropertyFlags.None),
            ["label"] = new(new SchemaRef(StringSchema.Plain), SchemaPropertyFlags.None),
            ["provisioningHint"] = new(new SchemaRef(StringSchema.Plain), SchemaPropertyFlags.ReadOnly),
            ["activationCode"] = new(new SchemaRef(StringSchema.Plain), SchemaPropertyFlags.WriteOnly),
            ["rules"] = new(new SchemaRef(new ArraySchema(new SchemaRef(rule))), SchemaPropertyFlags.None),
        }, null);
        return new ObjectSchema("Widget", new Dictionary<string, SchemaProperty>
        {
            ["location"] = new(new SchemaRef(StringSchema.Plain), SchemaPropertyFlags.Required),
            ["properties"] = new(new SchemaRef(properties), SchemaPropertyFlags.None),
        }, null);
    }

    private static Core.Manifests.DeclaredResource Declared(string body, bool withSchema = true) =>
        Resource(WidgetId, body, type: WidgetType, apiVersion: "2024-01-01") with { Schema = withSchema ? Widget : null };

    [Fact]
    public void Read_Only_Property_Is_Never_Drift()
    {
        var change = PlanOne(Declared("""{"properties":{"provisioningHint":"mine","label":"a"}}"""), """{"properties":{"provisioningHint":"theirs","label":"a"}}""");

        Assert.Equal(PlanAction.Noop, change.Action);
    }

    [Fact]
    public void Without_The_Catalogue_The_Same_Difference_Is_Drift()
    {
        var change = PlanOne(Declared("""{"properties":{"provisioningHint":"mine","label":"a"}}""", withSchema: false), """{"properties":{"provisioningHint":"theirs","label":"a"}}""");

        Assert.Equal(PlanAction.Update, change.Action);
    }

    [Fact]
    public void Write_Only_Property_Is_Not_Diffed_Against_Azure()
    {
        var change = PlanOne(Declared($$$"""{"properties":{"activationCode":"{{{Secret}}}"}}"""), """{"properties":{"activationCode":"other"}}""");

        Assert.Equal(PlanAction.Noop, change.Action);
    }

    [Fact]
    public void Write_Only_Change_Is_Found_Through_The_Digest_And_Redacted()
    {
        var applied = Declared("""{"properties":{"activationCode":"old","label":"a"}}""");
        var now = Declared($$$"""{"properties":{"activationCode":"{{{Secret}}}","label":"a"}}""");

        var change = PlanOne(now, """{"properties":{"label":"a"}}""", [EntryFor(applied)]);

        Assert.Equal(PlanAction.Update, change.Action);
        var diff = Assert.Single(change.Diffs);
        Assert.Equal("/properties/activationCode", diff.Path);
        Assert.True(diff.Redacted);
        Assert.Equal(SecretProperties.RedactedMarker, diff.Desired!.GetValue<string>());
    }

    [Fact]
    public void Secure_String_Inside_A_Diffed_Element_Is_Redacted()
    {
        var change = PlanOne(
            Declared($$$"""{"properties":{"rules":[{"name":"r1","token":"{{{Secret}}}"}]}}"""),
            """{"properties":{"rules":[]}}""");

        Assert.Equal(PlanAction.Update, change.Action);
        var diff = Assert.Single(change.Diffs);
        Assert.Equal("/properties/rules/0", diff.Path);
        Assert.True(diff.Redacted);
        Assert.DoesNotContain(Secret, diff.Desired!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("r1", diff.Desired["name"]!.GetValue<string>());
    }

    [Fact]
    public void Read_Only_Field_Inside_A_Named_Element_Is_Never_Drift()
    {
        var change = PlanOne(
            Declared("""{"properties":{"rules":[{"name":"r1","etag":"W/1"}]}}"""),
            """{"properties":{"rules":[{"name":"r1","etag":"W/2"}]}}""");

        Assert.Equal(PlanAction.Noop, change.Action);
    }

    [Fact]
    public void Enum_Value_In_Other_Casing_Is_Not_Drift()
    {
        var change = PlanOne(Declared("""{"properties":{"tier":"premium"}}"""), """{"properties":{"tier":"Premium"}}""");

        Assert.Equal(PlanAction.Noop, change.Action);
    }

    [Fact]
    public void Free_Text_In_Other_Casing_Is_Still_Drift()
    {
        var change = PlanOne(Declared("""{"properties":{"label":"Blue"}}"""), """{"properties":{"label":"blue"}}""");

        var diff = Assert.Single(change.Diffs);
        Assert.Equal("/properties/label", diff.Path);
    }

    [Fact]
    public void Different_Enum_Value_Is_Drift()
    {
        var change = PlanOne(Declared("""{"properties":{"tier":"Basic"}}"""), """{"properties":{"tier":"Premium"}}""");

        Assert.Equal(PlanAction.Update, change.Action);
        Assert.Equal("/properties/tier", Assert.Single(change.Diffs).Path);
    }

    [Fact]
    public void Schema_Is_Only_Read_The_Planner_Gets_It_As_A_Value()
    {
        // The same input planned twice gives the same result: the schema is a value on the input, nothing is loaded.
        var resource = Declared("""{"properties":{"tier":"premium","label":"a"}}""");
        var first = PlanOne(resource, """{"properties":{"tier":"Premium","label":"b"}}""");
        var second = PlanOne(resource, """{"properties":{"tier":"Premium","label":"b"}}""");

        Assert.Equal(first.Diffs.Select(d => d.Path), second.Diffs.Select(d => d.Path));
        Assert.Equal(["/properties/label"], first.Diffs.Select(d => d.Path));
        Assert.Equal(JsonValue.Create("b")!.ToJsonString(), first.Diffs[0].Live!.ToJsonString());
    }
}

using System.Text.Json.Nodes;

namespace GitOps.Core.Tests.Schemas;

public class JsonSchemaValidatorTests
{
    private static IReadOnlyList<string> Check(string schema, string instance) =>
        new JsonSchemaValidator(JsonNode.Parse(schema)!.AsObject()).Validate(JsonNode.Parse(instance));

    private static void Valid(string schema, string instance) =>
        Assert.True(Check(schema, instance).Count == 0, string.Join("\n", Check(schema, instance)));

    private static string Invalid(string schema, string instance) => Assert.Single(Check(schema, instance));

    [Theory]
    [InlineData("\"string\"", "\"a\"", "1")]
    [InlineData("\"integer\"", "3", "3.5")]
    [InlineData("\"number\"", "3.5", "\"3.5\"")]
    [InlineData("\"boolean\"", "false", "\"false\"")]
    [InlineData("\"null\"", "null", "0")]
    [InlineData("\"object\"", "{}", "[]")]
    [InlineData("\"array\"", "[]", "{}")]
    [InlineData("[\"string\", \"number\"]", "2", "true")]
    public void Type_Accepts_Its_Kind_And_Rejects_Others(string type, string good, string bad)
    {
        var schema = $$"""{ "type": {{type}} }""";
        Valid(schema, good);
        Assert.Contains("expected", Invalid(schema, bad));
    }

    [Fact]
    public void Required_And_AdditionalProperties_False_Name_The_Field()
    {
        const string Schema = """{ "type": "object", "additionalProperties": false, "required": ["name"], "properties": { "name": { "type": "string" } } }""";
        Valid(Schema, """{ "name": "a" }""");
        Assert.Equal("/: 'name' is required.", Invalid(Schema, "{}"));
        Assert.Equal("/propertes: 'propertes' is not allowed here.", Invalid(Schema, """{ "name": "a", "propertes": {} }"""));
    }

    [Fact]
    public void AdditionalProperties_Schema_And_PropertyNames_Apply_To_Every_Other_Key()
    {
        const string Schema = """{ "type": "object", "propertyNames": { "pattern": "^[a-z]+$" }, "additionalProperties": { "type": "string", "maxLength": 3 } }""";
        Valid(Schema, """{ "ab": "xyz" }""");
        Assert.Contains("longer than 3", Invalid(Schema, """{ "ab": "wxyz" }"""));
        Assert.Contains("does not match", Invalid(Schema, """{ "AB": "x" }"""));
    }

    [Fact]
    public void Min_And_Max_Properties_Count_Keys()
    {
        const string Schema = """{ "type": "object", "minProperties": 1, "maxProperties": 2 }""";
        Valid(Schema, """{ "a": 1 }""");
        Assert.Contains("at least 1", Invalid(Schema, "{}"));
        Assert.Contains("at most 2", Invalid(Schema, """{ "a": 1, "b": 2, "c": 3 }"""));
    }

    [Fact]
    public void Items_And_MinItems_Check_Every_Element_With_Its_Index()
    {
        const string Schema = """{ "type": "array", "minItems": 1, "items": { "type": "string" } }""";
        Valid(Schema, """["a", "b"]""");
        Assert.Contains("at least 1", Invalid(Schema, "[]"));
        Assert.StartsWith("/1:", Invalid(Schema, """["a", 2]"""));
    }

    [Fact]
    public void Enum_Compares_Values_And_Types_Exactly()
    {
        const string Schema = """{ "enum": [1, "1", "manage"] }""";
        Valid(Schema, "1");
        Valid(Schema, "\"1\"");
        Assert.Contains("is not one of", Invalid(Schema, "\"Manage\""));
        Assert.Contains("is not one of", Invalid(Schema, "true"));
    }

    [Fact]
    public void Pattern_Is_Unanchored_Like_Ecma262()
    {
        Valid("""{ "pattern": "\\$\\{\\{" }""", "\"rg-${{ env.name }}\"");
        Assert.Contains("does not match", Invalid("""{ "pattern": "^a$" }""", "\"ba\""));
    }

    [Fact]
    public void String_Length_Counts_Code_Points()
    {
        Valid("""{ "maxLength": 1 }""", "\"\\uD83D\\uDE00\"");
        Assert.Contains("shorter than 1", Invalid("""{ "minLength": 1 }""", "\"\""));
    }

    [Fact]
    public void Minimum_And_Maximum_Bound_Numbers()
    {
        const string Schema = """{ "type": "integer", "minimum": 0, "maximum": 10 }""";
        Valid(Schema, "0");
        Assert.Contains("less than 0", Invalid(Schema, "-1"));
        Assert.Contains("more than 10", Invalid(Schema, "11"));
    }

    [Fact]
    public void AnyOf_Needs_One_Match_And_OneOf_Exactly_One()
    {
        Valid("""{ "anyOf": [ { "type": "string" }, { "minimum": 0 } ] }""", "\"x\"");
        Assert.Contains("none of the 2", Invalid("""{ "anyOf": [ { "type": "string" }, { "type": "boolean" } ] }""", "1"));

        const string OneOf = """{ "oneOf": [ { "required": ["a"] }, { "required": ["b"] } ] }""";
        Valid(OneOf, """{ "a": 1 }""");
        Assert.Contains("matches 2 of the 2", Invalid(OneOf, """{ "a": 1, "b": 2 }"""));
        Assert.Contains("matches 0 of the 2", Invalid(OneOf, """{ "c": 1 }"""));
    }

    [Fact]
    public void Not_Rejects_What_Its_Schema_Accepts()
    {
        const string Schema = """{ "type": "string", "not": { "pattern": "\\$\\{\\{" } }""";
        Valid(Schema, "\"westeurope\"");
        Assert.Contains("not allowed", Invalid(Schema, "\"${{ vars.x }}\""));
    }

    [Fact]
    public void Ref_Resolves_Definitions_And_Ignores_Its_Siblings_As_Draft7_Does()
    {
        const string Schema = """{ "definitions": { "s": { "type": "string" } }, "properties": { "a": { "$ref": "#/definitions/s", "type": "number" } } }""";
        Valid(Schema, """{ "a": "text" }""");
        Assert.StartsWith("/a:", Invalid(Schema, """{ "a": 1 }"""));
    }

    [Fact]
    public void Unknown_Keywords_And_Foreign_Refs_Are_Refused_Instead_Of_Skipped()
    {
        var unknown = Assert.Throws<NotSupportedException>(() => Check("""{ "properties": { "a": { "const": 1 } } }""", "{}"));
        Assert.Contains("'const'", unknown.Message);
        Assert.Throws<NotSupportedException>(() => Check("""{ "$ref": "other.json#/x" }""", "{}"));
    }
}

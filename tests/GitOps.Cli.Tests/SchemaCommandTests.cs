using System.Text.Json.Nodes;

namespace GitOps.Cli.Tests;

public sealed class SchemaCommandTests
{
    [Fact]
    public async Task Schema_Prints_A_Draft_07_Schema_Typed_From_The_Catalogue()
    {
        var (code, output, error) = await CliRunner.RunAsync("schema", "Microsoft.Storage/storageAccounts@2023-05-01");

        Assert.True(code == ExitCodes.Success, error);
        var schema = JsonNode.Parse(output)!.AsObject();
        Assert.Equal("http://json-schema.org/draft-07/schema#", schema["$schema"]!.GetValue<string>());
        Assert.Equal("Microsoft.Storage/storageAccounts@2023-05-01", schema["properties"]!["type"]!["enum"]![0]!.GetValue<string>());
        Assert.NotNull(schema["properties"]!["reconcile"]);
        var properties = schema["definitions"]!.AsObject().Single(d => d.Key.StartsWith("StorageAccountPropertiesCreateParameters", StringComparison.Ordinal)).Value!;
        Assert.NotNull(properties["properties"]!["minimumTlsVersion"]);
        Assert.Null(properties["properties"]!["provisioningState"]);
        Assert.False(properties["additionalProperties"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Schema_For_An_Unknown_Api_Version_Names_The_Closest_Known_Ones()
    {
        var (code, output, error) = await CliRunner.RunAsync("schema", "Microsoft.Storage/storageAccounts@2023-05-02");

        Assert.Equal(ExitCodes.Error, code);
        Assert.Empty(output);
        Assert.Contains("closest known versions, newest stable first:", error, StringComparison.Ordinal);
        Assert.Contains("2023-05-01", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schema_Without_An_Api_Version_Says_How_To_Write_It()
    {
        var (code, _, error) = await CliRunner.RunAsync("schema", "Microsoft.Storage/storageAccounts");

        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("is not TYPE@API-VERSION", error, StringComparison.Ordinal);
    }
}

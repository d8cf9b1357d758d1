using System.Text.Json.Nodes;
using GitOps.Core.Manifests;
using GitOps.Core.Planning;
using GitOps.Core.Pointers;

namespace GitOps.Core.Tests.Planning;

/// <summary>
/// One PUT example pair from Azure/azure-rest-api-specs (<c>x-ms-examples</c>): the request body and the body ARM
/// answered with, copied unchanged into <c>testdata/arm-examples</c> with their source.
/// </summary>
internal sealed record ArmExampleFixture(
    string File,
    string Type,
    string ApiVersion,
    JsonObject Request,
    JsonObject Response,
    string? MutationPath,
    JsonNode? MutationValue,
    IReadOnlyList<string> KnownDifferences)
{
    public static string Directory { get; } = FindDirectory();

    public static IEnumerable<string> Files() =>
        System.IO.Directory.EnumerateFiles(Directory, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static ArmExampleFixture Load(string file)
    {
        var root = JsonNode.Parse(System.IO.File.ReadAllText(Path.Combine(Directory, file)))!.AsObject();
        var mutation = root["mutation"] as JsonObject;
        return new ArmExampleFixture(
            file,
            root["type"]!.GetValue<string>(),
            root["apiVersion"]!.GetValue<string>(),
            root["request"]!.AsObject(),
            root["response"]!.AsObject(),
            mutation?["path"]?.GetValue<string>(),
            mutation?["value"]?.DeepClone(),
            (root["knownDifferences"] as JsonArray)?.Select(n => n!.GetValue<string>()).ToList() ?? []);
    }

    /// <summary>The id ARM answered with, or one built from the type when the example has none.</summary>
    public string Id => Response["id"]?.GetValue<string>()
        ?? ResourceIds.Build(Type, Response["name"]?.GetValue<string>() ?? "example", PlanTestData.Sub, "rg-example", null);

    public DeclaredResource Declared() => new()
    {
        Id = Id,
        Type = Type,
        ApiVersion = ApiVersion,
        Name = Id[(Id.LastIndexOf('/') + 1)..],
        Body = (JsonObject)Request.DeepClone(),
        Location = new SourceLocation(File, 0, 0),
    };

    /// <summary>A copy of the response with the value at <see cref="MutationPath"/> replaced.</summary>
    public JsonObject MutatedResponse()
    {
        var copy = (JsonObject)Response.DeepClone();
        Assert.True(JsonPointer.Replace(copy, MutationPath!, MutationValue!.DeepClone()), $"{File}: {MutationPath} names no field of the response.");
        return copy;
    }

    private static string FindDirectory()
    {
        // The fixtures live next to the test sources; walk up from the test binaries to find them.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "testdata", "arm-examples");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"testdata/arm-examples not found above {AppContext.BaseDirectory}");
    }
}

using System.Text.Json.Nodes;
using GitOps.Core.Inventory;
using GitOps.Core.Manifests;

namespace GitOps.Core.Tests.Inventory;

public sealed class DeclarationDigestTests
{
    private static DeclaredResource Resource(JsonObject body, string apiVersion = "2023-05-01") => new()
    {
        Id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st",
        Type = "Microsoft.Storage/storageAccounts",
        ApiVersion = apiVersion,
        Name = "st",
        Body = body,
    };

    [Fact]
    public void Digest_Ignores_Key_Order_At_Every_Depth()
    {
        var a = Resource(JsonNode.Parse("""{"location":"westeurope","properties":{"a":1,"b":[{"x":1,"y":2}]}}""")!.AsObject());
        var b = Resource(JsonNode.Parse("""{"properties":{"b":[{"y":2,"x":1}],"a":1},"location":"westeurope"}""")!.AsObject());

        Assert.Equal(DeclarationDigest.Compute(a), DeclarationDigest.Compute(b));
        Assert.StartsWith("sha256:", DeclarationDigest.Compute(a), StringComparison.Ordinal);
        Assert.Equal(71, DeclarationDigest.Compute(a).Length);
    }

    [Fact]
    public void Digest_Changes_With_Any_Value_Array_Order_Or_Api_Version()
    {
        var body = """{"properties":{"password":"one","list":[1,2]}}""";
        var baseline = DeclarationDigest.Compute(Resource(JsonNode.Parse(body)!.AsObject()));

        Assert.NotEqual(baseline, DeclarationDigest.Compute(Resource(JsonNode.Parse(body.Replace("one", "two"))!.AsObject())));
        Assert.NotEqual(baseline, DeclarationDigest.Compute(Resource(JsonNode.Parse(body.Replace("[1,2]", "[2,1]"))!.AsObject())));
        Assert.NotEqual(baseline, DeclarationDigest.Compute(Resource(JsonNode.Parse(body)!.AsObject(), "2024-01-01")));
    }

    [Fact]
    public void Canonical_Form_Sorts_Keys_Ordinally()
    {
        Assert.Equal("""{"B":1,"a":{"c":null,"d":true}}""", DeclarationDigest.Canonical(JsonNode.Parse("""{"a":{"d":true,"c":null},"B":1}""")));
    }
}

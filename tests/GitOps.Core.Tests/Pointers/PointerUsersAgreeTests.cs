using GitOps.Core.Apply;
using GitOps.Core.Policy;
using static GitOps.Core.Tests.Planning.PlanTestData;

namespace GitOps.Core.Tests.Pointers;

/// <summary>
/// Secrets, reconcile.ignore and policy asserts read array indices by the same rule: before they shared one walker,
/// "+1" and " 1" named element 1 for the first two and nothing for policy.
/// </summary>
public sealed class PointerUsersAgreeTests
{
    private const string Body = """{"properties":{"rules":["a","b"]}}""";

    [Theory]
    [InlineData("/properties/rules/1", true)]
    [InlineData("/properties/rules/+1", false)]
    [InlineData("/properties/rules/ 1", false)]
    [InlineData("/properties/rules/01", false)]
    public void Secrets_Ignore_And_Policy_Find_The_Same_Elements(string pointer, bool names)
    {
        var secretBody = Json(Body);
        var wroteSecret = SecretFields.TrySet(secretBody, pointer, "secret");
        var readSecret = SecretFields.TryGet(Json(Body), pointer);
        var ignored = IgnoredFields.Preserve(Json(Body), Json("""{"properties":{"rules":["x","y"]}}"""), [pointer]);
        var asserted = new PropertyAssertion(pointer, AssertionOperator.Exists, []).Check(Resource(StorageId("st"), Body));

        Assert.Equal(names, wroteSecret);
        Assert.Equal(names ? """["a","secret"]""" : """["a","b"]""", secretBody["properties"]!["rules"]!.ToJsonString());
        Assert.Equal(names ? "b" : null, readSecret);
        Assert.Equal(names ? """["a","y"]""" : """["a","b"]""", ignored["properties"]!["rules"]!.ToJsonString());
        Assert.Equal(names, !asserted.Any());
    }
}

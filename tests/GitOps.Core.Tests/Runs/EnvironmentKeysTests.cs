using GitOps.Core.Runs;

namespace GitOps.Core.Tests.Runs;

public sealed class EnvironmentKeysTests
{
    [Theory]
    [InlineData("prod")]
    [InlineData("a")]
    [InlineData("eu-west-1")]
    [InlineData("0")]
    public void Lowercase_Names_Of_Letters_Digits_And_Inner_Hyphens_Are_Valid(string name) =>
        Assert.True(EnvironmentKeys.IsValidName(name));

    [Theory]
    [InlineData("")]
    [InlineData("Prod")]
    [InlineData("-prod")]
    [InlineData("prod-")]
    [InlineData("pr_od")]
    [InlineData("pr.od")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a b")]
    [InlineData("prød")]
    public void Anything_Else_Is_Not_A_Name(string name) =>
        Assert.False(EnvironmentKeys.IsValidName(name));

    [Fact]
    public void A_Name_Is_At_Most_63_Characters()
    {
        Assert.True(EnvironmentKeys.IsValidName(new string('e', 63)));
        Assert.False(EnvironmentKeys.IsValidName(new string('e', 64)));
        Assert.False(EnvironmentKeys.IsValidName(null));
    }

    [Fact]
    public void Every_Valid_Name_Is_Also_A_Plain_Storage_Segment()
    {
        // The stores check keys with the wider plain-segment rule: a declared name must never be refused there.
        foreach (var name in new[] { "prod", new string('z', 63), "a-0-b" })
        {
            Assert.True(EnvironmentKeys.IsValidName(name));
            Assert.True(GitOps.Core.Reconcile.EnvironmentCatalog.IsPlainName(name));
        }
    }
}

using GitOps.Core.Planning;

namespace GitOps.Core.Tests.Planning;

public sealed class JsonPointerTests
{
    [Theory]
    [InlineData("a/b", "a~1b")]
    [InlineData("m~n", "m~0n")]
    [InlineData("~/", "~0~1")]
    [InlineData("plain", "plain")]
    public void Escape_And_Unescape_Round_Trip(string segment, string escaped)
    {
        Assert.Equal(escaped, JsonPointer.Escape(segment));
        Assert.Equal(segment, JsonPointer.Unescape(escaped));
    }

    [Fact]
    public void Unescape_Applies_Tilde_One_Before_Tilde_Zero() => Assert.Equal("~1", JsonPointer.Unescape("~01"));

    [Theory]
    [InlineData("/properties/networkAcls", "/properties/networkAcls", true)]
    [InlineData("/properties/networkAcls/ipRules/0", "/properties/networkAcls", true)]
    [InlineData("/properties/networkAclsX", "/properties/networkAcls", false)]
    [InlineData("/properties", "/properties/networkAcls", false)]
    [InlineData("/anything", "", true)]
    public void IsSameOrUnder_Is_Segment_Wise(string path, string prefix, bool expected) =>
        Assert.Equal(expected, JsonPointer.IsSameOrUnder(path, prefix));
}

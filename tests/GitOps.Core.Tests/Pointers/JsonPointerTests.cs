using System.Text.Json.Nodes;
using GitOps.Core.Pointers;

namespace GitOps.Core.Tests.Pointers;

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

    [Theory]
    [InlineData("0", 0)]
    [InlineData("2", 2)]
    [InlineData("10", 10)]
    public void An_Index_Of_Digits_Without_Leading_Zero_Names_The_Element(string token, int expected)
    {
        Assert.True(JsonPointer.TryGetIndex(token, 11, out var index));
        Assert.Equal(expected, index);
    }

    [Theory]
    [InlineData("01")]
    [InlineData("00")]
    [InlineData("+1")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("-1")]
    [InlineData("-")]
    [InlineData("1e0")]
    [InlineData("")]
    [InlineData("\u0661")]
    [InlineData("99999999999")]
    public void A_Token_That_Is_Not_An_RFC_6901_Index_Names_No_Element(string token) =>
        Assert.False(JsonPointer.TryGetIndex(token, int.MaxValue, out _));

    [Fact]
    public void An_Index_Past_The_End_Names_No_Element() => Assert.False(JsonPointer.TryGetIndex("3", 3, out _));

    [Theory]
    [InlineData("/a/1", true)]
    [InlineData("/a/01", false)]
    [InlineData("/a/+1", false)]
    [InlineData("/a/ 1", false)]
    [InlineData("/a/-", false)]
    public void Find_Applies_The_Index_Rules(string pointer, bool found)
    {
        var body = JsonNode.Parse("""{"a":["x","y"]}""")!;

        Assert.Equal(found, JsonPointer.TryFind(body, pointer, out var value));
        Assert.Equal(found ? "y" : null, value?.GetValue<string>());
    }

    [Fact]
    public void Find_Tells_A_Null_Member_From_A_Missing_One()
    {
        var body = JsonNode.Parse("""{"a":null}""")!;

        Assert.True(JsonPointer.TryFind(body, "/a", out var present));
        Assert.Null(present);
        Assert.False(JsonPointer.TryFind(body, "/b", out _));
        Assert.True(JsonPointer.TryFind(body, "", out var whole));
        Assert.Same(body, whole);
    }

    [Fact]
    public void Find_Unescapes_Tokens() =>
        Assert.Equal(1, JsonPointer.Find(JsonNode.Parse("""{"a/b":{"m~n":1}}"""), "/a~1b/m~0n")!.GetValue<int>());

    [Theory]
    [InlineData("a")]
    [InlineData("/a~2")]
    [InlineData("/a~")]
    public void A_Malformed_Pointer_Names_Nothing(string pointer)
    {
        var body = JsonNode.Parse("""{"a":1,"a~2":2,"a~":3}""")!;

        Assert.False(JsonPointer.IsValid(pointer));
        Assert.False(JsonPointer.TryFind(body, pointer, out _));
        Assert.False(JsonPointer.Set(body, pointer, 9));
        Assert.False(JsonPointer.Replace(body, pointer, 9));
        Assert.False(JsonPointer.Remove(body, pointer));
        Assert.Equal("""{"a":1,"a~2":2,"a~":3}""", body.ToJsonString());
    }

    [Fact]
    public void Replace_Changes_Existing_Members_And_Elements_Only()
    {
        var body = JsonNode.Parse("""{"a":[1,2],"b":null}""")!;

        Assert.True(JsonPointer.Replace(body, "/a/1", 5));
        Assert.True(JsonPointer.Replace(body, "/b", 6));
        Assert.False(JsonPointer.Replace(body, "/c", 7));
        Assert.False(JsonPointer.Replace(body, "/a/2", 7));
        Assert.False(JsonPointer.Replace(body, "/a/-", 7));
        Assert.False(JsonPointer.Replace(body, "", 7));
        Assert.Equal("""{"a":[1,5],"b":6}""", body.ToJsonString());
    }

    [Fact]
    public void Set_Creates_Missing_Objects_And_Appends_Only_At_Dash()
    {
        var body = JsonNode.Parse("""{"a":[1],"s":"text"}""")!;

        Assert.True(JsonPointer.Set(body, "/x/y/z", 1));
        Assert.True(JsonPointer.Set(body, "/a/-", 2));
        Assert.True(JsonPointer.Set(body, "/a/0", 0));
        Assert.False(JsonPointer.Set(body, "/a/5", 3));
        Assert.False(JsonPointer.Set(body, "/a/01", 3));
        Assert.False(JsonPointer.Set(body, "/s/t", 3));
        Assert.Equal("""{"a":[0,2],"s":"text","x":{"y":{"z":1}}}""", body.ToJsonString());
    }

    [Fact]
    public void Remove_Removes_Object_Members_But_Never_Shifts_An_Array()
    {
        var body = JsonNode.Parse("""{"a":[1,2],"b":{"c":1}}""")!;

        Assert.True(JsonPointer.Remove(body, "/b/c"));
        Assert.False(JsonPointer.Remove(body, "/b/c"));
        Assert.False(JsonPointer.Remove(body, "/a/0"));
        Assert.False(JsonPointer.Remove(body, ""));
        Assert.Equal("""{"a":[1,2],"b":{}}""", body.ToJsonString());
    }
}

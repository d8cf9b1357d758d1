namespace GitOps.Functions.Tests;

public sealed class HandlerPortTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Custom_Handler_Port_Wins_Over_The_Legacy_Variable()
    {
        Assert.Equal(40001, HandlerPort.Resolve([], Environment(("FUNCTIONS_CUSTOMHANDLER_PORT", "40001"), ("FUNCTIONS_HTTPWORKER_PORT", "40002"))));
    }

    [Fact]
    public void Legacy_Variable_Is_Used_When_Alone()
    {
        Assert.Equal(40002, HandlerPort.Resolve([], Environment(("FUNCTIONS_HTTPWORKER_PORT", "40002"))));
    }

    [Fact]
    public void Port_Argument_Wins()
    {
        Assert.Equal(7072, HandlerPort.Resolve(["--port", "7072"], Environment(("FUNCTIONS_CUSTOMHANDLER_PORT", "40001"))));
    }

    [Fact]
    public void Missing_Port_Explains_Who_Sets_It()
    {
        var error = Assert.Throws<InvalidOperationException>(() => HandlerPort.Resolve([], Environment()));

        Assert.Contains("FUNCTIONS_CUSTOMHANDLER_PORT is not set", error.Message, StringComparison.Ordinal);
        Assert.Contains("--port", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("70000")]
    public void Invalid_Port_Names_The_Source(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => HandlerPort.Resolve([], Environment(("FUNCTIONS_CUSTOMHANDLER_PORT", value))));

        Assert.Contains($"FUNCTIONS_CUSTOMHANDLER_PORT is '{value}'", error.Message, StringComparison.Ordinal);
    }
}

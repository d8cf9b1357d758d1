using System.Text;
using System.Text.Json.Nodes;
using GitOps.Functions.Invocation;

namespace GitOps.Functions.Tests;

public sealed class QueuePayloadDecoderTests
{
    private const string Job = "{\"jobId\":\"j1\"}";

    public static TheoryData<string, string> Messages => new()
    {
        // The captured host payload: a JSON string whose text is a quoted JSON string.
        { "\"\\\"aaaaa\\\"\"", "aaaaa" },
        { "\"\\\"{\\\\\\\"jobId\\\\\\\":\\\\\\\"j1\\\\\\\"}\\\"\"", Job },
        // The docs' single encoding.
        { "\"{\\\"jobId\\\":\\\"j1\\\"}\"", Job },
        // Base64 of the JSON, plain and quoted.
        { "\"" + Convert.ToBase64String(Encoding.UTF8.GetBytes(Job)) + "\"", Job },
        { "\"\\\"" + Convert.ToBase64String(Encoding.UTF8.GetBytes(Job)) + "\\\"\"", Job },
        // An object.
        { Job, Job },
        // Plain text and Base64 of non-JSON stay as they are (the job parser then says what is wrong).
        { "\"hello\"", "hello" },
        { "\"aGVsbG8=\"", "aGVsbG8=" },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Message_Is_Recovered_From_Every_Encoding(string valueJson, string expected)
    {
        Assert.Equal(expected, QueuePayloadDecoder.DecodeMessage(JsonNode.Parse(valueJson)));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("42")]
    [InlineData("[1]")]
    public void Missing_Or_Non_Text_Message_Is_A_Format_Error(string valueJson)
    {
        Assert.Throws<FormatException>(() => QueuePayloadDecoder.DecodeMessage(JsonNode.Parse(valueJson)));
    }

    [Theory]
    [InlineData("3", 3)]
    [InlineData("\"3\"", 3)]
    [InlineData("\"\\\"4\\\"\"", 4)]
    [InlineData("0", 1)]
    [InlineData("\"x\"", 1)]
    [InlineData("null", 1)]
    public void Dequeue_Count_Is_Read_As_Number_Or_String(string valueJson, int expected)
    {
        Assert.Equal(expected, QueuePayloadDecoder.DequeueCount(JsonNode.Parse(valueJson)));
    }

    [Fact]
    public void Quoted_Id_And_PopReceipt_Lose_Their_Quotes()
    {
        Assert.Equal("a0004923-f050-417a-9742-6d7c7b984134", QueuePayloadDecoder.Text(JsonValue.Create("\"a0004923-f050-417a-9742-6d7c7b984134\"")));
        Assert.Equal("AgAAAAMAAAAAAAAA8d5gQex+2AE=", QueuePayloadDecoder.Text(JsonValue.Create("\"AgAAAAMAAAAAAAAA8d5gQex+2AE=\"")));
        Assert.Equal("plain", QueuePayloadDecoder.Text(JsonValue.Create("plain")));
        Assert.Null(QueuePayloadDecoder.Text(null));
    }

    [Fact]
    public void Binding_Falls_Back_To_The_Only_Data_Entry_And_Ignores_Case()
    {
        var request = InvocationRequest.Parse(Encoding.UTF8.GetBytes("{\"data\":{\"myQueueItem\":\"x\"},\"metadata\":{\"dequeueCount\":2}}"));

        Assert.Equal("x", request.Binding("message")!.GetValue<string>());
        Assert.Equal(2, QueuePayloadDecoder.DequeueCount(request.MetadataValue("DequeueCount")));
    }
}

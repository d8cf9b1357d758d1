using System.Text;
using GitOps.Storage.Queues;
using GitOps.Testing;

namespace GitOps.Storage.Tests;

[Collection(AzuriteCollection.Name)]
[Trait("Category", "Integration")]
public sealed class QueueClientTests(AzuriteFixture azurite)
{
    private async Task<StorageQueueClient> NewQueueAsync(QueueMessageEncoding encoding = QueueMessageEncoding.Base64)
    {
        var client = new StorageQueueClient(
            StorageConnection.Parse(azurite.ConnectionString),
            AzuriteFixture.UniqueName("q"),
            new StorageQueueClientOptions { MessageEncoding = encoding });
        Assert.True(await client.CreateIfNotExistsAsync());
        return client;
    }

    [Fact]
    public async Task Create_Is_Idempotent()
    {
        StorageQueueClient queue = await NewQueueAsync();
        Assert.False(await queue.CreateIfNotExistsAsync());
        Assert.True(await queue.DeleteIfExistsAsync());
        Assert.False(await queue.DeleteIfExistsAsync());
    }

    [Fact]
    public async Task Put_Stores_Base64_Utf8_Json_And_Receive_Decodes_It()
    {
        StorageQueueClient queue = await NewQueueAsync();
        const string json = "{\"job\":1,\"env\":\"prød\"}";

        QueueSendReceipt sent = await queue.SendMessageAsync(json);
        IReadOnlyList<QueueMessage> received = await queue.ReceiveMessagesAsync();

        QueueMessage message = Assert.Single(received);
        Assert.Equal(sent.MessageId, message.MessageId);
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes(json)), message.RawText);
        Assert.Equal(json, message.Text);
        Assert.Equal(1, message.DequeueCount);
        Assert.True(message.ExpirationTime > message.InsertionTime.AddDays(6));
    }

    [Fact]
    public async Task The_Documented_Functions_Example_Is_Stored_As_Given()
    {
        StorageQueueClient queue = await NewQueueAsync();
        await queue.SendMessageAsync("{\"job\":1}");
        PeekedQueueMessage peeked = Assert.Single(await queue.PeekMessagesAsync());
        Assert.Equal("eyJqb2IiOjF9", peeked.RawText);
    }

    [Fact]
    public async Task Encoding_None_Round_Trips_Xml_Special_Characters()
    {
        StorageQueueClient queue = await NewQueueAsync(QueueMessageEncoding.None);
        const string text = "<a href=\"x\">&amp; ' </a>";
        await queue.SendMessageAsync(text);
        QueueMessage message = Assert.Single(await queue.ReceiveMessagesAsync());
        Assert.Equal(text, message.RawText);
        Assert.Equal(text, message.Text);
    }

    [Fact]
    public async Task Encoding_None_Keeps_Line_Breaks_Exactly()
    {
        StorageQueueClient queue = await NewQueueAsync(QueueMessageEncoding.None);
        const string text = "line1\r\nline2\rline3\n\ttabbed";
        await queue.SendMessageAsync(text);
        Assert.Equal(text, Assert.Single(await queue.ReceiveMessagesAsync()).Text);
    }

    [Fact]
    public async Task Encoding_None_Refuses_Characters_Xml_Cannot_Carry()
    {
        StorageQueueClient queue = await NewQueueAsync(QueueMessageEncoding.None);
        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => queue.SendMessageAsync("bell\u0007"));
        Assert.Contains("QueueMessageEncoding.Base64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_Is_Null_When_A_Base64_Queue_Holds_Undecodable_Text()
    {
        StorageQueueClient queue = await NewQueueAsync();
        await queue.SendRawMessageAsync("not base64 at all!");
        QueueMessage message = Assert.Single(await queue.ReceiveMessagesAsync());
        Assert.Equal("not base64 at all!", message.RawText);
        Assert.Null(message.Text);
    }

    [Fact]
    public async Task Received_Message_Is_Hidden_Then_Reappears_With_Higher_Dequeue_Count()
    {
        StorageQueueClient queue = await NewQueueAsync();
        await queue.SendMessageAsync("{}");

        QueueMessage first = Assert.Single(await queue.ReceiveMessagesAsync(visibilityTimeout: TimeSpan.FromSeconds(1)));
        Assert.Empty(await queue.ReceiveMessagesAsync());

        QueueMessage second = await PollForMessageAsync(queue, TimeSpan.FromSeconds(10));
        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Equal(2, second.DequeueCount);
        Assert.NotEqual(first.PopReceipt, second.PopReceipt);
    }

    [Fact]
    public async Task Visibility_Delay_Hides_A_New_Message()
    {
        StorageQueueClient queue = await NewQueueAsync();
        QueueSendReceipt receipt = await queue.SendMessageAsync("{}", visibilityDelay: TimeSpan.FromSeconds(60), timeToLive: TimeSpan.FromMinutes(5));
        Assert.True(receipt.NextVisibleOn >= receipt.InsertionTime.AddSeconds(59));
        Assert.True(receipt.ExpirationTime <= receipt.InsertionTime.AddMinutes(5).AddSeconds(1));
        Assert.Empty(await queue.ReceiveMessagesAsync());
        Assert.Equal(1, await queue.GetApproximateMessageCountAsync());
    }

    [Fact]
    public async Task Infinite_Time_To_Live_Never_Expires()
    {
        StorageQueueClient queue = await NewQueueAsync();
        QueueSendReceipt receipt = await queue.SendMessageAsync("{}", timeToLive: StorageQueueClient.InfiniteTimeToLive);
        Assert.Equal(9999, receipt.ExpirationTime.Year);
    }

    [Fact]
    public async Task Receive_Returns_Up_To_The_Requested_Count()
    {
        StorageQueueClient queue = await NewQueueAsync();
        for (int i = 0; i < 5; i++)
        {
            await queue.SendMessageAsync($"{{\"n\":{i}}}");
        }

        IReadOnlyList<QueueMessage> batch = await queue.ReceiveMessagesAsync(maxMessages: 3);
        Assert.Equal(3, batch.Count);
        Assert.Equal(2, (await queue.ReceiveMessagesAsync(maxMessages: 32)).Count);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.ReceiveMessagesAsync(maxMessages: 33));
    }

    [Fact]
    public async Task Peek_Does_Not_Receive()
    {
        StorageQueueClient queue = await NewQueueAsync();
        await queue.SendMessageAsync("{\"peek\":true}");

        PeekedQueueMessage peeked = Assert.Single(await queue.PeekMessagesAsync());
        Assert.Equal(0, peeked.DequeueCount);
        Assert.Equal("{\"peek\":true}", peeked.Text);
        QueueMessage received = Assert.Single(await queue.ReceiveMessagesAsync());
        Assert.Equal(peeked.MessageId, received.MessageId);
        Assert.Equal(1, received.DequeueCount);
    }

    [Fact]
    public async Task Delete_Uses_The_Escaped_Pop_Receipt_And_Removes_The_Message()
    {
        StorageQueueClient queue = await NewQueueAsync();
        await queue.SendMessageAsync("{}");
        QueueMessage message = Assert.Single(await queue.ReceiveMessagesAsync(visibilityTimeout: TimeSpan.FromSeconds(1)));

        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);

        Assert.Equal(0, await queue.GetApproximateMessageCountAsync());
        StorageRequestException again = await Assert.ThrowsAsync<StorageRequestException>(
            () => queue.DeleteMessageAsync(message.MessageId, message.PopReceipt));
        Assert.Equal(404, again.Status);
        Assert.Equal(StorageErrorCodes.MessageNotFound, again.ErrorCode);
        Assert.Contains(queue.Name, again.Message, StringComparison.Ordinal);
        Assert.Contains("Delete message", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_Visibility_Returns_A_New_Pop_Receipt_And_Invalidates_The_Old()
    {
        StorageQueueClient queue = await NewQueueAsync();
        await queue.SendMessageAsync("{}");
        QueueMessage message = Assert.Single(await queue.ReceiveMessagesAsync(visibilityTimeout: TimeSpan.FromSeconds(5)));

        QueueUpdateReceipt updated = await queue.UpdateVisibilityAsync(message.MessageId, message.PopReceipt, TimeSpan.FromSeconds(60));

        Assert.NotEqual(message.PopReceipt, updated.PopReceipt);
        Assert.True(updated.NextVisibleOn > message.NextVisibleOn);
        StorageRequestException stale = await Assert.ThrowsAsync<StorageRequestException>(
            () => queue.DeleteMessageAsync(message.MessageId, message.PopReceipt));
        Assert.Equal(400, stale.Status);
        Assert.Equal(StorageErrorCodes.PopReceiptMismatch, stale.ErrorCode);
        await queue.DeleteMessageAsync(message.MessageId, updated.PopReceipt);
        Assert.Equal(0, await queue.GetApproximateMessageCountAsync());
    }

    [Fact]
    public async Task Update_Visibility_To_Zero_Releases_The_Message_At_Once()
    {
        StorageQueueClient queue = await NewQueueAsync();
        await queue.SendMessageAsync("{}");
        QueueMessage message = Assert.Single(await queue.ReceiveMessagesAsync(visibilityTimeout: TimeSpan.FromMinutes(5)));

        await queue.UpdateVisibilityAsync(message.MessageId, message.PopReceipt, TimeSpan.Zero);

        QueueMessage again = Assert.Single(await queue.ReceiveMessagesAsync());
        Assert.Equal(2, again.DequeueCount);
    }

    [Fact]
    public async Task Move_To_Poison_Copies_The_Raw_Text_And_Deletes_The_Original()
    {
        StorageQueueClient queue = await NewQueueAsync();
        await queue.SendMessageAsync("{\"job\":\"bad\"}");
        QueueMessage message = Assert.Single(await queue.ReceiveMessagesAsync());

        await queue.MoveToPoisonAsync(message);

        Assert.Equal(0, await queue.GetApproximateMessageCountAsync());
        StorageQueueClient poison = queue.GetPoisonQueueClient();
        Assert.Equal(queue.Name + "-poison", poison.Name);
        Assert.Same(poison, queue.GetPoisonQueueClient());
        PeekedQueueMessage moved = Assert.Single(await poison.PeekMessagesAsync());
        Assert.Equal(message.RawText, moved.RawText);
        Assert.Equal("{\"job\":\"bad\"}", moved.Text);
    }

    [Fact]
    public async Task Clear_Removes_Every_Message()
    {
        StorageQueueClient queue = await NewQueueAsync();
        await queue.SendMessageAsync("{}");
        await queue.SendMessageAsync("{}");
        await queue.ClearMessagesAsync();
        Assert.Empty(await queue.PeekMessagesAsync(32));
    }

    [Fact]
    public async Task Message_At_The_64_KiB_Limit_Is_Accepted_And_One_Byte_More_Is_Refused_Clearly()
    {
        StorageQueueClient queue = await NewQueueAsync(QueueMessageEncoding.None);
        await queue.SendMessageAsync(new string('a', StorageQueueClient.MaxMessageBytes));
        Assert.Equal(StorageQueueClient.MaxMessageBytes, Assert.Single(await queue.ReceiveMessagesAsync()).RawText.Length);

        ArgumentException tooBig = await Assert.ThrowsAsync<ArgumentException>(
            () => queue.SendMessageAsync(new string('a', StorageQueueClient.MaxMessageBytes + 1)));
        Assert.Contains("65,537 bytes", tooBig.Message, StringComparison.Ordinal);
        Assert.Contains(queue.Name, tooBig.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Base64_Limit_Counts_The_Encoded_Size()
    {
        StorageQueueClient queue = await NewQueueAsync();
        // 49,152 raw bytes encode to exactly 65,536 Base64 characters; one more byte does not fit.
        await queue.SendMessageAsync(new string('b', 49_152));
        ArgumentException tooBig = await Assert.ThrowsAsync<ArgumentException>(() => queue.SendMessageAsync(new string('b', 49_153)));
        Assert.Contains("48 KiB", tooBig.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Visibility_Delay_Not_Shorter_Than_Ttl_Is_Refused_Before_Sending()
    {
        StorageQueueClient queue = await NewQueueAsync();
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => queue.SendMessageAsync("{}", visibilityDelay: TimeSpan.FromSeconds(5), timeToLive: TimeSpan.FromSeconds(3)));
        Assert.Equal(0, await queue.GetApproximateMessageCountAsync());
    }

    [Fact]
    public void Invalid_Queue_Name_Is_Refused_With_The_Rule()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(
            () => new StorageQueueClient(StorageConnection.Parse(azurite.ConnectionString), "Bad_Name"));
        Assert.Contains("'Bad_Name'", error.Message, StringComparison.Ordinal);
        Assert.Contains("lowercase", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_Queue_Surfaces_Status_And_Code()
    {
        var queue = new StorageQueueClient(StorageConnection.Parse(azurite.ConnectionString), AzuriteFixture.UniqueName("missing"));
        StorageRequestException error = await Assert.ThrowsAsync<StorageRequestException>(() => queue.SendMessageAsync("{}"));
        Assert.Equal(404, error.Status);
        Assert.Equal(StorageErrorCodes.QueueNotFound, error.ErrorCode);
        Assert.Equal("Put message", error.Operation);
        Assert.Equal(queue.Name, error.Resource);
        Assert.DoesNotContain(AzuriteFixture.AccountKey, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_Key_Is_Rejected_Without_Leaking_Key_Or_Signature()
    {
        string wrongKey = Convert.ToBase64String(Encoding.UTF8.GetBytes("definitely-not-the-azurite-key-000000"));
        var connection = StorageConnection.Parse(azurite.ConnectionString.Replace(AzuriteFixture.AccountKey, wrongKey, StringComparison.Ordinal));
        var queue = new StorageQueueClient(connection, AzuriteFixture.UniqueName("auth"));

        StorageRequestException error = await Assert.ThrowsAsync<StorageRequestException>(() => queue.CreateIfNotExistsAsync());

        Assert.Equal(403, error.Status);
        Assert.Equal(StorageErrorCodes.AuthenticationFailed, error.ErrorCode);
        Assert.DoesNotContain(wrongKey, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SharedKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelled_Calls_Stop_Without_Side_Effects()
    {
        StorageQueueClient queue = await NewQueueAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.SendMessageAsync("{}", cancellationToken: cancelled.Token));

        Assert.Equal(0, await queue.GetApproximateMessageCountAsync());
    }

    private static async Task<QueueMessage> PollForMessageAsync(StorageQueueClient queue, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            IReadOnlyList<QueueMessage> messages = await queue.ReceiveMessagesAsync();
            if (messages.Count > 0)
            {
                return messages[0];
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        throw new TimeoutException($"No message became visible in '{queue.Name}' within {timeout}.");
    }
}

namespace GitOps.Storage.Queues;

/// <summary>Options for <see cref="StorageQueueClient"/>.</summary>
public class StorageQueueClientOptions : StorageClientOptions
{
    /// <summary>How message text is encoded on the wire; <see cref="QueueMessageEncoding.Base64"/> by default to match the Functions queue trigger.</summary>
    public QueueMessageEncoding MessageEncoding { get; set; } = QueueMessageEncoding.Base64;

    /// <summary>The suffix of the poison queue used by <see cref="StorageQueueClient.MoveToPoisonAsync"/>; <c>-poison</c> as in Azure Functions.</summary>
    public string PoisonQueueSuffix { get; set; } = "-poison";
}

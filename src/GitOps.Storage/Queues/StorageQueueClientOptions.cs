using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Queues;

namespace GitOps.Storage.Queues;

/// <summary>
/// Options of <see cref="StorageQueueClient"/>: the SDK's queue options with the service version pinned
/// (<see cref="StorageClients.QueueServiceVersion"/>) and Base64 message text, the Functions queue trigger's default.
/// </summary>
public class StorageQueueClientOptions : QueueClientOptions
{
    /// <summary>Pinned version, Base64 messages, <c>-poison</c> suffix.</summary>
    public StorageQueueClientOptions()
        : base(StorageClients.QueueServiceVersion)
    {
        MessageEncoding = QueueMessageEncoding.Base64;
    }

    /// <summary>The suffix of the poison queue used by <see cref="StorageQueueClient.MoveToPoisonAsync"/>; <c>-poison</c> as in Azure Functions.</summary>
    public string PoisonQueueSuffix { get; set; } = "-poison";

    private readonly List<(HttpPipelinePolicy Policy, HttpPipelinePosition Position)> _policies = [];

    /// <summary>Adds a policy to both of <see cref="StorageQueueClient"/>'s pipelines (the Base64 one and the raw one).</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="position">Where it runs.</param>
    public new void AddPolicy(HttpPipelinePolicy policy, HttpPipelinePosition position)
    {
        // ClientOptions keeps its policies to itself; remember them so the raw receive client gets the same ones.
        base.AddPolicy(policy, position);
        _policies.Add((policy, position));
    }

    /// <summary>A copy that takes message text as stored (encoding None), with the same version, retries, transport and policies.</summary>
    internal StorageQueueClientOptions WithoutEncoding()
    {
        var raw = new StorageQueueClientOptions { MessageEncoding = QueueMessageEncoding.None, PoisonQueueSuffix = PoisonQueueSuffix, Transport = Transport };
        raw.Retry.MaxRetries = Retry.MaxRetries;
        raw.Retry.Delay = Retry.Delay;
        raw.Retry.MaxDelay = Retry.MaxDelay;
        raw.Retry.Mode = Retry.Mode;
        raw.Retry.NetworkTimeout = Retry.NetworkTimeout;
        foreach (var (policy, position) in _policies)
        {
            raw.AddPolicy(policy, position);
        }

        return raw;
    }
}

using System.Globalization;
using System.Text.Json.Nodes;

namespace GitOps.Functions.Tests.Harness;

/// <summary>The queue settings of an app's host.json (<c>extensions.queues</c>), which the host's queue trigger applies.</summary>
/// <param name="BatchSize">Messages received at once.</param>
/// <param name="VisibilityTimeout">How long a failed message stays invisible before its retry.</param>
/// <param name="MaxDequeueCount">Deliveries before a failing message goes to the poison queue.</param>
/// <param name="MaxPollingInterval">The longest wait between polls of an empty queue.</param>
/// <param name="MessageEncoding"><c>base64</c> or <c>none</c>.</param>
internal sealed record HostJsonQueues(int BatchSize, TimeSpan VisibilityTimeout, int MaxDequeueCount, TimeSpan MaxPollingInterval, string MessageEncoding)
{
    /// <summary>Reads host.json from an app directory.</summary>
    public static HostJsonQueues Read(string appDirectory)
    {
        var queues = JsonNode.Parse(File.ReadAllText(Path.Combine(appDirectory, "host.json")))!["extensions"]!["queues"]!;
        return new HostJsonQueues(
            queues["batchSize"]!.GetValue<int>(),
            TimeSpan.Parse(queues["visibilityTimeout"]!.GetValue<string>(), CultureInfo.InvariantCulture),
            queues["maxDequeueCount"]!.GetValue<int>(),
            TimeSpan.Parse(queues["maxPollingInterval"]!.GetValue<string>(), CultureInfo.InvariantCulture),
            queues["messageEncoding"]!.GetValue<string>());
    }
}

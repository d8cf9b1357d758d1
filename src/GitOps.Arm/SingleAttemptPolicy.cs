using Azure.Core;
using Azure.Core.Pipeline;

namespace GitOps.Arm;

/// <summary>
/// Stands in the pipeline's retry slot and sends once: <see cref="ArmResourceClient"/> retries itself, because only it
/// can read ARM error codes, feed the throttle budget and count 429s.
/// </summary>
internal sealed class SingleAttemptPolicy : HttpPipelinePolicy
{
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessNext(message, pipeline);

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessNextAsync(message, pipeline);
}

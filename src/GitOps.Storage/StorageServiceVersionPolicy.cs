using Azure.Core;
using Azure.Core.Pipeline;

namespace GitOps.Storage;

/// <summary>Pins <c>x-ms-version</c> on every request so the wire protocol never drifts with the emulator or the service.</summary>
internal sealed class StorageServiceVersionPolicy(string version) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message) =>
        message.Request.Headers.SetValue("x-ms-version", version);
}

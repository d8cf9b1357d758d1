using Grpc.Core;
using GitOps.Functions.Tests.Harness.Rpc;

namespace GitOps.Functions.Tests.Harness;

/// <summary>The host's gRPC service: the worker dials it and keeps one bidirectional <c>EventStream</c> open.</summary>
/// <param name="channel">Where the stream's messages go.</param>
internal sealed class HostRpcService(HostChannel channel) : FunctionRpc.FunctionRpcBase
{
    /// <inheritdoc />
    public override async Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context)
    {
        channel.Attach(responseStream);
        try
        {
            while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
            {
                channel.Receive(requestStream.Current);
            }
        }
        catch (Exception error) when (error is OperationCanceledException or IOException or Grpc.Core.RpcException)
        {
            // The worker went away (exited, killed, or the harness shut down): the stream is over either way.
        }
        finally
        {
            channel.Detach();
        }
    }
}

using System.Collections.Concurrent;
using Grpc.Core;
using GitOps.Functions.Tests.Harness.Rpc;

namespace GitOps.Functions.Tests.Harness;

/// <summary>
/// The host's end of the worker's event stream: one writer at a time (gRPC allows no concurrent writes), and every
/// message the worker sends routed to whoever waits for it — the handshake steps, invocations by id, logs.
/// </summary>
internal sealed class HostChannel
{
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<InvocationResponse>> _invocations = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<FunctionLoadResponse>> _loads = new();
    private readonly ConcurrentQueue<RpcLog> _logs = new();
    private IServerStreamWriter<StreamingMessage>? _writer;

    /// <summary>Completes with the worker id when the worker opens its stream (<c>StartStream</c>).</summary>
    public TaskCompletionSource<string> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the worker answers <c>WorkerInitRequest</c>.</summary>
    public TaskCompletionSource<WorkerInitResponse> Initialized { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the worker answers <c>FunctionsMetadataRequest</c>.</summary>
    public TaskCompletionSource<FunctionMetadataResponse> Indexed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the stream ends (the worker exited or dropped it).</summary>
    public TaskCompletionSource Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The worker's logs so far.</summary>
    public IReadOnlyList<RpcLog> Logs => _logs.ToArray();

    public void Attach(IServerStreamWriter<StreamingMessage> writer) => _writer = writer;

    public void Detach()
    {
        _writer = null;
        Closed.TrySetResult();

        // An invocation in flight when the worker dies never gets its response: fail it, as the host does.
        foreach (var pending in _invocations.Values)
        {
            pending.TrySetException(new IOException("The worker's stream closed before it answered."));
        }
    }

    public async Task SendAsync(StreamingMessage message, CancellationToken cancellationToken = default)
    {
        var writer = _writer ?? throw new IOException("The worker has no open stream.");
        await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await writer.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _write.Release();
        }
    }

    public Task<FunctionLoadResponse> ExpectLoad(string functionId) =>
        _loads.GetOrAdd(functionId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public Task<InvocationResponse> ExpectInvocation(string invocationId)
    {
        var completion = new TaskCompletionSource<InvocationResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _invocations[invocationId] = completion;
        if (_writer is null)
        {
            completion.TrySetException(new IOException("The worker has no open stream."));
        }

        return completion.Task;
    }

    public void Receive(StreamingMessage message)
    {
        switch (message.ContentCase)
        {
            case StreamingMessage.ContentOneofCase.StartStream:
                Started.TrySetResult(message.StartStream.WorkerId);
                break;
            case StreamingMessage.ContentOneofCase.WorkerInitResponse:
                Initialized.TrySetResult(message.WorkerInitResponse);
                break;
            case StreamingMessage.ContentOneofCase.FunctionMetadataResponse:
                Indexed.TrySetResult(message.FunctionMetadataResponse);
                break;
            case StreamingMessage.ContentOneofCase.FunctionLoadResponse:
                _loads.GetOrAdd(message.FunctionLoadResponse.FunctionId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously))
                    .TrySetResult(message.FunctionLoadResponse);
                break;
            case StreamingMessage.ContentOneofCase.InvocationResponse:
                if (_invocations.TryRemove(message.InvocationResponse.InvocationId, out var pending))
                {
                    pending.TrySetResult(message.InvocationResponse);
                }

                break;
            case StreamingMessage.ContentOneofCase.RpcLog:
                _logs.Enqueue(message.RpcLog);
                break;
        }
    }
}

using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace GitOps.Storage.Tests.Tables;

/// <summary>A pipeline policy that counts requests and, while armed, fails the ones a test picks (storage failing half-way).</summary>
internal sealed class StorageFaults(Func<Request, bool>? fails = null) : HttpPipelineSynchronousPolicy
{
    private int _requests;

    public bool Armed { get; set; }

    public int Requests => Volatile.Read(ref _requests);

    public void Reset() => Interlocked.Exchange(ref _requests, 0);

    public override void OnSendingRequest(HttpMessage message)
    {
        Interlocked.Increment(ref _requests);
        if (Armed && (fails is null || fails(message.Request)))
        {
            throw new RequestFailedException(503, "Injected storage failure.");
        }
    }
}

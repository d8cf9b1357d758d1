using System.Net;
using System.Text;
using GitOps.Hosting.Http;
using GitOps.Testing;

namespace GitOps.Hosting.Tests;

/// <summary>
/// The api's body limit, measured by what the process allocates: the class runs alone (a collection without
/// parallelization), since every other test running beside it allocates on the same process-wide counter.
/// </summary>
[Collection(HostingCollection.Allocations)]
[Trait("Category", "Integration")]
public sealed class ApiBodyLimitTests(AzuriteFixture azurite, ArmSimulatorFixture arm)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_25_MB_Body_Is_Refused_With_413_Without_Being_Buffered(bool declareLength)
    {
        using var world = new TestWorld(azurite, arm);
        world.CommitTwoEnvironments();
        var runtime = await world.RuntimeAsync();
        await using var server = await ApiAccessTests.StartWithKeysAsync(runtime);
        const long Size = 25L * 1024 * 1024;

        // Warm the path first so that what is measured below is the big request alone.
        Assert.Equal(HttpStatusCode.BadRequest, (await ApiAccessTests.SendAsync(server.Client, HttpMethod.Post, "/api/environments/app/dev/suspend", ApiAccessTests.OpsKey, new { })).Status);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/environments/app/dev/suspend") { Content = new RepeatedContent(Size, declareLength) };
        request.Headers.Add(ApiAccess.ApiKeyHeader, ApiAccessTests.OpsKey);
        HttpStatusCode status;
        using (var response = await server.Client.SendAsync(request))
        {
            status = response.StatusCode;
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);

        // Buffering the body would allocate at least its 25 MB; the bounded read holds at most 64 KiB of it.
        Assert.True(allocated < Size / 2, $"{allocated:N0} bytes allocated while refusing a {Size:N0}-byte body");
        await ApiAccessTests.AssertNothingCreatedAsync(runtime);
    }

    /// <summary>A body of <c>size</c> bytes written from one reused buffer, so the client allocates nothing per byte.</summary>
    private sealed class RepeatedContent(long size, bool declareLength) : HttpContent
    {
        private static readonly byte[] s_chunk = Encoding.ASCII.GetBytes(new string('a', 64 * 1024));

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            try
            {
                for (long sent = 0; sent < size; sent += s_chunk.Length)
                {
                    await stream.WriteAsync(s_chunk.AsMemory(0, (int)Math.Min(s_chunk.Length, size - sent)));
                }
            }
            catch (IOException)
            {
                // The server answered and closed the request early, as it should: the rest is never sent.
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = size;
            return declareLength;
        }
    }
}

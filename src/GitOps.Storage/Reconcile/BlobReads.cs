using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace GitOps.Storage.Reconcile;

/// <summary>The one "download, or null when the blob is gone" the stores share.</summary>
internal static class BlobReads
{
    public static async Task<BlobDownloadResult?> DownloadOrNullAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            return (await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Missing blob or container: absent, as the ports define it.
            return null;
        }
    }
}

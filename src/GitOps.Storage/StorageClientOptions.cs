using Azure.Core;

namespace GitOps.Storage;

/// <summary>Options for the Queue and Blob clients: Azure.Core retry, transport and diagnostics settings.</summary>
public class StorageClientOptions : ClientOptions
{
    /// <summary>
    /// The storage REST version sent as <c>x-ms-version</c>. 2025-05-05 is accepted by Azure, Azurite 3.35.0
    /// and 3.37.0, and is above the 2017-11-09 minimum for bearer tokens.
    /// </summary>
    public const string ServiceVersion = "2025-05-05";

    /// <summary>Creates options with the storage error and request-id headers allowed into Azure.Core logs.</summary>
    public StorageClientOptions()
    {
        // Authorization and query values (pop receipts, lease ids in queries) stay redacted by Azure.Core's defaults.
        foreach (string header in new[] { "x-ms-error-code", "x-ms-request-id", "x-ms-version", "x-ms-lease-state", "x-ms-lease-status", "ETag" })
        {
            Diagnostics.LoggedHeaderNames.Add(header);
        }

        foreach (string parameter in new[] { "restype", "comp", "prefix", "maxresults", "numofmessages", "peekonly", "visibilitytimeout", "messagettl" })
        {
            Diagnostics.LoggedQueryParameters.Add(parameter);
        }
    }
}
